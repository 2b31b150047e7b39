// Shared by the core's tests: what the workspace's test harness gives every package (re-exported, so
// a test file imports from one place), private lock directories, a listing of the records left in
// one (the harness's, read through the store), and child processes running fixtures that report JSON lines.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from '@portlease/test-harness';

export {
  bind,
  cli,
  core,
  dist,
  inPrivateMounts,
  pnpm,
  readableBuild,
  recordsIn,
  reserveRange,
  runNode,
  runProcess,
  until,
} from '@portlease/test-harness';

export const here = dirname(fileURLToPath(import.meta.url));
export const fixture = (name) => join(here, 'fixtures', name);

/** A fresh, private lock directory (mode 0700), removed when the process exits. */
export const tempLockDir = () => tempDir('pl-test-');

/**
 * Starts `node <file> ...args` with PORTLEASE_DIR and friends; `lines()` gives parsed JSON lines of its
 * stdout as they come, `exited` its exit {code, signal}.
 */
export function startNode(file, args = [], { env = {}, execArgv = [] } = {}) {
  const child = spawn(process.execPath, [...execArgv, file, ...args], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const messages = [];
  const waiters = [];
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    let newline = out.indexOf('\n');
    while (newline !== -1) {
      const line = out.slice(0, newline);
      out = out.slice(newline + 1);
      try {
        messages.push(JSON.parse(line));
      } catch {
        messages.push({ text: line });
      }
      for (const waiter of waiters.splice(0)) waiter();
      newline = out.indexOf('\n');
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => {
    for (const waiter of waiters.splice(0)) waiter();
  });
  return {
    child,
    exited,
    messages,
    stderr: () => err,
    /** Waits for the next message matching `predicate` (or any message). */
    async message(predicate = () => true) {
      for (;;) {
        const found = messages.find(predicate);
        if (found) return found;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(
            `child exited (${child.exitCode ?? child.signalCode}) without the expected message; stderr:\n${err}`,
          );
        }
        await new Promise((resolve) => waiters.push(resolve));
      }
    },
  };
}
