import type { LeaseShape } from '../options/resolve.js';
import { retainOwner } from '../realm/owner.js';
import { noFreeRun } from './exhaustion.js';
import type { PortLease } from './lease.js';
import { rememberSticky, type StickyChoice } from './sticky.js';
import { type Attempt, aborted, type Session, stageAttempt, takePort } from './take-port.js';

/**
 * Leases `count` consecutive ports, all or nothing. It walks the range once from a start (the sticky
 * base, else a random one, so concurrent callers start apart), growing a run of leases port by port:
 * a port that is held, busy or excluded ends the run (its leases are released) and the next run
 * starts after it, so every port is tried about once and no window is tried twice. Runs never wrap
 * from the range's top to its bottom; the walk goes on past its start far enough to try the windows
 * that straddle it. Never waits: each port is taken as any lease takes one, so a block never overlaps
 * another lease or block.
 */
export async function leaseBlock(
  session: Session,
  owners: readonly string[],
  sticky: StickyChoice | undefined,
  shape?: LeaseShape,
): Promise<PortLease[]> {
  const count = owners.length;
  const { min, max, signal } = session.options;
  const lastBase = max - count + 1;
  const start =
    sticky?.preferred !== undefined && sticky.preferred <= lastBase
      ? sticky.preferred
      : min + Math.floor(Math.random() * (lastBase - min + 1));
  let run: PortLease[] = [];
  let longest = 0;
  let attempt: Attempt | undefined;
  const drop = () => {
    for (const lease of run) {
      session.mine.delete(lease.port);
      try {
        lease.releaseSync();
      } catch {
        // Deferred by the lease itself; keep releasing the others.
      }
    }
    run = [];
  };
  try {
    const visits = max - min + 1 + count - 1;
    for (let visited = 0, port = start; visited < visits; visited++, port = port === max ? min : port + 1) {
      if (signal?.aborted) throw aborted(signal);
      if (port === min && visited > 0) drop();
      if (run.length === 0 && port > lastBase) continue;
      const name = run.length === 0 ? sticky?.key.name : undefined;
      const owner = owners[run.length] as string;
      const named = shape?.names[run.length];
      const same = attempt?.sticky === name && attempt?.owner === owner && attempt?.named?.name === named;
      if (attempt === undefined || !same) {
        attempt?.discard();
        const project = shape?.project;
        const label = named && project ? { name: named, project } : undefined;
        attempt = stageAttempt(session, { owner, sticky: name, named: label });
      }
      const lease = await takePort(session, attempt, port);
      if (lease === undefined) {
        drop();
        continue;
      }
      retainOwner(session.ownerId);
      attempt = undefined;
      run.push(lease);
      longest = Math.max(longest, run.length);
      if (run.length === count) {
        if (sticky) rememberSticky(session.paths, sticky, run[0]!.port, run[0]!.token);
        return run;
      }
    }
    throw noFreeRun(session.options, session, count, longest);
  } catch (error) {
    drop();
    throw error;
  } finally {
    attempt?.discard();
  }
}
