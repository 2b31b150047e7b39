import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { leasePort, PortleaseError, type PortleaseErrorCode } from 'portlease';
import { DEFAULT_LABEL, shardFromArgv } from './labels.js';
import type { PortleaseOptions } from './types.js';

/**
 * Options of {@link leaseRunPort}: where to lease ({@link PortleaseOptions}) and which run port.
 *
 * @example
 * ```ts
 * const api = await leaseRunPort({ name: 'api', range: [20000, 29999] });
 * ```
 */
export interface RunPortOptions extends PortleaseOptions {
  /**
   * Tells several run-wide ports apart (`'web'`, `'api'`); each name is leased once per run. Letters,
   * digits, `-` and `_`. Default `'default'`.
   */
  name?: string;
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

function envKey(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    throw new PortleaseError(
      'INVALID_OPTIONS',
      `Run port name ${JSON.stringify(name)} must start with a letter and hold only letters, digits, - or _.`,
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

function label(options: RunPortOptions, name: string): string {
  const shard = shardFromArgv();
  const parts = [options.owner ?? DEFAULT_LABEL, `run port=${name}`];
  if (shard) parts.push(`shard=${shard}`);
  return parts.join(' ');
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
  const { name = 'default', ...rest } = options;
  const key = envKey(name);
  const known = inherited(key);
  if (known !== undefined) return known;
  // Held until this process exits: portlease releases its leases then (or reclaims them after a kill).
  const lease = await leasePort({ ...rest, owner: label(options, name) });
  return publish(key, lease.port);
}

function coreCli(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('portlease/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin.portlease as string);
}

function cliArgs(options: RunPortSyncOptions, owner: string): string[] {
  const args = ['get', '--json', '--hold-pid', String(process.pid), '--owner', owner];
  if (options.range) args.push('--range', `${options.range[0]}-${options.range[1]}`);
  if (options.lockDir) args.push('--lock-dir', options.lockDir);
  const exclude = options.exclude ? [...options.exclude] : [];
  if (exclude.length) args.push('--exclude', exclude.join(','));
  return args;
}

/**
 * {@link leaseRunPort} for configs that cannot use top-level `await` (a CommonJS
 * `playwright.config.ts`). It runs `portlease get --hold-pid <this pid>`: a small detached holder
 * process keeps the lease and releases it within a second of the runner's exit.
 *
 * @example
 * ```ts
 * const port = leaseRunPortSync({ name: 'web' });
 * ```
 */
export function leaseRunPortSync(options: RunPortSyncOptions = {}): number {
  const name = options.name ?? 'default';
  const key = envKey(name);
  const known = inherited(key);
  if (known !== undefined) return known;
  let output: string;
  try {
    output = execFileSync(process.execPath, [coreCli(), ...cliArgs(options, label(options, name))], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    // The CLI prints `portlease: [CODE] <message>`; rethrow it as the error leaseRunPort would throw.
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    const parsed = /^portlease: \[([A-Z_]+)\] ([\s\S]*)$/.exec(stderr);
    const code = (parsed?.[1] ?? 'INVALID_OPTIONS') as PortleaseErrorCode;
    const message = parsed?.[2] ?? (stderr || String(error));
    throw new PortleaseError(code, `leaseRunPortSync could not lease a port: ${message}`);
  }
  const port = (JSON.parse(output) as { ports: number[] }).ports[0];
  if (port === undefined) throw new PortleaseError('INVALID_OPTIONS', `portlease get printed ${output}`);
  return publish(key, port);
}
