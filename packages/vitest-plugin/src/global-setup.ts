import { basename } from 'node:path';
import { invalidOption } from 'portlease/adapter';
import type { TestProject } from 'vitest/node';
import { checkOptions, type PortleaseVitestOptions, stickyNames } from './options.js';
import type {} from './provided.js';
import { leaseRunPorts } from './run-ports.js';

/** Names from `PORTLEASE_PORTS` (`api,web`), for runs configured by environment. */
function namesFromEnv(): string[] | undefined {
  const text = process.env.PORTLEASE_PORTS;
  if (!text) return undefined;
  return text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter(Boolean);
}

/**
 * Vitest global setup that leases the run-wide ports, for configs that list `globalSetup` by hand
 * instead of using the `portlease()` plugin. It reads its options from `test.provide.portleaseOptions`
 * (the port names from `ports`, or from the `PORTLEASE_PORTS` environment variable, e.g. `api,web`),
 * provides the ports as `inject('portlease')`, and releases them in its teardown.
 *
 * Vitest runs global setups only when a test is queued, once per project, and once per watch session.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({
 *   test: {
 *     globalSetup: ['@portlease/vitest/global-setup'],
 *     provide: { portleaseOptions: { ports: ['api', 'web'], range: [20000, 29999] } },
 *   },
 * });
 * ```
 */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const provided = project.getProvidedContext().portleaseOptions as PortleaseVitestOptions | undefined;
  const options = checkOptions(provided, 'test.provide.portleaseOptions');
  const names = options.ports ?? namesFromEnv();
  if (!names || names.length === 0) {
    throw invalidOption(
      'test.provide.portleaseOptions.ports',
      "is not set, and @portlease/vitest/global-setup needs port names: set test.provide.portleaseOptions = { ports: ['api'] } in vitest.config, or PORTLEASE_PORTS=api in the environment.",
    );
  }
  // Names from PORTLEASE_PORTS were not there to check `sticky` against when the options were checked.
  stickyNames(options.sticky, names, 'test.provide.portleaseOptions');
  const resolved: PortleaseVitestOptions = { ...options, ports: names };
  resolved.owner ??= `vitest (${project.name || basename(project.config.root)})`;
  const run = await leaseRunPorts(resolved, '@portlease/vitest/global-setup');
  project.provide('portlease', run.ports);
  project.provide('portleaseOptions', { ...options, ports: names });
  return () => run.release();
}

export default setup;
