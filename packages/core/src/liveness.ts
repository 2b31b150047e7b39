import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasErrno } from './errors.js';

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
 * Whether the owner is alive: `true` (alive or cannot tell) or `false` (proven dead). Never throws.
 * Abstract names and pipes are tested by binding the name (EADDRINUSE = alive), which needs nothing
 * from the owner's event loop; socket files by connecting (refused or missing = dead).
 */
export function isOwnerAlive(ownerId: string): Promise<boolean> {
  if (!OWNER_ID_PATTERN.test(ownerId)) return Promise.resolve(true);
  const address = oracleAddress(ownerId);
  if (oracleKind() === 'file') {
    return new Promise((resolve) => {
      const socket = createConnection({ path: address });
      socket.unref();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', (error) => resolve(!hasErrno(error, 'ECONNREFUSED', 'ENOENT')));
    });
  }
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(true));
    server.listen({ path: address, exclusive: true }, () => {
      server.close();
      resolve(false);
    });
  });
}
