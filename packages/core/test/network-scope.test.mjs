// Without a readable /proc/self/ns/net, portlease cannot name the network namespace whose ports it
// coordinates: it refuses with a coded error instead of guessing a scope other processes do not share.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, reserveRange, tempLockDir } from './helpers.mjs';

const canMount = spawnSync('unshare', ['--mount', 'true']).status === 0;

test('a process without /proc refuses with NETWORK_NAMESPACE_UNKNOWN instead of using another scope', {
  skip: !canMount && 'needs unshare --mount (root)',
}, async () => {
  const [min, max] = await reserveRange(1);
  const lockDir = tempLockDir();
  const script = `
    const { leasePort, listLeases } = await import(${JSON.stringify(join(dist, 'index.js'))});
    const codes = [];
    for (const call of [() => leasePort({ lockDir: ${JSON.stringify(lockDir)}, range: [${min}, ${max}] }),
                        () => listLeases({ lockDir: ${JSON.stringify(lockDir)} })]) {
      try { await call(); codes.push('none'); } catch (error) { codes.push(error.code ?? error.message); }
    }
    console.log(JSON.stringify(codes));
    process.exit(0);`;
  // An empty /proc in a private mount namespace: the network namespace is the host's, unnamed.
  const run = spawnSync(
    'unshare',
    [
      '--mount',
      'sh',
      '-c',
      'mount -t tmpfs tmpfs /proc && exec "$0" "$@"',
      process.execPath,
      '--input-type=module',
      '-e',
      script,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout.trim()), ['NETWORK_NAMESPACE_UNKNOWN', 'NETWORK_NAMESPACE_UNKNOWN']);
});
