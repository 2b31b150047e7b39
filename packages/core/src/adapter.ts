/**
 * `portlease/adapter`: the one schema of lease and server options, for the runner adapters
 * (@portlease/playwright, @portlease/vitest, @portlease/jest) and the CLI. An adapter checks the
 * options in its configuration with these, at the path the user wrote them, and adds only its own
 * keys; every mistake is then the same `INVALID_OPTIONS` with the same message as through the API.
 *
 * @example
 * ```ts
 * import { checkLeaseOptions, checkServerOptions } from 'portlease/adapter';
 *
 * const options = checkLeaseOptions(config.portlease, 'use.portlease', { sticky: 'prefix', own: ['workerServer'] });
 * checkServerOptions(options.workerServer, 'use.portlease.workerServer', { omit: { port: 'the fixture leases it' } });
 * ```
 */
export { type HeldLeaseOptions, leasePortHeldBy } from './cli/held-lease.js';
export { leaseNamedPorts, type NamedPorts, type NamedPortsRequest } from './lease/named-ports.js';
export { assertKnownKeys, closest, invalidOption, withErrorContext } from './options/errors.js';
export { ownerLabel, scopedIfSticky } from './options/owner-label.js';
export { checkPortNames } from './options/port-names.js';
export {
  ADAPTER_LEASE_KEYS,
  checkLeaseOptions,
  checkStickyName,
  LEASE_OPTION_ENV,
  LEASE_OPTION_KEYS,
  type LeaseOptionKey,
  type LeaseOptionsForm,
  leaseFieldsOf,
  parseRange,
  STICKY_NAME_RULE,
  type StickyForm,
  shown,
  validateRange,
} from './options/schema.js';
export { stickyPorts } from './options/sticky-ports.js';
export type { NamedServers } from './server/server-group.js';
export { type ServerOptionsForm, START_SERVER_OPTION_KEYS } from './server/validate.js';
export { settleAll } from './settle.js';

import { invalidOption } from './options/errors.js';
import type * as RarelyUsed from './rarely-used.js';
import type { NamedServers } from './server/server-group.js';
import type { StartServerOptions } from './server/types.js';
import { type ServerOptionsForm, validateServerOptions } from './server/validate.js';

/**
 * Checks server options (startServer's) found at `path` in an adapter's configuration, with
 * startServer's own rules; `omit` are the keys the adapter sets itself, each with why.
 *
 * @example
 * ```ts
 * checkServerOptions(config.servers.api, 'global.servers.api', { omit: { port: "global setup leases the server's port" } });
 * ```
 */
export function checkServerOptions(
  value: unknown,
  path: string,
  form: Omit<ServerOptionsForm, 'path'> = {},
): StartServerOptions {
  validateServerOptions(value, { ...form, path });
  return value;
}

/**
 * Checks a map of named server options found at `path` (`{ api: { command: […] } }`): an object,
 * each entry by {@link checkServerOptions} at `path.<name>`. `undefined` is an empty map.
 *
 * @example
 * ```ts
 * const servers = checkNamedServerOptions(config.servers, 'global.servers', { omit: { port: 'global setup leases it' } });
 * ```
 */
export function checkNamedServerOptions(
  value: unknown,
  path: string,
  form: Omit<ServerOptionsForm, 'path'> = {},
): Record<string, StartServerOptions> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidOption(
      path,
      `must map names to startServer options, e.g. { api: { command: ['node', 'server.js'] } }.`,
    );
  }
  for (const [name, server] of Object.entries(value)) checkServerOptions(server, `${path}.${name}`, form);
  return value as Record<string, StartServerOptions>;
}

/**
 * Starts servers at once, all or nothing: when one fails to start, the ones that did are stopped and
 * the first failure (in key order) is thrown with its code. Each server's `name` (the name its messages
 * use) defaults to its key.
 * Loaded on first call, as `startServer` is (on-demand.ts: a process that only leases never compiles
 * the server code).
 *
 * @example
 * ```ts
 * const { servers, stop } = await startNamedServers({ api: { command: ['node', 'api.js'] } });
 * console.log(servers.api.url);
 * await stop();
 * ```
 */
export async function startNamedServers(
  specs: Readonly<Record<string, StartServerOptions>>,
): Promise<NamedServers> {
  const rarelyUsed = (await import('./rarely-used.js')) as typeof RarelyUsed;
  return rarelyUsed.startNamedServers(specs);
}
