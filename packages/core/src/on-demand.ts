import type { FindLeaseOptions, WaitForLeaseOptions } from './lease/find-lease.js';
import type { GcResult, InspectOptions, LeaseInfo } from './lease/inspect.js';
import type * as RarelyUsed from './rarely-used.js';
import type { RunningServer, StartServerOptions } from './server/start-server.js';

/*
 * The parts of the API a process that only leases ports never calls, loaded on their first call
 * (a dynamic import of their own chunk) instead of with `import('portlease')`: starting servers (the
 * strategies, the supervisor's client, frameworks), finding and waiting for named leases, listing
 * and collecting. Compiling them with every import was a visible share of `import('portlease')`
 * (bench/README.md, "Where a one-shot process's time goes"). Every one of them is async, so loading
 * first changes nothing a caller sees: a bad option still rejects the returned promise.
 *
 * The doc comments are the public ones (index.d.ts shows these); keep them in step with the
 * implementations'.
 */

const rarelyUsed = () => import('./rarely-used.js') as Promise<typeof RarelyUsed>;

/**
 * Starts a server on a leased (or given) port, waits until it accepts TCP connections, and returns
 * its `port` and `url`. A command runs under a small supervisor in its own process group, so stopping
 * it, or the death of this process (even by SIGKILL), takes down the whole process tree.
 *
 * @throws {PortleaseError} `SERVER_EXITED` (with the server's output) if it exits before listening,
 * `SERVER_TIMEOUT` if it does not listen within `readyTimeout`, `INVALID_OPTIONS` for bad options.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  return (await rarelyUsed()).startServer(options);
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
  return (await rarelyUsed()).findLease(name, options);
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
export async function waitForLease(name: string, options?: WaitForLeaseOptions): Promise<LeaseInfo> {
  return (await rarelyUsed()).waitForLease(name, options);
}

/**
 * Every lease record in the lock directory (this network namespace's part), with whether its owner is
 * alive.
 *
 * @example
 * ```ts
 * for (const lease of await listLeases()) console.log(lease.port, lease.owner, lease.status);
 * ```
 */
export async function listLeases(options?: InspectOptions): Promise<LeaseInfo[]> {
  return (await rarelyUsed()).listLeases(options);
}

/**
 * Removes what dead owners left behind: their records, their staged records, and empty port
 * directories. Never touches a live owner's record or an entry it cannot judge. Allocation does not
 * need this (it reclaims dead owners' ports as it meets them); it keeps `portlease list` tidy.
 */
export async function collectGarbage(options?: InspectOptions): Promise<GcResult> {
  return (await rarelyUsed()).collectGarbage(options);
}
