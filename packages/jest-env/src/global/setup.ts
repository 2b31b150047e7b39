// `globalSetup: '@portlease/jest/global-setup'` loads this module (built as dist/global-setup.*): Jest
// calls its default export in its parent process, before the workers fork.
import { resolve } from 'node:path';
import { PortleaseError } from 'portlease';
import {
  invalidOption,
  leaseNamedPorts,
  scopedIfSticky,
  startNamedServers,
  stickyPorts,
} from 'portlease/adapter';
import { type JestShard, shardLabel, shardOf } from '../labels.js';
import { checkServers, type PortleaseGlobalOptions, planLeases } from '../options.js';
import { GLOBAL_ENV, GLOBAL_KEY, type GlobalPortsInfo } from '../shared.js';
import { closeSession, type GlobalSession, globalState, publishGlobalPorts } from './state.js';

/** The part of Jest's project config global setup reads. */
export interface ProjectConfigLike {
  rootDir: string;
  testEnvironmentOptions?: Record<string, unknown>;
}

/** A Jest `globalSetup` function: `(globalConfig, projectConfig) => Promise<void>`. */
export type JestGlobalHook = (globalConfig: unknown, projectConfig: ProjectConfigLike) => Promise<void>;

/**
 * Where global setup runs: the project's root (default cwd of servers), a label for messages, and the
 * shard, which the owner labels carry (`jest global setup names=db shard=2/3`).
 */
export interface GlobalSetupContext {
  rootDir?: string;
  where?: string;
  shard?: JestShard | null;
}

/**
 * Leases suite-wide ports and starts suite-wide servers in Jest's parent process, before the workers
 * fork, and hands them to the workers through `process.env.PORTLEASE_JEST_GLOBAL` (tests read them
 * with `globalPort()` / `globalUrl()`). Everything is held until {@link releaseGlobalPorts} (the
 * global teardown) or the process ends. All or nothing: on failure whatever was taken is given back.
 *
 * @throws {PortleaseError} `INVALID_OPTIONS`, `RANGE_EXHAUSTED`, `SERVER_EXITED` (with the server's
 * output), `SERVER_TIMEOUT`, … — the message says which setup step failed.
 *
 * @example
 * ```js
 * // jest.global-setup.js: your own global setup, built on this one
 * const { leaseGlobalPorts } = require('@portlease/jest/global-setup');
 * module.exports = async (globalConfig, projectConfig) => {
 *   const { named } = await leaseGlobalPorts({ names: ['db'] }, projectConfig);
 *   await startMyDatabase(named.db);
 * };
 * ```
 */
export async function leaseGlobalPorts(
  options: PortleaseGlobalOptions = {},
  context: GlobalSetupContext = {},
): Promise<GlobalPortsInfo> {
  const where = context.where ?? 'the global setup options';
  const plan = planLeases(options, where, 0, ['servers']);
  const servers = checkServers(options.servers, where);
  for (const name of Object.keys(servers)) {
    if (plan.names.includes(name))
      throw invalidOption(
        `${where}.servers.${name}`,
        `is also in ${where}.names: a name is either a port or a server; rename one.`,
      );
  }
  // Suite-wide names have one holder per run, so each is sticky under the name itself.
  const sticky = stickyPorts(plan.sticky, [...plan.names, ...Object.keys(servers)], where, 'names');
  const rootDir = context.rootDir ?? process.cwd();
  const state = globalState();
  if (state.sessions.length === 0) state.previousEnv = process.env[GLOBAL_ENV];
  const session: GlobalSession = { ports: undefined, servers: undefined, info: undefined };
  state.sessions.push(session);
  try {
    const base = plan.lease.owner ?? 'jest global';
    const shard = shardLabel(context.shard);
    const names = plan.names.length ? ` names=${plan.names.join(',')}` : '';
    const leased = await leaseNamedPorts({ ...plan, sticky, owner: `${base} setup${names}${shard}` });
    session.ports = leased;
    const started = await startNamedServers(
      Object.fromEntries(
        Object.entries(servers).map(([name, server]) => [
          name,
          {
            ...server,
            cwd: resolve(rootDir, server.cwd ?? '.'),
            lease: scopedIfSticky({
              ...plan.lease,
              owner: `${base} server=${name}${shard}`,
              ...(sticky.has(name) ? { sticky: name } : {}),
            }),
          },
        ]),
      ),
    );
    session.servers = started;
    const running = Object.entries(started.servers);
    session.info = {
      ports: [...leased.ports, ...running.map(([, server]) => server.port)],
      named: { ...leased.named, ...Object.fromEntries(running.map(([name, server]) => [name, server.port])) },
      urls: Object.fromEntries(running.map(([name, server]) => [name, server.url])),
    };
    publishGlobalPorts(state);
    return session.info;
  } catch (error) {
    state.sessions.splice(state.sessions.indexOf(session), 1);
    await closeSession(session).catch(() => {});
    publishGlobalPorts(state);
    throw error instanceof PortleaseError ? error.withContext('@portlease/jest global setup') : error;
  }
}

/**
 * Makes a Jest `globalSetup` function from options (or from a function of the project config).
 *
 * @example
 * ```js
 * // jest.global-setup.mjs
 * import { createGlobalSetup } from '@portlease/jest/global-setup';
 * export default createGlobalSetup({
 *   servers: { api: { start: (port) => http.createServer(handler).listen(port) } },
 * });
 * ```
 */
export function createGlobalSetup(
  options: PortleaseGlobalOptions | ((projectConfig: ProjectConfigLike) => PortleaseGlobalOptions),
): JestGlobalHook {
  return async (globalConfig, projectConfig) => {
    const resolved = typeof options === 'function' ? options(projectConfig) : options;
    await leaseGlobalPorts(resolved, {
      rootDir: projectConfig?.rootDir,
      where: 'createGlobalSetup options',
      shard: shardOf(globalConfig),
    });
  };
}

/**
 * The `globalSetup: '@portlease/jest/global-setup'` hook: leases and starts what
 * `testEnvironmentOptions.portlease.global` asks for.
 *
 * @example
 * ```js
 * // jest.config.js
 * module.exports = {
 *   globalSetup: '@portlease/jest/global-setup',
 *   globalTeardown: '@portlease/jest/global-teardown',
 *   testEnvironmentOptions: { portlease: { global: { servers: { api: { command: ['node', 'api.js'] } } } } },
 * };
 * ```
 */
export const globalSetup: JestGlobalHook = async (globalConfig, projectConfig) => {
  const where = 'testEnvironmentOptions.portlease.global';
  const portlease = projectConfig?.testEnvironmentOptions?.[GLOBAL_KEY] as { global?: unknown } | undefined;
  const options = portlease?.global;
  if (options === undefined) {
    throw invalidOption(
      where,
      `is not set, and globalSetup '@portlease/jest/global-setup' needs it: say what to lease, e.g. testEnvironmentOptions: { portlease: { global: { names: ['db'] } } } or { global: { servers: { api: { command: ['node', 'server.js'] } } } }.`,
    );
  }
  await leaseGlobalPorts(options as PortleaseGlobalOptions, {
    rootDir: projectConfig.rootDir,
    where,
    shard: shardOf(globalConfig),
  });
};

export default globalSetup;
export type { JestShard } from '../labels.js';
export type { GlobalServerOptions, PortleaseGlobalOptions } from '../options.js';
export type { GlobalPortsInfo } from '../shared.js';
