import { mkdirSync, readdirSync, renameSync, rmdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Candidates } from './candidates.js';
import { fdExhaustion, hasErrno, PortleaseError } from './errors.js';
import { sweepStagingOnce } from './inspect.js';
import { isRealDirectory, PortLease, removeEntry } from './lease.js';
import { isOwnerAlive } from './liveness.js';
import { ensureLockDir, forgetLockDir, type LockPaths, lockDirError } from './lock-dir.js';
import { type LeaseOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { acquireOwner, deferRemoval, releaseOwner, retainOwner, retryDeferred } from './owner.js';
import { findListener } from './probe.js';
import { createRecord, newToken, ownerIdOfToken, readRecord } from './record.js';

/** What holds a port: a live owner's record, or an entry portlease cannot judge or remove. */
type Holder = { record: string } | { note: string };

/** State of one leasePort / leasePorts call. */
interface Session {
  options: ResolvedOptions;
  paths: LockPaths;
  ownerId: string;
  candidates: Candidates;
  /** Liveness answers of this call, so one busy owner is checked once, not once per port it holds. */
  alive: Map<string, boolean>;
  /** Ports held by live leases (the record's path) or by entries we cannot judge, for the message. */
  held: Map<number, Holder>;
  /** Ports some other program listens on, and where. */
  busy: Map<number, string>;
}

function aborted(signal: AbortSignal): PortleaseError {
  return new PortleaseError('ABORTED', 'Port allocation was aborted by its signal.', {
    cause: signal.reason,
  });
}

/** Writes a complete record in a private staging directory; returns that directory. */
function stage(session: Session, token: string): string {
  const dir = join(session.paths.staging, token);
  const body = JSON.stringify(createRecord(session.options.owner, session.ownerId, token));
  for (let attempt = 0; ; attempt++) {
    try {
      mkdirSync(dir, { mode: 0o700 });
      writeFileSync(join(dir, token), body, { flag: 'wx', mode: 0o600 });
      return dir;
    } catch (error) {
      try {
        rmdirOrFile(dir, token);
      } catch {
        // Best effort; a leftover staged entry of ours is swept once we are gone.
      }
      if (attempt === 0 && hasErrno(error, 'ENOENT')) {
        // The lock directory or its scope vanished while we ran: verify and recreate it once.
        forgetLockDir(session.options.lockDir);
        session.paths = ensureLockDir(session.options.lockDir);
        continue;
      }
      throw lockDirError(session.paths.root, error);
    }
  }
}

function rmdirOrFile(dir: string, token: string): void {
  try {
    unlinkSync(join(dir, token));
  } catch (error) {
    if (!hasErrno(error, 'ENOENT')) throw error;
  }
  try {
    rmdirSync(dir);
  } catch (error) {
    if (!hasErrno(error, 'ENOENT')) throw error;
  }
}

/** Publishes the staged record as the port's lock in one step. `false`: someone holds the port. */
function publish(staged: string, portDir: string, root: string): boolean {
  try {
    renameSync(staged, portDir);
    return true;
  } catch (error) {
    if (hasErrno(error, 'ENOTEMPTY', 'EEXIST', 'ENOTDIR', 'EISDIR', 'EPERM', 'EACCES')) {
      if (hasErrno(error, 'EPERM', 'EACCES')) {
        // On Linux a rename onto a non-empty directory is ENOTEMPTY; EPERM/EACCES means we cannot write.
        try {
          readdirSync(portDir);
          return false;
        } catch {
          throw lockDirError(root, error);
        }
      }
      return false;
    }
    throw lockDirError(root, error);
  }
}

/**
 * Reclaims a port whose every record belongs to a proven-dead owner: deletes exactly those records by
 * their token names (a lease published meanwhile has another name and survives), then the directory
 * if empty. Returns whether the port may be free now. Unknown entries are never reclaimed.
 */
async function reclaimIfDead(session: Session, port: number, portDir: string): Promise<boolean> {
  let names: string[];
  try {
    if (!isRealDirectory(portDir)) {
      session.held.set(port, { note: 'an entry portlease did not write (not a directory)' });
      return false;
    }
    names = readdirSync(portDir);
  } catch (error) {
    if (hasErrno(error, 'ENOENT')) return true;
    // Out of descriptors is this process's problem, not a fact about the port.
    const fds = fdExhaustion(error, `read lock directory ${session.paths.root}`);
    if (fds) throw fds;
    session.held.set(port, { note: 'an entry portlease cannot read' });
    return false;
  }
  const dead: string[] = [];
  for (const name of names) {
    const ownerId = ownerIdOfToken(name);
    if (ownerId === undefined) {
      session.held.set(port, { note: `an unrecognised entry ${JSON.stringify(name)}` });
      return false;
    }
    let alive = session.alive.get(ownerId);
    if (alive === undefined) {
      alive = await isOwnerAlive(ownerId);
      session.alive.set(ownerId, alive);
    }
    if (alive) {
      session.held.set(port, { record: join(portDir, name) });
      return false;
    }
    dead.push(name);
  }
  for (const name of dead) {
    let removed: boolean;
    try {
      removed = removeEntry(portDir, name);
    } catch (error) {
      throw lockDirError(session.paths.root, error);
    }
    if (!removed) {
      session.held.set(port, { note: `an entry portlease cannot remove, ${JSON.stringify(name)}` });
      return false;
    }
  }
  try {
    rmdirSync(portDir);
  } catch {
    // Gone already, or re-taken: the next publish tells.
  }
  return true;
}

/** How many ports of the range may be handed out at all (not excluded). */
function usablePorts(options: ResolvedOptions): number {
  let excluded = 0;
  for (const port of options.excluded) if (port >= options.min && port <= options.max) excluded++;
  return options.max - options.min + 1 - excluded;
}

function describeHolder(port: number, holder: Holder): string {
  if ('note' in holder) return `${port} (${holder.note})`;
  const record = readRecord(holder.record);
  if (typeof record === 'string') return `${port} (record ${record})`;
  return `${port} ${JSON.stringify(record.owner)} (pid ${record.pid})`;
}

function exhausted(session: Session, taken: number, wanted: number): PortleaseError {
  const { min, max, lockDir } = session.options;
  const holders = [...session.held].map(([port, holder]) => describeHolder(port, holder));
  const busy = [...session.busy].map(([port, host]) => `${port} on ${host}`);
  const parts: string[] = [];
  if (holders.length) {
    parts.push(
      `${holders.length} held by live leases: ${holders.slice(0, 8).join(', ')}${holders.length > 8 ? ', …' : ''}`,
    );
  }
  if (busy.length) {
    parts.push(
      `${busy.length} in use by other programs: ${busy.slice(0, 8).join(', ')}${busy.length > 8 ? ', …' : ''}`,
    );
  }
  // This call's own leases are never drawn again, so they are never listed as holders; say they exist.
  if (taken > 0)
    parts.push(`this call had leased ${taken} of the ${wanted} ports it asked for (released again)`);
  const why = parts.length ? parts.join('; ') : 'every port is excluded';
  return new PortleaseError(
    'RANGE_EXHAUSTED',
    `No free port in ${min}-${max}: ${why}. Widen the range (the range option or PORTLEASE_RANGE), release leases you no longer need, or see who holds what with \`npx portlease list\` (lock directory ${lockDir}).`,
    { details: { range: [min, max], held: holders, busy, lockDir } },
  );
}

async function allocate(session: Session, taken = 0, wanted = 1): Promise<PortLease> {
  const { options } = session;
  const token = newToken(session.ownerId);
  let staged = stage(session, token);
  try {
    for (;;) {
      if (options.signal?.aborted) throw aborted(options.signal);
      const port = session.candidates.next();
      if (port === undefined) throw exhausted(session, taken, wanted);
      if (options.excluded.has(port)) continue;
      const portDir = join(session.paths.scope, String(port));
      let won = publish(staged, portDir, session.paths.root);
      if (!won && (await reclaimIfDead(session, port, portDir)))
        won = publish(staged, portDir, session.paths.root);
      if (!won) continue;
      let listener: string | undefined;
      try {
        listener = await findListener(port, options.hosts);
      } catch (error) {
        // The probe itself failed (out of file descriptors): give the port back, then report.
        staged = '';
        try {
          giveBack(session, portDir, token);
        } catch {
          // Deferred; the probe's failure is the one to report.
        }
        throw error;
      }
      if (listener === undefined) {
        staged = '';
        return new PortLease(port, options.owner, token, portDir, session.ownerId);
      }
      // Someone outside portlease listens there: take our record back and try the next port.
      session.busy.set(port, listener);
      try {
        renameSync(portDir, staged);
      } catch (error) {
        staged = '';
        giveBack(session, portDir, token);
        throw lockDirError(session.paths.root, error);
      }
    }
  } finally {
    try {
      if (staged) rmdirOrFile(staged, token);
    } catch {
      // A staged record holds no port; it is swept once this owner is gone.
    }
  }
}

/**
 * Removes a record this call published but will not hand out. If the lock directory refuses (turned
 * read-only), the removal is deferred like a failed release: retried before the next allocation and
 * at exit, never abandoned while this process lives on.
 */
function giveBack(session: Session, portDir: string, token: string): void {
  const remove = () => {
    removeEntry(portDir, token);
  };
  try {
    remove();
  } catch (error) {
    deferRemoval(token, remove);
    throw lockDirError(session.paths.root, error);
  }
}

async function openSession(
  options: LeaseOptions | undefined,
  count = 1,
  api = 'leasePort',
): Promise<Session> {
  const resolved = resolveOptions(options, process.env, api);
  if (resolved.signal?.aborted) throw aborted(resolved.signal);
  const usable = usablePorts(resolved);
  if (count > usable) {
    const { min, max } = resolved;
    const size = max - min + 1;
    const why =
      usable === 0
        ? `No free port in ${min}-${max}: every port is excluded (browser-unsafe, reserved or in exclude).`
        : `${count} ports were asked of range ${min}-${max}, which holds ${usable === size ? size : `${size}, ${usable} of them not excluded`}: no lease can satisfy that.`;
    throw new PortleaseError(
      'RANGE_EXHAUSTED',
      `${why} Widen the range (the range option or PORTLEASE_RANGE) or ask for fewer ports.`,
      { details: { range: [min, max], asked: count, usable } },
    );
  }
  retryDeferred();
  const paths = ensureLockDir(resolved.lockDir);
  sweepStagingOnce(paths);
  const ownerId = await acquireOwner().catch((error) => {
    throw fdExhaustion(error, 'open its liveness socket') ?? error;
  });
  return {
    options: resolved,
    paths,
    ownerId,
    candidates: new Candidates(resolved.min, resolved.max),
    alive: new Map([[ownerId, true]]),
    held: new Map(),
    busy: new Map(),
  };
}

/**
 * Leases one free TCP port, held for this process until released or until the process exits or dies.
 * No other process using the same lock directory gets it meanwhile; the port was verified free on
 * every probed address before it was handed out.
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
 * ```
 */
export async function leasePort(options?: LeaseOptions): Promise<PortLease> {
  const session = await openSession(options);
  try {
    const lease = await allocate(session);
    retainOwner(session.ownerId);
    return lease;
  } finally {
    releaseOwner(session.ownerId);
  }
}

/**
 * Leases `count` distinct ports, all or nothing: on failure every port taken by this call is released
 * before the error is thrown.
 *
 * @example
 * ```ts
 * const [api, web, db] = await leasePorts(3, { owner: 'e2e stack' });
 * ```
 */
export async function leasePorts(count: number, options?: LeaseOptions): Promise<PortLease[]> {
  if (!Number.isInteger(count) || count < 1 || count > 65535) {
    throw new PortleaseError(
      'INVALID_OPTIONS',
      `leasePorts count must be a whole number from 1 to 65535, got ${typeof count === 'number' ? count : typeof count}.`,
    );
  }
  const session = await openSession(options, count, 'leasePorts');
  const leases: PortLease[] = [];
  try {
    while (leases.length < count) {
      leases.push(await allocate(session, leases.length, count));
      retainOwner(session.ownerId);
    }
    return leases;
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
  } finally {
    releaseOwner(session.ownerId);
  }
}
