import type * as ChildProcess from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PortleaseError, type PortleaseErrorCode } from '../errors.js';
import { builtin } from '../platform/builtin.js';

const childProcess = builtin<typeof ChildProcess>('node:child_process');

/**
 * What {@link leasePortHeldBy} leases: the CLI's `get` options (the CLI probes the default hosts, so
 * there is no `hosts`).
 */
export interface HeldLeaseOptions {
  owner: string;
  range?: readonly [number, number];
  lockDir?: string;
  exclude?: Iterable<number>;
  sticky?: string;
  stickyScope?: string;
}

/** What `portlease get --json` printed, as far as this reads it. */
interface GetReply {
  ports?: unknown[];
  error?: { code?: unknown; message?: unknown };
}

function cliArgs(holdPid: number, options: HeldLeaseOptions): string[] {
  const args = ['get', '--json', '--hold-pid', String(holdPid), '--owner', options.owner];
  if (options.sticky !== undefined) args.push('--sticky', options.sticky);
  if (options.sticky !== undefined && options.stickyScope !== undefined)
    args.push('--sticky-scope', options.stickyScope);
  if (options.range) args.push('--range', `${options.range[0]}-${options.range[1]}`);
  if (options.lockDir) args.push('--lock-dir', options.lockDir);
  const exclude = [...(options.exclude ?? [])];
  if (exclude.length) args.push('--exclude', exclude.join(','));
  return args;
}

function parseReply(stdout: string): GetReply | undefined {
  try {
    const value: unknown = JSON.parse(stdout.trim());
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as GetReply)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Leases one port synchronously, held by a detached `portlease get --hold-pid <holdPid>` holder until
 * that process exits (released within a second of it): for configs that cannot `await` (a CommonJS
 * `playwright.config.ts`). It runs this package's own CLI with this Node.js and reads its one JSON
 * reply (`{"v":1,"ports":[…]}`, or `{"v":1,"error":{code,message}}` with a non-zero exit), so the
 * CLI's contract is read here, next to the CLI, and nowhere else.
 *
 * @throws {PortleaseError} the CLI's error (code and message kept) with `context` in front.
 *
 * @example
 * ```ts
 * const port = leasePortHeldBy(process.pid, { owner: 'playwright run port=web' }, 'leaseRunPortSync could not lease "web"');
 * ```
 */
export function leasePortHeldBy(holdPid: number, options: HeldLeaseOptions, context: string): number {
  const cli = join(dirname(fileURLToPath(import.meta.url)), 'cli.js');
  const run = childProcess().spawnSync(process.execPath, [cli, ...cliArgs(holdPid, options)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (run.error) throw run.error;
  const reply = parseReply(run.stdout);
  const port = reply?.ports?.[0];
  if (run.status === 0 && typeof port === 'number') return port;
  const { code, message } = reply?.error ?? {};
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code) && typeof message === 'string') {
    throw new PortleaseError(code as PortleaseErrorCode, message).withContext(context);
  }
  // The CLI died before it could answer: what it printed, coded as a failed option.
  const printed = run.stdout.trim() || run.stderr.trim();
  throw new PortleaseError(
    'INVALID_OPTIONS',
    `portlease get exited with ${run.status} and printed ${JSON.stringify(printed)}`,
  ).withContext(context);
}
