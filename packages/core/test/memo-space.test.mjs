// Sticky memos never fill the lock directory's filesystem (a container's 64 MiB /dev/shm): at most
// 1024 per scope, none written while less than 1 MiB is free, and they give way to leases and to gc
// when the filesystem is full. Each filesystem is a real small tmpfs in a private mount namespace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, fixture, reserveRange, tempLockDir } from './helpers.mjs';

const skip =
  spawnSync('unshare', ['--mount', 'true']).status === 0 ? undefined : 'needs unshare --mount (root)';

function onTmpfs(size, ...args) {
  const dir = tempLockDir();
  const mount = `mount -t tmpfs -o size=${size} tmpfs '${dir}' && chmod 700 '${dir}' && exec "$0" "$@"`;
  const run = spawnSync(
    'unshare',
    ['--mount', 'sh', '-c', mount, process.execPath, fixture('memo-space.mjs'), dir, ...args.map(String)],
    { encoding: 'utf8', timeout: 300_000, env: { ...process.env, PORTLEASE_CORE: join(dist, 'index.js') } },
  );
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').pop());
}

test('1500 sticky names keep at most 1024 memos, and leases still work', { skip }, async () => {
  const [min, max] = await reserveRange(8);
  const result = onTmpfs('16m', 'names', min, max, 1500);
  assert.equal(result.failure, undefined, JSON.stringify(result));
  assert.ok(result.memos <= 1024, `${result.memos} memo files`);
  assert.ok(result.memos >= 900, `the most recent names keep theirs: ${result.memos}`);
  assert.equal(result.lease5, 'ok');
});

test('on a nearly full filesystem memos are not written, so sticky names never take the space leases need', {
  skip,
}, async () => {
  const [min, max] = await reserveRange(8);
  const result = onTmpfs('1m', 'names', min, max, 400);
  assert.equal(result.failure, undefined, JSON.stringify(result));
  assert.equal(result.lease5, 'ok', JSON.stringify(result));
});

test('memos that filled the filesystem give way to a lease, and gc frees them', { skip }, async () => {
  const [min, max] = await reserveRange(8);
  const result = onTmpfs('2m', 'planted', min, max);
  assert.equal(result.filled, 'ENOSPC', JSON.stringify(result));
  assert.equal(result.lease5, 'ok', JSON.stringify(result));
  assert.ok(result.memosAfterLease < result.plantedMemos, JSON.stringify(result));
  assert.equal(result.refilled, 'ENOSPC', JSON.stringify(result));
  assert.ok(result.gc > 0, JSON.stringify(result));
  assert.ok(result.freeAfterGc >= 1024 * 1024, JSON.stringify(result));
});
