// leasePorts is all or nothing even when the lock directory turns read-only in the middle of the call:
// every lease the failed call took is released, or its removal deferred and retried, none abandoned.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fixture, reserveRange, tempLockDir } from './helpers.mjs';

const canMount = spawnSync('unshare', ['--mount', 'true']).status === 0;

test('a lock directory turned read-only mid-call: the failed call leaves no lease of its own behind', {
  skip: !canMount && 'needs unshare --mount (root)',
}, async () => {
  const [min, max] = await reserveRange(4);
  const dir = tempLockDir();
  const mount = `mount -t tmpfs -o size=1m tmpfs '${dir}' && chmod 700 '${dir}' && exec "$0" "$@"`;
  const run = spawnSync(
    'unshare',
    ['--mount', 'sh', '-c', mount, process.execPath, fixture('rollback-readonly.mjs'), dir, min, max, '3'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim());
  assert.equal(result.leasedBefore, 3, 'three ports were leased before the directory turned read-only');
  assert.equal(result.code, 'LOCK_DIR_UNWRITABLE');
  assert.equal(result.heldAfterFailure, 3, 'their removals could not run while read-only');
  assert.equal(result.left, 0, 'every one of them was deferred and removed at the next allocation');
});
