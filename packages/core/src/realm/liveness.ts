import { unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { fdExhaustion, hasErrno } from '../errors.js';
import { type OracleKind, platformFacts } from '../platform/facts.js';
import { secureRandomBytes } from '../platform/random.js';
import { OWNER_ID_PATTERN } from '../store/record.js';
import { onProcessEnd } from './exit-hook.js';
import {
  confirmDeadAndClean,
  ensureOwnerSocketDir,
  ownerSocketDirTrusted,
  ownerSocketPath,
  sweepOwnerSocketsOnce,
} from './owner-sockets.js';

/**
 * Liveness without pids or clocks: every owner listens on a local socket named after its id. The
 * kernel closes it when the owner dies (SIGKILL included), whatever its event loop was doing, and a
 * zombie holds nothing. On Linux the name is abstract (`\0portlease-<id>`), scoped to the network
 * namespace exactly like the ports it guards, so it works across pid namespaces; Windows uses a named
 * pipe; elsewhere a socket file in a private per-user directory (see platform/owner-sockets.ts for
 * where and why). Which one is a platform fact ({@link platformFacts}), read once per process.
 */
export { OWNER_ID_PATTERN };

export function newOwnerId(): string {
  return secureRandomBytes(12).toString('hex');
}

function oracleKind(): OracleKind {
  return platformFacts().oracle;
}

/** sun_path's size on Linux: Node 20 pads every abstract name with NULs to this length. */
const SUN_PATH = 108;

/**
 * The socket address that proves `ownerId` alive while something listens on it. On Linux an abstract
 * name has two spellings that are different names to the kernel: Node 20 pads `\0portlease-<id>` with
 * NULs to the whole 108-byte sun_path, Node 22+ (and Python) use the exact 35 bytes. This is the
 * padded one, which every Node line can bind and reach; {@link exactAbstractAddress} is the other.
 */
function oracleAddress(ownerId: string): string {
  switch (oracleKind()) {
    case 'abstract':
      return `\0portlease-${ownerId}`.padEnd(SUN_PATH, '\0');
    case 'pipe':
      return `\\\\.\\pipe\\portlease-${ownerId}`;
    default:
      return ownerSocketPath(ownerId);
  }
}

/** The exact-length spelling of an abstract oracle name (what Node 22+ binds for `\0portlease-<id>`). */
function exactAbstractAddress(ownerId: string): string {
  return `\0portlease-${ownerId}`;
}

/**
 * Starts listening on the owner's oracle; resolves once the kernel holds the name. Unref'd. On Linux
 * it listens on both spellings of the abstract name (see {@link oracleAddress}), so checkers of
 * portlease 0.1.0 on any Node line, which check only their own Node's spelling, see it alive too;
 * under Node 20 both spellings are one name, and the second listen is skipped. Closing the returned
 * server closes both.
 */
export async function listenOracle(ownerId: string): Promise<Server> {
  if (oracleKind() === 'abstract') {
    const server = await listenOn(ownerId);
    const exact = await listenPath(exactAbstractAddress(ownerId)).catch((error: unknown) => {
      if (hasErrno(error, 'EADDRINUSE')) return undefined; // Node 20: the same name, already ours.
      server.close();
      throw error;
    });
    if (exact) server.once('close', () => exact.close());
    return server;
  }
  const file = oracleKind() === 'file';
  if (file) ensureOwnerSocketDir();
  try {
    return await listenOn(ownerId);
  } catch (error) {
    // The directory was removed while we ran (a temp cleaner): check and recreate it once.
    if (!file || !hasErrno(error, 'ENOENT')) throw error;
    ensureOwnerSocketDir(true);
    return listenOn(ownerId);
  } finally {
    if (file) sweepOwnerSocketsOnce(ownerId);
  }
}

/**
 * A socket file outlives a process that exits without closing its server (the oracle is unref'd, so
 * a normal exit does not close it): remove ours at exit, as closing would. A SIGKILL leaves it, for
 * the next checker or sweep.
 */
function removeAtExit(server: Server, path: string): void {
  const remove = () => {
    try {
      unlinkSync(path);
    } catch {
      // Already gone.
    }
  };
  server.once('close', onProcessEnd(remove));
}

function listenOn(ownerId: string): Promise<Server> {
  const path = oracleAddress(ownerId);
  return listenPath(path).then((server) => {
    if (oracleKind() === 'file') removeAtExit(server, path);
    return server;
  });
}

function listenPath(path: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen({ path, exclusive: true }, () => {
      server.off('error', reject);
      server.unref();
      resolve(server);
    });
  });
}

/**
 * Connects to `path`: `true` on success or any answer but a refusal (alive, or cannot tell), `false`
 * when refused (`ECONNREFUSED`, or `ENOENT` for a socket file or pipe). Rejects only with
 * `TOO_MANY_OPEN_FILES`: out of descriptors says nothing about the owner, so it is an error, never an
 * answer (nor a cached one).
 */
function answers(path: string): Promise<boolean> {
  return new Promise<boolean>((resolve, reject) => {
    const socket = createConnection({ path });
    socket.unref();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error) => {
      socket.destroy();
      const fds = fdExhaustion(error, 'check whether a lease owner is alive');
      if (fds) reject(fds);
      else resolve(!hasErrno(error, 'ECONNREFUSED', 'ENOENT'));
    });
  });
}

/**
 * Whether the owner is alive: `true` (alive or cannot tell) or `false` (proven dead). Rejects only
 * with `TOO_MANY_OPEN_FILES` (this process is out of descriptors, so it cannot check).
 * Checks by connecting: the kernel queues the connection in the owner's backlog, so a live owner
 * answers even while its event loop is blocked or it is frozen; a name nobody listens on is refused.
 * Connecting leaves nothing behind, so a checker that is itself frozen mid-check never makes a dead
 * owner look alive to others (binding the name to test it would). A full backlog (`EAGAIN`) or any
 * other answer counts as alive. On Linux both spellings of the abstract name must refuse (see
 * {@link oracleAddress}); a socket file whose connect is refused is confirmed once more and then
 * removed (it is a dead owner's).
 */
export function isOwnerAlive(ownerId: string): Promise<boolean> {
  if (!OWNER_ID_PATTERN.test(ownerId)) return Promise.resolve(true);
  const kind = oracleKind();
  // Socket files in a directory that is not ours prove nothing either way: cannot tell, so alive.
  if (kind === 'file' && !ownerSocketDirTrusted()) return Promise.resolve(true);
  return answers(oracleAddress(ownerId)).then((alive) => {
    if (alive) return true;
    // Refused on the padded spelling: a 0.1.0 owner on Node 22+ listens on the exact one only.
    if (kind === 'abstract') return answers(exactAbstractAddress(ownerId));
    return kind === 'file' ? confirmDeadAndClean(oracleAddress(ownerId)).then((dead) => !dead) : false;
  });
}
