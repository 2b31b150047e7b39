import { leasePort } from 'portlease';
import {
  invalidOption,
  leasePortHeldBy,
  ownerLabel,
  scopedIfSticky,
  withErrorContext,
} from 'portlease/adapter';
import { DEFAULT_LABEL, shardFromArgv } from './labels.js';
import { checkPortleaseOptions } from './options.js';
import type { PortleaseOptions } from './types.js';

/**
 * Options of {@link leaseRunPort}: where to lease ({@link PortleaseOptions}) and which run port.
 *
 * @example
 * ```ts
 * const api = await leaseRunPort({ name: 'api', range: [20000, 29999] });
 * ```
 */
export interface RunPortOptions extends Omit<PortleaseOptions, 'sticky'> {
  /**
   * Tells several run-wide ports apart (`'web'`, `'api'`); each name is leased once per run. Letters,
   * digits, `-` and `_`. Default `'default'`.
   */
  name?: string;
  /**
   * `true`: the run port is sticky under its `name` — the same port for this name of this project
   * (`stickyScope`, default the nearest `package.json` directory) run after run, e.g. for an OAuth
   * redirect URL or a bookmark; another port when that one is taken, never a wait. Default `false`.
   *
   * @example
   * ```ts
   * const web = await leaseRunPort({ name: 'web', sticky: true });
   * ```
   */
  sticky?: boolean;
}

/**
 * Options of {@link leaseRunPortSync}: those of {@link leaseRunPort} except `hosts` (the CLI probes
 * the default addresses).
 *
 * @example
 * ```ts
 * const web = leaseRunPortSync({ name: 'web', exclude: [20080] });
 * ```
 */
export type RunPortSyncOptions = Omit<RunPortOptions, 'hosts'>;

const ENV_PREFIX = 'PORTLEASE_PLAYWRIGHT_PORT';

function envKey(name: unknown, path: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    throw invalidOption(
      `${path}.name`,
      `must start with a letter and hold only letters, digits, - or _, got ${JSON.stringify(name)}.`,
    );
  }
  return name === 'default' ? ENV_PREFIX : `${ENV_PREFIX}_${name.toUpperCase().replaceAll('-', '_')}`;
}

/**
 * The port handed down by the runner's main process, if this process is that process (the config is
 * evaluated again) or one of its children (workers, the loader process). A value from further up (a
 * Playwright run started from inside another run's worker) is ignored, so a nested run gets its own.
 */
function inherited(key: string): number | undefined {
  const match = /^(\d+)@(\d+)$/.exec(process.env[key] ?? '');
  if (!match) return undefined;
  const pid = Number(match[2]);
  return pid === process.pid || pid === process.ppid ? Number(match[1]) : undefined;
}

function publish(key: string, port: number): number {
  // Set before Playwright forks its workers, which inherit process.env and re-evaluate the config.
  process.env[key] = `${port}@${process.pid}`;
  return port;
}

/**
 * Checks the options of the run-port helpers; `sticky` first and here, since it is `true` or `false`
 * (the name is the sticky name), where the worker option also takes a prefix. Returns whether sticky.
 */
function checkRunPortOptions(options: unknown, path: string): boolean {
  const sticky =
    typeof options === 'object' && options !== null ? (options as RunPortOptions).sticky : undefined;
  if (sticky !== undefined && typeof sticky !== 'boolean') {
    throw invalidOption(
      `${path}.sticky`,
      `must be true or false (the run port's name is its sticky name), got ${JSON.stringify(sticky)}.`,
    );
  }
  checkPortleaseOptions(options, path, ['name']);
  return sticky === true;
}

function label(options: RunPortOptions, name: string): string {
  return ownerLabel(`${options.owner ?? DEFAULT_LABEL} run`, { port: name, shard: shardFromArgv() });
}

/**
 * Leases one port for the whole Playwright run, for the config's `webServer` and `use.baseURL`. Call
 * it at the top of `playwright.config.ts` (top-level `await` needs an ESM config: `"type": "module"`
 * or a `.mts`/`.mjs` config; see {@link leaseRunPortSync} otherwise). The runner's main process leases
 * the port and hands it to its workers through `process.env`, so every worker, which evaluates the
 * config again, gets the same number. The port is held until the runner exits (reclaimed if it is
 * killed); concurrent shards and other runs on the host each get their own.
 *
 * @example
 * ```ts
 * // playwright.config.ts
 * import { defineConfig } from '@playwright/test';
 * import { leaseRunPort } from '@portlease/playwright';
 *
 * const port = await leaseRunPort();
 * export default defineConfig({
 *   webServer: { command: `node server.mjs --port ${port}`, url: `http://127.0.0.1:${port}/health` },
 *   use: { baseURL: `http://127.0.0.1:${port}` },
 * });
 * ```
 */
export async function leaseRunPort(options: RunPortOptions = {}): Promise<number> {
  const path = 'leaseRunPort options';
  const isSticky = checkRunPortOptions(options, path);
  const { name = 'default', sticky: _sticky, stickyScope, ...rest } = options;
  const key = envKey(name, path);
  const known = inherited(key);
  if (known !== undefined) return known;
  // Held until this process exits: portlease releases its leases then (or reclaims them after a kill).
  const lease = await withErrorContext(
    `leaseRunPort could not lease the run port ${JSON.stringify(name)}`,
    () =>
      leasePort(
        scopedIfSticky({
          ...rest,
          owner: label(options, name),
          sticky: isSticky ? name : undefined,
          stickyScope,
        }),
      ),
  );
  return publish(key, lease.port);
}

/**
 * {@link leaseRunPort} for configs that cannot use top-level `await` (a CommonJS
 * `playwright.config.ts`). It runs `portlease get --hold-pid <this pid>` (with `--sticky <name>` when
 * `sticky`): a small detached holder process keeps the lease and releases it within a second of the
 * runner's exit.
 *
 * @example
 * ```ts
 * const port = leaseRunPortSync({ name: 'web' });
 * ```
 */
export function leaseRunPortSync(options: RunPortSyncOptions = {}): number {
  const path = 'leaseRunPortSync options';
  if (typeof options === 'object' && options !== null && 'hosts' in options) {
    throw invalidOption(
      `${path}.hosts`,
      'is not supported: the CLI probes the default addresses. Use leaseRunPort({ hosts }) in an ESM config.',
    );
  }
  const isSticky = checkRunPortOptions(options, path);
  const name = options.name ?? 'default';
  const key = envKey(name, path);
  const known = inherited(key);
  if (known !== undefined) return known;
  const { range, lockDir, exclude, stickyScope } = options;
  const port = leasePortHeldBy(
    process.pid,
    {
      owner: label(options, name),
      range,
      lockDir,
      exclude,
      sticky: isSticky ? name : undefined,
      stickyScope,
    },
    `leaseRunPortSync could not lease the run port ${JSON.stringify(name)}`,
  );
  return publish(key, port);
}
