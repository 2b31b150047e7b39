// Measure 4a: scale. portlease's latency (child.mjs) while other processes (the lease holders) hold
// many live leases in the same lock directory. That directory is private, on the filesystem of the
// default lock directory: 10 000 leases of the default range in the user's shared directory would
// starve every other portlease user on the host while it runs.
import { forkChild } from '../../shared/fork.mjs';
import { privateBesideDefault } from '../../shared/lock-dirs.mjs';
import { summarize } from '../../shared/stats.mjs';

/** The process that holds the other leases (shared with the crash measure, whose victim it is). */
const LEASE_HOLDER = new URL('../../shared/lease-holder.mjs', import.meta.url);

/**
 * portlease's latency in one lock directory while other processes hold 0, 1 000, 10 000 leases there
 * (`counts`, ascending), then 0 again: the same directory throughout (on ext4 a directory's place on
 * disk alone can shift its mkdir cost), in the order 0 → … → max → 0, so drift shows as a gap
 * between the two empty-directory segments. Holders lease with leasePorts in the same range.
 */
export async function runScale({ counts, range, iterations, warmup }) {
  const { dir: lockDir, dispose } = privateBesideDefault('scale');
  const holders = [];
  const child = forkChild(new URL('./child.mjs', import.meta.url), { lockDir, range });
  const stopHolders = async () => {
    for (const h of holders) if (h.child.connected) h.child.disconnect();
    await Promise.all(holders.splice(0).map((h) => h.exited));
  };
  try {
    await child.next('ready');
    const measure = async () => {
      child.child.send({ type: 'measure', iterations, warmup });
      const { samples, cpuPerCall } = await child.next('measured');
      return { ...summarize(samples), cpuPerCall };
    };
    const byCount = {};
    const holdMs = {};
    let held = 0;
    for (const count of counts) {
      if (count > held) {
        const holder = forkChild(LEASE_HOLDER, { count: count - held, range, lockDir });
        holders.push(holder);
        holdMs[count] = (await holder.next('ready')).ms;
        held = count;
      }
      byCount[count] = await measure();
    }
    await stopHolders();
    byCount['0 (again)'] = await measure();
    return { byCount, holdMs };
  } finally {
    if (child.child.connected) child.child.send({ type: 'stop' });
    await child.exited;
    await stopHolders();
    dispose();
  }
}
