import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fdExhaustion, hasErrno } from './errors.js';

/**
 * Liveness without pids or clocks: every owner listens on a local socket named after its id. The
 * kernel closes it when the owner dies (SIGKILL included), whatever its event loop was doing, and a
 * zombie holds nothing. On Linux the name is abstract (`\0portlease-<id>`), scoped to the network
 * namespace exactly like the ports it guards, so it works across pid namespaces; Windows uses a named
 * pipe; elsewhere a socket file.
 */
export const OWNER_ID_PATTERN = /^[0-9a-f]{24}$/;

export function newOwnerId(): string {
  return randomBytes(12).toString('hex');
}

type OracleKind = 'abstract' | 'pipe' | 'file';

function oracleKind(): OracleKind {
  if (process.platform === 'linux') return 'abstract';
  if (process.platform === 'win32') return 'pipe';
  return 'file';
}

/** The socket address that proves `ownerId` alive while something listens on it. */
export function oracleAddress(ownerId: string): string {
  switch (oracleKind()) {
    case 'abstract':
      return `\0portlease-${ownerId}`;
    case 'pipe':
      return `\\\\.\\pipe\\portlease-${ownerId}`;
    default:
      return join(tmpdir(), `portlease-${ownerId}.sock`);
  }
}

/** Starts listening on the owner's oracle; resolves once the kernel holds the name. Unref'd. */
export function listenOracle(ownerId: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen({ path: oracleAddress(ownerId), exclusive: true }, () => {
      server.off('error', reject);
      server.unref();
      resolve(server);
    });
  });
}

/**
 * Whether the owner is alive: `true` (alive or cannot tell) or `false` (proven dead). Rejects only
 * with `TOO_MANY_OPEN_FILES` (this process is out of descriptors, so it cannot check).
 * Checks by connecting: the kernel queues the connection in the owner's backlog, so a live owner
 * answers even while its event loop is blocked or it is frozen; a name nobody listens on is refused
 * (`ECONNREFUSED`, or `ENOENT` for a socket file or pipe). Connecting leaves nothing behind, so a
 * checker that is itself frozen mid-check never makes a dead owner look alive to others (binding the
 * name to test it would). A full backlog (`EAGAIN`) or any other answer counts as alive.
 */
export function isOwnerAlive(ownerId: string): Promise<boolean> {
  if (!OWNER_ID_PATTERN.test(ownerId)) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ path: oracleAddress(ownerId) });
    socket.unref();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error) => {
      socket.destroy();
      // Out of descriptors says nothing about the owner: an error, never an answer (nor a cached one).
      const fds = fdExhaustion(error, 'check whether a lease owner is alive');
      if (fds) reject(fds);
      else resolve(!hasErrno(error, 'ECONNREFUSED', 'ENOENT'));
    });
  });
}
