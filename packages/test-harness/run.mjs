// Child processes run to completion, their output collected: the CLI, the runners (Jest, Vitest,
// Playwright) and scripts under test.
import { spawn } from 'node:child_process';

/**
 * Runs `command args` and resolves `{ code, signal, stdout, stderr, output, pid, timedOut }` (`output`
 * is stdout and stderr as they came). Rejects only if the command cannot be started.
 * - `env`: the whole environment (default: this process's).
 * - `input`: written to stdin, which is then closed; without it stdin is /dev/null.
 * - `timeout`: ms after which the child gets SIGKILL (`timedOut: true`); the caller says what that means.
 * - `settle`: `'close'` (default) waits for stdout and stderr to end; `'exit'` resolves when the
 *   process exits, for commands that leave a descendant holding the pipes (a lease holder).
 */
export function runProcess(command, args, { cwd, env = process.env, input, timeout, settle = 'close' } = {}) {
  const child = spawn(command, args, {
    cwd,
    env,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
    output += chunk;
  });
  if (input !== undefined) child.stdin.end(input);
  let timedOut = false;
  const timer =
    timeout === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeout);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once(settle, (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, output, pid: child.pid, timedOut });
    });
  });
}

/** Runs `node ...args` (this Node) with `env` added to this process's; resolves as `runProcess` does. */
export function runNode(args, { env = {}, input = '', settle = 'exit' } = {}) {
  return runProcess(process.execPath, args, { env: { ...process.env, ...env }, input, settle });
}
