import { join } from 'node:path';
import { PortleaseError } from '../errors.js';
import { assertKnownKeys, invalidOption } from '../options/errors.js';
import { chooseLockDir } from '../options/resolve.js';
import { checkLeaseName, checkStickyScope, shown } from '../options/schema.js';
import { projectOf } from '../platform/project.js';
import { reachableHost } from '../platform/reachable.js';
import { isOwnerAlive } from '../realm/liveness.js';
import { portDirOf, portsInScope, readPortDir } from '../store/entries.js';
import { ensureLockDir } from '../store/lock-dir.js';
import { ownerIdOfToken, readRecord } from '../store/record.js';
import type { LeaseInfo } from './inspect.js';

/** Options of {@link findLease}. */
export interface FindLeaseOptions {
  /** The lock directory; default as for leasePort (`PORTLEASE_DIR`, …). */
  lockDir?: string;
  /**
   * The project the name belongs to. Default, as for the lease that took the name:
   * `PORTLEASE_STICKY_SCOPE`, else the nearest directory at or above the working directory holding a
   * `package.json`, else one holding `.git`, else the working directory (real paths).
   */
  stickyScope?: string;
}

/** Options of {@link waitForLease}. */
export interface WaitForLeaseOptions extends FindLeaseOptions {
  /** Milliseconds to wait before failing with `TIMEOUT`. Default 30000. */
  timeout?: number;
  /** Aborts the wait with `ABORTED`. */
  signal?: AbortSignal;
  /**
   * Also wait until the lease's port accepts a TCP connection (on 127.0.0.1 or ::1), so a server
   * that leased its port but is still starting is not reported early. Default true.
   */
  listening?: boolean;
}

const FIND_KEYS = ['lockDir', 'stickyScope'] as const;
const WAIT_KEYS = [...FIND_KEYS, 'timeout', 'signal', 'listening'] as const;
const LISTEN_HOSTS = ['127.0.0.1', '::1'];
const POLL_MS = 100;

interface Query {
  name: string;
  project: string;
  lockDir: string;
}

function query(name: unknown, options: unknown, api: string, keys: readonly string[]): Query {
  checkLeaseName(name, `${api} name`);
  const o = (options ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object' || Array.isArray(o)) {
    throw invalidOption(
      `${api} options`,
      `must be an object such as { timeout: 10000 }, got ${shown(options)}.`,
    );
  }
  assertKnownKeys(o, keys, `${api} options`);
  const scope =
    o.stickyScope !== undefined && o.stickyScope !== null
      ? checkStickyScope(o.stickyScope, 'stickyScope')
      : process.env.PORTLEASE_STICKY_SCOPE
        ? checkStickyScope(process.env.PORTLEASE_STICKY_SCOPE, 'PORTLEASE_STICKY_SCOPE')
        : undefined;
  return { name: name as string, project: scope ?? projectOf(), lockDir: chooseLockDir(o.lockDir) };
}

/** The newest live lease named `q.name` in `q.project`, read from the records of this scope. */
async function scan(q: Query): Promise<LeaseInfo | undefined> {
  const paths = ensureLockDir(q.lockDir);
  let found: LeaseInfo | undefined;
  for (const port of portsInScope(paths)) {
    const portDir = portDirOf(paths, port);
    const tokens = readPortDir(portDir, paths.root);
    if (tokens === 'unreadable') continue;
    for (const token of tokens) {
      const ownerId = ownerIdOfToken(token);
      if (ownerId === undefined) continue;
      const path = join(portDir, token);
      const record = readRecord(path);
      if (typeof record === 'string' || record.name !== q.name || record.project !== q.project) continue;
      // The body names the lease; liveness comes from the file name, as for every reader.
      if (found?.createdAt && record.created <= found.createdAt.getTime()) continue;
      if (!(await isOwnerAlive(ownerId))) continue;
      found = {
        port,
        status: 'alive',
        owner: record.owner,
        pid: record.pid,
        command: record.command,
        createdAt: new Date(record.created),
        ...(record.sticky === undefined ? {} : { sticky: record.sticky }),
        name: record.name,
        project: record.project,
        token,
        path,
      };
    }
  }
  return found;
}

/**
 * The live lease named `name` in this project (see {@link FindLeaseOptions.stickyScope}), as
 * `listLeases` describes it, or `undefined` when there is none. A name is given with the `name` or
 * `sticky` lease option, `portlease run --name api` or `--sticky api`; if several live leases have
 * the name, the newest.
 *
 * @example
 * ```ts
 * const api = await findLease('api');
 * if (api) console.log(`http://127.0.0.1:${api.port}`);
 * ```
 */
export async function findLease(name: string, options?: FindLeaseOptions): Promise<LeaseInfo | undefined> {
  return scan(query(name, options, 'findLease', FIND_KEYS));
}

/** A pause of the wait: ref'd, since a caller awaiting the wait must not see its process exit under it. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits until a live lease named `name` exists in this project and (unless `listening: false`) its
 * port accepts TCP connections; resolves its info. For a suite or a script started next to the
 * servers it needs: `portlease run --name api -- node api.js` in one terminal, `waitForLease('api')`
 * in the other.
 *
 * @throws {PortleaseError} `TIMEOUT` past `timeout` (saying whether the lease was there and not
 * listening, or missing), `ABORTED` by `signal`, `INVALID_OPTIONS`.
 *
 * @example
 * ```ts
 * const api = await waitForLease('api', { timeout: 20_000 });
 * await fetch(`http://127.0.0.1:${api.port}/health`);
 * ```
 */
export async function waitForLease(name: string, options: WaitForLeaseOptions = {}): Promise<LeaseInfo> {
  const q = query(name, options, 'waitForLease', WAIT_KEYS);
  const { timeout = 30_000, signal, listening = true } = options;
  if (typeof timeout !== 'number' || !(timeout >= 0) || timeout > 2 ** 31 - 1) {
    throw invalidOption(
      'timeout',
      `must be a number of milliseconds from 0 to 2147483647, got ${JSON.stringify(timeout)}.`,
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalidOption('signal', 'must be an AbortSignal (e.g. AbortSignal.timeout(5000)).');
  }
  if (typeof listening !== 'boolean') {
    throw invalidOption('listening', `must be true or false, got ${JSON.stringify(listening)}.`);
  }
  const deadline = performance.now() + timeout;
  let last: LeaseInfo | undefined;
  for (;;) {
    if (signal?.aborted) {
      throw new PortleaseError(
        'ABORTED',
        `Waiting for the lease ${JSON.stringify(name)} was aborted by its signal.`,
        {
          cause: signal.reason,
        },
      );
    }
    last = await scan(q);
    if (last && (!listening || (await reachableHost(last.port, LISTEN_HOSTS)) !== undefined)) return last;
    if (performance.now() >= deadline) break;
    await sleep(Math.min(POLL_MS, Math.max(0, deadline - performance.now())), signal);
  }
  const where = `in project ${JSON.stringify(q.project)} (lock directory ${q.lockDir})`;
  throw new PortleaseError(
    'TIMEOUT',
    last
      ? `The lease ${JSON.stringify(name)} ${where} holds port ${last.port} (pid ${last.pid}), but nothing accepted a TCP connection on it (127.0.0.1, ::1) within ${timeout} ms. Check that its server listens on the port it was given, or wait longer.`
      : `No live lease named ${JSON.stringify(name)} appeared ${where} within ${timeout} ms. Start it (\`portlease run --name ${name} -- …\`) from the same project, or give the same stickyScope (PORTLEASE_STICKY_SCOPE) to both sides.`,
    { details: { name, project: q.project, ...(last ? { port: last.port } : {}) } },
  );
}
