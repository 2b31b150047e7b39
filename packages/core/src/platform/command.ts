import type * as ChildProcess from 'node:child_process';
import { builtin } from './builtin.js';

const childProcess = builtin<typeof ChildProcess>('node:child_process');

/** The longest one OS query may take; a command that hangs costs this once per process, then defaults. */
export const COMMAND_TIMEOUT_MS = 2000;

/** What running an OS command gave: its output, or why there is none (for `doctor`). */
export type CommandResult = { ok: true; stdout: string } | { ok: false; reason: string };

let timedOut = false;

/**
 * Runs `file args` synchronously with a {@link COMMAND_TIMEOUT_MS} bound and no shell. Never throws.
 * Once one command has timed out, later ones are not started (the system that hung one will likely
 * hang the next) and report that, so a process waits at most one timeout in all.
 *
 * Synchronous because its callers are (the default range is computed while options are resolved) and
 * it runs once per process, never per lease.
 */
export function runCommand(file: string, args: readonly string[]): CommandResult {
  const shown = [file, ...args].join(' ');
  if (timedOut) return { ok: false, reason: `\`${shown}\` skipped: an earlier OS command timed out` };
  const result = childProcess().spawnSync(file, args, {
    encoding: 'utf8',
    timeout: COMMAND_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'ignore'],
    windowsHide: true,
    maxBuffer: 1024 * 1024,
  });
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT' || (result.signal === 'SIGKILL' && result.status === null)) {
    timedOut = true;
    return { ok: false, reason: `\`${shown}\` did not answer within ${COMMAND_TIMEOUT_MS} ms` };
  }
  if (code === 'ENOENT') return { ok: false, reason: `\`${file}\` was not found on PATH` };
  if (result.error) return { ok: false, reason: `\`${shown}\` failed (${code ?? result.error.message})` };
  if (result.status !== 0) {
    return { ok: false, reason: `\`${shown}\` exited with ${result.status ?? result.signal}` };
  }
  return { ok: true, stdout: result.stdout };
}
