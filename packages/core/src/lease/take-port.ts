import { join } from 'node:path';
import { PortleaseError } from '../errors.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { findListener } from '../platform/probe.js';
import { isOwnerAlive } from '../realm/liveness.js';
import { removeOrDefer } from '../realm/owner.js';
import {
  portDirOf,
  publish,
  readPortDir,
  removeEntry,
  removeIfEmpty,
  stageRecord,
  unpublish,
} from '../store/entries.js';
import { type LockPaths, lockDirError } from '../store/lock-dir.js';
import { trimMemos } from '../store/memos.js';
import { createRecord, newToken, ownerIdOfToken, type RecordName } from '../store/record.js';
import type { Candidates } from './candidates.js';
import type { Encounters } from './exhaustion.js';
import { HeldLease, type PortLease } from './lease.js';

/** State of one leasePort / leasePorts call. */
export interface Session extends Encounters {
  options: ResolvedOptions;
  paths: LockPaths;
  ownerId: string;
  candidates: Candidates;
  /** Liveness answers of this call, so one busy owner is checked once, not once per port it holds. */
  alive: Map<string, boolean>;
  /** Ports this call holds now: never tried again, never listed as held by others. */
  mine: Set<number>;
}

/** What one lease's record says: its owner label, its sticky name and its name (with project), if any. */
export interface AttemptLabel {
  owner: string;
  sticky: string | undefined;
  /** The lease's name and project, recorded for findLease; undefined for an unnamed lease. */
  named?: RecordName | undefined;
}

/** A record staged for one lease, tried on port after port until one is won. */
export class Attempt {
  readonly token: string;
  readonly owner: string;
  readonly sticky: string | undefined;
  /** The lease's name and project, recorded for findLease; undefined for an unnamed lease. */
  readonly named: RecordName | undefined;
  /** The staged directory, until it is published (then it is the lease's) or discarded. */
  staged: string | undefined;

  constructor(token: string, label: AttemptLabel, staged: string) {
    this.token = token;
    this.owner = label.owner;
    this.sticky = label.sticky;
    this.named = label.named;
    this.staged = staged;
  }

  /** Removes the staged record if it was never handed out. */
  discard(): void {
    if (this.staged === undefined) return;
    try {
      removeEntry(this.staged, this.token);
    } catch {
      // A staged record holds no port; it is swept once this owner is gone.
    }
    this.staged = undefined;
  }
}

/**
 * Stages the record of one lease (written in full, not yet published) and returns its attempt. The
 * lock directory is verified again, and recreated once, if its scope vanished: the session's paths are
 * updated then. On a full filesystem, memos give way to the lease (they are only preferences): they
 * are trimmed once and the staging is tried again.
 */
export function stageAttempt(session: Session, label: AttemptLabel): Attempt {
  const token = newToken(session.ownerId);
  const body = JSON.stringify(createRecord(label.owner, session.ownerId, token, label.sticky, label.named));
  let staged: ReturnType<typeof stageRecord>;
  try {
    staged = stageRecord(session.options.lockDir, session.paths, token, body);
  } catch (error) {
    if (!(error instanceof PortleaseError && noSpace(error) && trimMemos(session.paths) > 0)) throw error;
    staged = stageRecord(session.options.lockDir, session.paths, token, body);
  }
  session.paths = staged.paths;
  return new Attempt(token, label, staged.staged);
}

function noSpace(error: PortleaseError): boolean {
  return error.code === 'LOCK_DIR_UNWRITABLE' && ['ENOSPC', 'EDQUOT'].includes(String(error.details.errno));
}

export function aborted(signal: AbortSignal): PortleaseError {
  return new PortleaseError('ABORTED', 'Port allocation was aborted by its signal.', {
    cause: signal.reason,
  });
}

/**
 * Reclaims a port whose every record belongs to a proven-dead owner: deletes exactly those records by
 * their token names (a lease published meanwhile has another name and survives), then the directory
 * if empty. Returns whether the port may be free now. Unknown entries are never reclaimed.
 */
export async function reclaimIfDead(session: Session, port: number, portDir: string): Promise<boolean> {
  let names: string[] | 'unreadable';
  try {
    names = readPortDir(portDir, session.paths.root);
  } catch (error) {
    // Out of descriptors is this process's problem, not a fact about the port.
    if (error instanceof PortleaseError && error.code === 'TOO_MANY_OPEN_FILES') throw error;
    names = 'unreadable';
  }
  if (names === 'unreadable') {
    session.held.set(port, { note: 'an entry portlease cannot read (or not a directory)' });
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
  // Gone already, or re-taken: the next publish tells.
  removeIfEmpty(portDir);
  return true;
}

/**
 * Tries to lease `port` with the attempt's staged record: publish (reclaiming a dead owner's port
 * once), then probe. Returns the lease, or undefined when the port is held, busy or excluded (the
 * record is back in staging for the next try).
 */
export async function takePort(
  session: Session,
  attempt: Attempt,
  port: number,
): Promise<PortLease | undefined> {
  const { options } = session;
  const staged = attempt.staged;
  if (staged === undefined) throw new Error('portlease: an attempt was used after it was spent');
  if (options.excluded.has(port) || session.mine.has(port)) return undefined;
  const { root } = session.paths;
  const portDir = portDirOf(session.paths, port);
  let won = publish(staged, portDir, root);
  if (!won && (await reclaimIfDead(session, port, portDir))) won = publish(staged, portDir, root);
  if (!won) return undefined;
  let listener: string | undefined;
  try {
    listener = await findListener(port, options.hosts, options.protocol);
  } catch (error) {
    // The probe itself failed (out of file descriptors): give the port back, then report.
    throw giveBack(attempt, portDir, root, error);
  }
  if (listener === undefined) {
    attempt.staged = undefined;
    session.mine.add(port);
    return new HeldLease(
      port,
      attempt.owner,
      attempt.token,
      portDir,
      session.ownerId,
      root,
      attempt.sticky,
      attempt.named?.name,
    );
  }
  // Someone outside portlease listens there: take our record back for the next port.
  session.busy.set(port, listener);
  try {
    unpublish(portDir, staged, root);
  } catch (error) {
    throw giveBack(attempt, portDir, root, error);
  }
  return undefined;
}

/**
 * Removes a record this call published but will not hand out, after `failure`; returns `failure`, the
 * error to report. A removal the lock directory refuses is deferred by removeOrDefer, retried before
 * the next allocation and at exit.
 */
function giveBack(attempt: Attempt, portDir: string, root: string, failure: unknown): unknown {
  attempt.staged = undefined;
  try {
    removeOrDefer(portDir, attempt.token, root);
  } catch {
    // Deferred; the first failure is the one to report.
  }
  return failure;
}
