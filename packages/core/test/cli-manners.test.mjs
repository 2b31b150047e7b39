// The CLI's manners, as a shell user meets them: a reader that closes the pipe early
// (`portlease doctor | head -1`), a bare `portlease`, a misspelt command, a forgotten `get` holder
// in `list`, and `doctor` on a Node line inside or outside `engines`.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, dist, reserveRange, runNode, tempLockDir, until } from './helpers.mjs';

/**
 * Runs the CLI with its stdout a pipe whose reading end is closed before the CLI writes (as `head -1`
 * does once it has its line): every write gets EPIPE. Resolves `{ code, signal, stderr }`.
 */
function withClosedStdout(args, env) {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Closed at once: Node takes tens of milliseconds to start, so nothing was written yet.
  child.stdout.destroy();
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

test('doctor, list and get exit quietly when the reader closes stdout (EPIPE)', async () => {
  const lockDir = tempLockDir();
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  try {
    const [min, max] = await reserveRange(2);
    const env = { PORTLEASE_DIR: lockDir };
    const got = await withClosedStdout(
      ['get', '--range', `${min}-${max}`, '--hold-pid', String(sleeper.pid)],
      env,
    );
    assert.deepEqual([got.code, got.stderr], [0, ''], 'get: no stack trace, its own exit code');
    const list = await withClosedStdout(['list'], env);
    assert.deepEqual([list.code, list.stderr], [0, ''], 'list');
    const doctor = await withClosedStdout(['doctor'], env);
    assert.equal(doctor.stderr, '', 'doctor');
    assert.equal(doctor.code, 0, 'doctor: all good, so 0');
    const held = JSON.parse((await runNode([cli, 'list', '--json'], { env })).stdout);
    assert.equal(held.length, 1, 'the port get leased is still held for the shell it was got for');
  } finally {
    sleeper.kill('SIGKILL');
  }
  await until(
    async () =>
      JSON.parse((await runNode([cli, 'list', '--json'], { env: { PORTLEASE_DIR: lockDir } })).stdout)
        .length === 0,
    'the holder to release',
  );
});

test('a bare `portlease` is a usage error: usage on stderr, exit 2; help stays on stdout, exit 0', async () => {
  const bare = await runNode([cli]);
  assert.equal(bare.code, 2);
  assert.equal(bare.stdout, '');
  assert.match(bare.stderr, /^portlease: no command given\n\n[\s\S]*Usage:\n {2}portlease run/);
  const help = await runNode([cli, 'help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage:/);
});

test('a misspelt command gets the near one, as misspelt options do', async () => {
  const typo = await runNode([cli, 'gett']);
  assert.equal(typo.code, 2);
  assert.match(typo.stderr, /^portlease: unknown command "gett" \(did you mean get\?\)/);
  const docter = await runNode([cli, 'docter']);
  assert.match(docter.stderr, /unknown command "docter" \(did you mean doctor\?\)/);
  const far = await runNode([cli, 'frobnicate']);
  assert.match(far.stderr, /^portlease: unknown command "frobnicate"\n/, 'no guess when nothing is near');
});

test('list shows what a get holder waits on: the pid, its command and its age', {
  skip: process.platform === 'win32' ? 'get holds for a POSIX process here' : undefined,
}, async () => {
  const lockDir = tempLockDir();
  const env = { PORTLEASE_DIR: lockDir };
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  try {
    const [min, max] = await reserveRange(2);
    const got = await runNode([cli, 'get', '--range', `${min}-${max}`, '--hold-pid', String(sleeper.pid)], {
      env,
    });
    assert.equal(got.code, 0, got.stderr);
    const listed = await runNode([cli, 'list'], { env });
    assert.match(
      listed.stdout,
      new RegExp(`portlease get \\(held for pid ${sleeper.pid}: sleep, \\d+ s old\\)`),
      listed.stdout,
    );
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('doctor says where the running Node stands against engines', async () => {
  const lockDir = tempLockDir();
  const env = { PORTLEASE_DIR: lockDir };
  const here = JSON.parse((await runNode([cli, 'doctor', '--json'], { env })).stdout);
  const line = Number(process.versions.node.split('.')[0]);
  const expected = [22, 24, 26].includes(line) ? 'tested' : line === 20 ? 'best effort' : 'outside engines';
  assert.equal(here.node, process.version);
  assert.match(here.nodeSupport, new RegExp(`^${expected} \\(`), here.nodeSupport);

  // The same build, installed with a manifest whose engines leave the running line out.
  const base = tempLockDir();
  cpSync(dist, join(base, 'dist'), { recursive: true });
  const manifest = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8'));
  writeFileSync(
    join(base, 'package.json'),
    JSON.stringify({ ...manifest, engines: { node: `^${line + 1}.0.0` } }),
  );
  const outside = await runNode([join(base, 'dist', 'cli.js'), 'doctor'], { env });
  assert.equal(outside.code, 0, 'a warning, not a failure');
  assert.match(
    outside.stdout,
    new RegExp(
      `nodeSupport +outside engines \\(Node ${process.version} is outside engines \\(\\^${line + 1}\\.0\\.0\\)`,
    ),
    outside.stdout,
  );
});
