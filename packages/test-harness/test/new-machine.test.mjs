// What a new machine has: node, npm and corepack, no other package manager. The tests that pack or
// install reach the pinned pnpm through the harness's pnpm(), which installs it with npm; a test that
// calls a package manager from PATH fails under scripts/test.mjs, which shadows them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { pnpmVersion, tempDir } from '@portlease/test-harness';

const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
const linux = process.platform === 'linux';

test('under scripts/test.mjs, a package manager called from PATH fails with advice', {
  skip: !linux,
}, (t) => {
  if (!process.env.PORTLEASE_TEST_PM_GUARD) return t.skip('not run through scripts/test.mjs');
  for (const name of ['pnpm', 'yarn', 'bun']) {
    const result = spawnSync(name, ['--version'], { encoding: 'utf8' });
    assert.equal(result.status, 127, `${name} from PATH must fail: ${result.stdout}`);
    assert.match(result.stderr, /call the test harness's pnpm\(\)/);
  }
});

test('pnpm() runs the pinned pnpm with PATH reduced to node and npm, installing it into an empty cache', {
  skip: !linux && 'the reduced PATH is built from POSIX tools',
}, () => {
  // Only what a new machine has: node, npm (and npx), and the POSIX tools npm itself runs.
  const bin = join(tempDir('pl-new-machine-'), 'bin');
  mkdirSync(bin);
  for (const name of ['node', 'npm', 'npx', 'sh', 'tar', 'gzip', 'uname']) {
    const found = name === 'node' ? process.execPath : which(name);
    if (found) symlinkSync(realpathSync(found), join(bin, name));
  }
  const cache = tempDir('pl-tool-cache-');
  const harness = pathToFileURL(join(import.meta.dirname, '..', 'pnpm.mjs')).href;
  const program = `import { pnpm } from ${JSON.stringify(harness)};
      process.stdout.write(pnpm(['--version'], { encoding: 'utf8' }));`;
  // The rest of the environment stays (a registry's CA certificates, say): only PATH is reduced.
  const env = { ...process.env, PATH: bin, PORTLEASE_TOOL_CACHE: cache };
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
    env,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), pnpmVersion);
  // The pnpm it ran is the one it installed in the cache, not one found on PATH.
  const again = spawnSync(process.execPath, ['--input-type=module', '-e', program], {
    env: { ...env, PATH: '/nonexistent' },
    encoding: 'utf8',
  });
  assert.equal(again.status, 0, `the cached pnpm runs without npm: ${again.stderr}`);
});
