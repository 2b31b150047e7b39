import { PortleaseError } from '../errors.js';
import { invalidOption } from '../options/errors.js';
import { type LeaseOptions, resolveLease } from '../options/resolve.js';
import { acquireOwner, releaseOwner, retainOwner } from '../realm/owner.js';
import { portDirOf, publish } from '../store/entries.js';
import { ensureLockDir } from '../store/lock-dir.js';
import { Candidates } from './candidates.js';
import { HeldLease, type PortLease } from './lease.js';
import { reclaimIfDead, type Session, stageAttempt } from './take-port.js';

/**
 * Publishes a lease for a port a process of ours already listens on (a server that bound port 0, so
 * the kernel chose it: no race), under `options.name`, so others find it (findLease, `portlease
 * port`) and no portlease user is handed it. Not probed: it is in use, by us. Released like any lease.
 *
 * @throws {PortleaseError} `ADOPT_HELD` when another live lease holds the port (it was leased and not
 * bound yet when the kernel gave it out), `INVALID_OPTIONS`, lock directory errors.
 */
export async function adoptPort(port: number, options: LeaseOptions = {}): Promise<PortLease> {
  if (options.sticky !== undefined) {
    throw invalidOption(
      'sticky',
      'cannot be used to adopt a port: the kernel chose the port. Give name instead.',
    );
  }
  const { options: resolved, shape } = resolveLease(options, process.env, { api: 'leasePort', count: 1 });
  const paths = ensureLockDir(resolved.lockDir);
  const ownerId = await acquireOwner();
  try {
    const session: Session = {
      options: resolved,
      paths,
      ownerId,
      candidates: new Candidates(port, port),
      alive: new Map([[ownerId, true]]),
      held: new Map(),
      busy: new Map(),
      mine: new Set(),
    };
    const name = shape.names[0];
    const named = name && shape.project ? { name, project: shape.project } : undefined;
    const owner = shape.owners[0] as string;
    const attempt = stageAttempt(session, { owner, sticky: undefined, named });
    try {
      const portDir = portDirOf(session.paths, port);
      const staged = attempt.staged as string;
      let won = publish(staged, portDir, session.paths.root);
      if (!won && (await reclaimIfDead(session, port, portDir)))
        won = publish(staged, portDir, session.paths.root);
      if (!won) {
        const holder = session.held.get(port);
        throw new PortleaseError(
          'ADOPT_HELD',
          `Port ${port}, which the command listens on, is held by another live lease${holder && 'record' in holder ? ` (${holder.record})` : ''}: the kernel gave out a port portlease had leased to someone who had not bound it yet. Nothing was adopted; restart the command so it gets another port, or lease its port instead of adopting.`,
          { details: { port } },
        );
      }
      attempt.staged = undefined;
      retainOwner(ownerId);
      return new HeldLease(port, owner, attempt.token, portDir, ownerId, session.paths.root, undefined, name);
    } finally {
      attempt.discard();
    }
  } finally {
    releaseOwner(ownerId);
  }
}
