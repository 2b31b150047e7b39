// `npm run demo` on a machine without Chromium installs Debian's with apt-get, whose output (hundreds
// of lines of dpkg unpacking) used to flood the demo. Now one line says what happens and where the
// full log is; the log keeps everything; a failure shows the log's end. A stand-in `apt-get` on PATH
// prints what the real one would (this machine has Chromium, and the test must not install packages).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'pl-bootstrap-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A fake `apt-get` printing `lines` lines per call; `install` creates $CHROMIUM_PATH, or fails. */
function fakeAptGet(lines, failInstall = false) {
  const bin = mkdtempSync(join(work, 'bin-'));
  const script = join(bin, 'apt-get');
  writeFileSync(
    script,
    `#!/bin/sh
i=0; while [ $i -lt ${lines} ]; do echo "Unpacking libfoo$i (1.0) ..."; i=$((i+1)); done
if [ "$1" = install ]; then
  ${failInstall ? 'echo "E: Unable to locate package chromium" >&2; exit 100' : 'touch "$CHROMIUM_PATH"'}
fi
`,
  );
  chmodSync(script, 0o755);
  return bin;
}

function bootstrap(bin) {
  const chromium = join(mkdtempSync(join(work, 'c-')), 'chromium');
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'bootstrap.mjs'), 'chromium'], {
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, CHROMIUM_PATH: chromium },
    encoding: 'utf8',
  });
  const log = /\(log: ([^)]+)\)/.exec(result.stdout)?.[1];
  return { ...result, chromium, log };
}

test('installing chromium shows one line and keeps the full apt-get log in the printed file', () => {
  const run = bootstrap(fakeAptGet(400));
  assert.equal(run.status, 0, run.stdout + run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.ok(lines.length <= 2, `the screen got ${lines.length} lines:\n${run.stdout}`);
  assert.match(lines[0], /installing Debian's chromium with apt-get \(log: /);
  assert.ok(run.log && existsSync(run.log), `the log path is printed: ${run.stdout}`);
  assert.equal(
    readFileSync(run.log, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('Unpacking')).length,
    800,
  );
  assert.ok(existsSync(run.chromium));
  rmSync(run.log, { force: true });
});

test('a failing apt-get shows the end of its log and the exit code', () => {
  const run = bootstrap(fakeAptGet(50, true));
  assert.equal(run.status, 100, run.stdout + run.stderr);
  assert.match(run.stderr, /apt-get install -y -qq chromium failed \(exit 100\); last lines of /);
  assert.match(run.stderr, /E: Unable to locate package chromium/);
  assert.ok(run.stderr.split('\n').length < 30, 'only the end of the log');
  if (run.log) rmSync(run.log, { force: true });
});
