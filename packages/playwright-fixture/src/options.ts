import { type ADAPTER_LEASE_KEYS, checkLeaseOptions, checkServerOptions } from 'portlease/adapter';
import type { PortleaseOptions, WorkerServerOptions } from './types.js';

/**
 * The option checks of this package: core's schema (`portlease/adapter`) at the path the user wrote
 * the option, plus this package's own keys. Playwright passes `use` values through untouched, so a
 * misspelt key (`workerServer: { readytimeout }`) would otherwise be ignored.
 */

/** `true` only if `List` names every key of `T`: stops compiling when the type gains a key. */
type Covers<T, List extends readonly string[]> = Exclude<keyof T, List[number]> extends never ? true : false;
true satisfies Covers<PortleaseOptions, typeof ADAPTER_LEASE_KEYS>;

/**
 * Checks lease options (the `portlease` option, `leaseRunPort`'s options) found at `path`: `sticky` is
 * `true` or a name prefix here; `own` are further keys the caller allows and checks itself.
 */
export function checkPortleaseOptions(
  value: unknown,
  path: string,
  own: readonly string[] = [],
): PortleaseOptions {
  return checkLeaseOptions(value, path, { sticky: 'prefix', own }) as PortleaseOptions;
}

/** Checks the `workerServer` option found at `path`: startServer's rules, less what the fixture sets. */
export function checkWorkerServer(value: unknown, path: string): WorkerServerOptions {
  return checkServerOptions(value, path, {
    omit: {
      port: 'the worker fixture leases the server port',
      lease: 'the worker fixture leases the server port',
    },
  }) as WorkerServerOptions;
}
