// Measure 5: crash recovery. A victim process (the lease holder) leases every port of a small range;
// it is killed with SIGKILL (no exit handler runs, its records stay behind); this process then calls
// leasePort on that range in a loop and times the first success after the kill. In a private lock
// directory on the default one's filesystem, so the planted dead records touch no one else.
import { setImmediate as tick } from 'node:timers/promises';
import { leasePort } from 'portlease';
import { forkChild } from '../../shared/fork.mjs';
import { privateBesideDefault } from '../../shared/lock-dirs.mjs';
import { now } from '../../shared/stats.mjs';

const LEASE_HOLDER = new URL('../../shared/lease-holder.mjs', import.meta.url);

/** One kill-and-recover cycle. Times are in ms from the kill() call. */
export async function runCrash({ range }) {
  const { dir: lockDir, dispose } = privateBesideDefault('crash');
  try {
    const size = range[1] - range[0] + 1;
    const victim = forkChild(LEASE_HOLDER, { count: size, range, lockDir });
    await victim.next('ready');
    let heldBefore = false;
    try {
      (await leasePort({ lockDir, range })).releaseSync();
    } catch (error) {
      heldBefore = error.code === 'RANGE_EXHAUSTED';
    }
    const killedAt = now();
    victim.child.kill('SIGKILL');
    let failedAttempts = 0;
    let lease;
    while (!lease) {
      try {
        lease = await leasePort({ lockDir, range, owner: 'bench recovery' });
      } catch (error) {
        if (error.code !== 'RANGE_EXHAUSTED') throw error;
        failedAttempts++;
        if (now() - killedAt > 60_000) throw new Error('ports not leasable 60 s after SIGKILL');
        await tick();
      }
    }
    const recoveredMs = now() - killedAt;
    lease.releaseSync();
    const exit = await victim.exited;
    return { size, heldBefore, recoveredMs, failedAttempts, exitSeenMs: exit.at - killedAt };
  } finally {
    dispose();
  }
}
