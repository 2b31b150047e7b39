// portlease never follows a symlink under the lock directory: a port directory or a staged entry
// replaced by a symlink to a directory elsewhere must not make gc or allocation delete anything there.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { stagingDirOf } from '@portlease/test-harness';
import { core, reserveRange, tempLockDir } from './helpers.mjs';

const { collectGarbage, leasePort, listLeases } = core;
const scope = `net-${/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/net'))[1]}`;
/** A token of an owner nobody listens for: dead, so its record is reclaimable wherever it sits. */
const deadToken = `${'e'.repeat(24)}-${'1'.repeat(16)}`;

test('a symlinked port directory or staged entry: gc and allocation delete nothing through it', async () => {
  const [port] = await reserveRange(1);
  const lockDir = tempLockDir();
  await listLeases({ lockDir }); // creates the scope and staging directories
  const outside = tempLockDir();
  const victim = join(outside, deadToken);
  writeFileSync(victim, 'a file outside the lock directory');
  symlinkSync(outside, join(lockDir, scope, String(port)));
  const outsideStaged = tempLockDir();
  const stagedVictim = join(outsideStaged, deadToken);
  writeFileSync(stagedVictim, 'another file outside the lock directory');
  symlinkSync(outsideStaged, join(stagingDirOf(lockDir, scope), deadToken));

  const rows = await listLeases({ lockDir });
  assert.ok(
    rows.every((row) => row.status === 'unknown'),
    `a symlink is never judged as a lease: ${JSON.stringify(rows)}`,
  );
  const gc = await collectGarbage({ lockDir });
  assert.equal(gc.stale, 0);
  assert.equal(gc.staged, 0);
  await assert.rejects(leasePort({ lockDir, range: [port, port] }), { code: 'RANGE_EXHAUSTED' });
  // The background sweep of staged leftovers ran with that allocation; let it finish.
  await new Promise((resolve) => setTimeout(resolve, 200));
  await collectGarbage({ lockDir });
  assert.ok(existsSync(victim), 'the file behind the port symlink survived');
  assert.ok(existsSync(stagedVictim), 'the file behind the staging symlink survived');
});

test('a port directory holding a symlink to a directory is never entered either', async () => {
  const [port] = await reserveRange(1);
  const lockDir = tempLockDir();
  await listLeases({ lockDir });
  const outside = tempLockDir();
  mkdirSync(join(outside, deadToken));
  const victim = join(outside, deadToken, deadToken);
  writeFileSync(victim, 'nested');
  mkdirSync(join(lockDir, scope, String(port)));
  symlinkSync(join(outside, deadToken), join(lockDir, scope, String(port), deadToken));
  await collectGarbage({ lockDir });
  await leasePort({ lockDir, range: [port, port] }).then(
    (lease) => lease.release(),
    () => {},
  );
  assert.ok(existsSync(victim), 'the file behind the symlinked record survived');
});
