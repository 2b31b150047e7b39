import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PortleaseError, type PortleaseErrorCode } from 'portlease';

/**
 * `portlease get --json` run synchronously, for {@link leaseRunPortSync}: a config that cannot
 * `await` cannot lease in process, so a small detached holder started by the CLI keeps the lease.
 *
 * The CLI's contract: one JSON object on stdout, `{"v":1,"ports":[…],…}` on success and
 * `{"v":1,"error":{"code":"RANGE_EXHAUSTED","message":"[RANGE_EXHAUSTED] …"}}` with a non-zero exit
 * on failure, so nothing here reads prose.
 */

/** What `portlease get --json` printed, as far as this package reads it. */
interface GetReply {
  v?: number;
  ports?: unknown[];
  error?: { code?: unknown; message?: unknown };
}

/** The outcome of one `portlease get` run. */
export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed, if it was a JSON object. */
  readonly reply: GetReply | undefined;
}

function coreCli(): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve('portlease/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  return join(dirname(manifest), bin.portlease as string);
}

function parseReply(stdout: string): GetReply | undefined {
  try {
    const value: unknown = JSON.parse(stdout);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as GetReply)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `portlease <args>` with this Node.js and waits for it (the holder it starts is detached). */
export function runCli(args: readonly string[]): CliRun {
  const result = spawnSync(process.execPath, [coreCli(), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.error) throw result.error;
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    reply: parseReply(result.stdout.trim()),
  };
}

const isCode = (code: unknown): code is PortleaseErrorCode =>
  typeof code === 'string' && /^[A-Z_]+$/.test(code);

/** The failure of a `portlease get` run as the PortleaseError `leaseRunPort` would have thrown. */
export function cliError(run: CliRun, name: string): PortleaseError {
  const context = `leaseRunPortSync could not lease the run port ${JSON.stringify(name)}`;
  const reported = run.reply?.error;
  if (reported && isCode(reported.code) && typeof reported.message === 'string') {
    return new PortleaseError(reported.code, reported.message).withContext(context);
  }
  // Anything else (the CLI died before it could answer): what it printed, coded as a failed get.
  const stderr = run.stderr.trim();
  return new PortleaseError(
    'INVALID_OPTIONS',
    `portlease get exited with ${run.status} and printed ${JSON.stringify(run.stdout.trim() || stderr)}`,
  ).withContext(context);
}
