import { fdExhaustion, PortleaseError } from '../errors.js';
import {
  type LeaseOptions,
  type LeasePortsOptions,
  type LeaseShape,
  resolveLease,
} from '../options/resolve.js';
import { isOwnerAlive } from '../realm/liveness.js';
import { acquireOwner, releaseOwner, retainOwner, retryDeferred } from '../realm/owner.js';
import { ensureLockDir } from '../store/lock-dir.js';
import type { RecordName } from '../store/record.js';
import { sweepStagingOnce } from '../store/sweep.js';
import { leaseBlock } from './block.js';
import { Candidates } from './candidates.js';
import { exhausted, impossibleCount, usablePorts } from './exhaustion.js';
import type { PortLease } from './lease.js';
import { chooseSticky, rememberSticky, type StickyChoice, stickyKey } from './sticky.js';
import { type AttemptLabel, aborted, type Session, stageAttempt, takePort } from './take-port.js';

/*
 * The allocator is policy: which ports to try and in what order (a sticky preference first, then a
 * random order), and what to say when none is free. How a lease is stored is store/; how one port is
 * taken is take-port.ts; blocks of consecutive ports are block.ts.
 */

async function openSession(
  options: LeasePortsOptions | undefined,
  count: number,
  api: 'leasePort' | 'leasePorts',
): Promise<{ session: Session; shape: LeaseShape }> {
  const { options: resolved, shape } = resolveLease(options, process.env, { api, count });
  if (resolved.signal?.aborted) throw aborted(resolved.signal);
  const usable = usablePorts(resolved);
  if (count > usable) throw impossibleCount(resolved, count, usable);
  retryDeferred();
  const paths = ensureLockDir(resolved.lockDir);
  sweepStagingOnce(paths, isOwnerAlive);
  const ownerId = await acquireOwner().catch((error) => {
    throw fdExhaustion(error, 'open its liveness socket') ?? error;
  });
  const session: Session = {
    options: resolved,
    paths,
    ownerId,
    candidates: new Candidates(resolved.min, resolved.max),
    alive: new Map([[ownerId, true]]),
    held: new Map(),
    busy: new Map(),
    mine: new Set(),
  };
  return { session, shape };
}

function choose(
  session: Session,
  shape: LeaseShape,
  name: string | undefined,
  top: number,
): StickyChoice | undefined {
  if (name === undefined || shape.project === undefined) return undefined;
  const { min, excluded } = session.options;
  return chooseSticky(session.paths, stickyKey(name, shape.project), min, top, excluded);
}

/** The name and project port `index` is recorded under, if it is named. */
export function namedAt(shape: LeaseShape, index: number): RecordName | undefined {
  const name = shape.names[index];
  return name === undefined || shape.project === undefined ? undefined : { name, project: shape.project };
}

/** Leases one port: the sticky preference first, if any, then any port in random order. */
async function leaseOne(
  session: Session,
  sticky: StickyChoice | undefined,
  owner: string,
  taken: number,
  wanted: number,
  named?: RecordName,
): Promise<PortLease> {
  const { options } = session;
  const label: AttemptLabel = { owner, sticky: sticky?.key.name, named };
  const attempt = stageAttempt(session, label);
  try {
    const preferred = sticky?.preferred;
    let lease = preferred === undefined ? undefined : await takePort(session, attempt, preferred);
    while (lease === undefined) {
      if (options.signal?.aborted) throw aborted(options.signal);
      const port = session.candidates.next();
      if (port === undefined) throw exhausted(options, session, taken, wanted);
      if (port !== preferred) lease = await takePort(session, attempt, port);
    }
    if (sticky) rememberSticky(session.paths, sticky, lease.port, lease.token);
    return lease;
  } finally {
    attempt.discard();
  }
}

/**
 * Leases one free TCP port, held for this process until released or until the process exits or dies.
 * No other process using the same lock directory gets it meanwhile; the port was verified free on
 * every probed address before it was handed out.
 *
 * With `sticky: 'web'` the lease prefers the port `web` of this project held last time (see
 * {@link LeaseOptions.sticky}): the same port run after run while it is free, another one when not.
 *
 * @throws {PortleaseError} `RANGE_EXHAUSTED`, `LOCK_DIR_UNSAFE`, `LOCK_DIR_UNWRITABLE`,
 * `INVALID_OPTIONS` or `ABORTED`.
 *
 * @example
 * ```ts
 * import { leasePort } from 'portlease';
 *
 * const lease = await leasePort({ range: [20000, 29999], owner: 'api server' });
 * server.listen(lease.port);
 * await lease.release();
 *
 * const web = await leasePort({ sticky: 'web' }); // same port as last run, when free
 * ```
 */
export async function leasePort(options?: LeaseOptions): Promise<PortLease> {
  const { session, shape } = await openSession(options, 1, 'leasePort');
  try {
    const sticky = choose(session, shape, shape.sticky[0], session.options.max);
    const lease = await leaseOne(session, sticky, shape.owners[0] as string, 0, 1, namedAt(shape, 0));
    retainOwner(session.ownerId);
    return lease;
  } finally {
    releaseOwner(session.ownerId);
  }
}

/**
 * Leases `count` distinct ports, all or nothing: on failure every port taken by this call is released
 * before the error is thrown. With `contiguous: true` they are consecutive (`base`, `base + 1`, …);
 * with `sticky`, ports prefer their names' ports of last time.
 *
 * @example
 * ```ts
 * const [api, web, db] = await leasePorts(3, { owner: 'e2e stack' });
 * const brokers = await leasePorts(5, { contiguous: true }); // brokers[0].port + 4 === brokers[4].port
 * const [front, back] = await leasePorts(2, { sticky: ['front', 'back'] });
 * const [api, web] = await leasePorts(2, { owner: ['e2e api', 'e2e web'] }); // one label per port
 * ```
 */
export async function leasePorts(count: number, options?: LeasePortsOptions): Promise<PortLease[]> {
  if (!Number.isInteger(count) || count < 1 || count > 65535) {
    throw new PortleaseError(
      'INVALID_OPTIONS',
      `leasePorts count must be a whole number from 1 to 65535, got ${typeof count === 'number' ? count : typeof count}.`,
    );
  }
  const { session, shape } = await openSession(options, count, 'leasePorts');
  try {
    if (shape.contiguous) {
      const top = session.options.max - count + 1;
      return await leaseBlock(session, shape.owners, choose(session, shape, shape.sticky[0], top), shape);
    }
    // Sticky ports first, so a port of this call drawn at random never takes a name's port.
    const order = [...Array(count).keys()].sort(
      (a, b) => Number(shape.sticky[a] === undefined) - Number(shape.sticky[b] === undefined),
    );
    const placed: PortLease[] = new Array(count);
    const leases: PortLease[] = [];
    try {
      for (const index of order) {
        const sticky = choose(session, shape, shape.sticky[index], session.options.max);
        const owner = shape.owners[index] as string;
        const lease = await leaseOne(session, sticky, owner, leases.length, count, namedAt(shape, index));
        leases.push(lease);
        placed[index] = lease;
        retainOwner(session.ownerId);
      }
      return placed;
    } catch (error) {
      // All or nothing: release every lease of this call, even when some releases fail (a lock
      // directory turned read-only meanwhile): a failed release defers its removal, so it is retried
      // before the next allocation and at exit. The call's own failure is what gets reported.
      for (const lease of leases) {
        try {
          lease.releaseSync();
        } catch {
          // Deferred by the lease itself; keep releasing the others.
        }
      }
      throw error;
    }
  } finally {
    releaseOwner(session.ownerId);
  }
}
