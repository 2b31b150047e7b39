import { basename } from 'node:path';
import type { Plugin } from 'vitest/config';
import type { VitestPluginContext } from 'vitest/node';
import { checkOptions, type PortleaseVitestOptions, toProvided } from './options.js';
import type {} from './provided.js';
import { leaseRunPorts, type RunPorts } from './run-ports.js';

export type { PortleaseVitestOptions } from './options.js';
export type { PortleasePorts, PortName, ProvidedPorts } from './provided.js';

/**
 * Vitest instance → options → its run-wide ports. Module-level, because Vitest 4 loads the config once
 * per project (new plugin instances) while Vitest 5 shares them: either way, plugins with the same
 * options in one Vitest session lease once and provide the same ports to every project.
 */
const sessions = new WeakMap<object, Map<string, Promise<RunPorts>>>();

function labelFor(options: PortleaseVitestOptions, root: string): PortleaseVitestOptions {
  if (options.owner !== undefined) return options;
  return { ...options, owner: `vitest (${basename(root) || root})` };
}

function sessionFor(
  options: PortleaseVitestOptions,
  vitest: VitestPluginContext['vitest'],
): Promise<RunPorts> {
  let byOptions = sessions.get(vitest);
  if (!byOptions) {
    byOptions = new Map();
    sessions.set(vitest, byOptions);
  }
  const labelled = labelFor(options, vitest.config.root);
  const key = JSON.stringify(toProvided(labelled));
  const existing = byOptions.get(key);
  if (existing) return existing;
  const started = leaseRunPorts(labelled, 'portlease() in vitest.config');
  byOptions.set(key, started);
  const registry = byOptions;
  vitest.onClose(async () => {
    // Also runs before a config-change restart; the restarted session leases afresh.
    if (registry.get(key) === started) registry.delete(key);
    await (await started.catch(() => undefined))?.release();
  });
  return started;
}

async function configure(options: PortleaseVitestOptions, { project, vitest }: VitestPluginContext) {
  const { ports } = await sessionFor(options, vitest);
  project.provide('portlease', ports);
  project.provide('portleaseOptions', toProvided(options));
}

/**
 * The portlease Vitest plugin. It leases the named run-wide ports once in Vitest's main process, before
 * any test runs, provides them to every test of the project (`inject('portlease')`), and releases them
 * when Vitest closes. In watch mode the same ports serve the whole session, every rerun included. It
 * also passes its lock directory and range to the worker fixtures of `@portlease/vitest/test`.
 *
 * Ports are unique across this run's workers and across every other process using the same lock
 * directory: another Vitest process, a CI shard on the same host, a dev server started with portlease.
 *
 * @throws {PortleaseError} `INVALID_OPTIONS` for bad options, at once. Leasing errors (e.g.
 * `RANGE_EXHAUSTED`) fail Vitest's start with a message naming the plugin and the ports.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * import { defineConfig } from 'vitest/config';
 * import { portlease } from '@portlease/vitest';
 *
 * export default defineConfig({
 *   plugins: [portlease({ ports: ['api', 'web'] })],
 * });
 *
 * // a test
 * import { inject } from 'vitest';
 * const { api, web } = inject('portlease');
 * ```
 */
export function portlease(options: PortleaseVitestOptions = {}): Plugin {
  const checked = checkOptions(options, 'portlease() options');
  return {
    name: 'portlease',
    configureVitest: (context: VitestPluginContext) => configure(checked, context),
  };
}
