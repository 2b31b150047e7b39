// Shared by the reliability tests (chaos, crash points, namespaces, hostile environments, properties):
// what the workspace's test harness gives every package (re-exported), a command-driven child
// ("agent"), namespace capability checks, and a listing of what is left in a lock directory.
import { spawn, spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dist } from '@portlease/test-harness';

/** Paths of everything left below a lock directory's scopes (the harness's, read through the store). */
export {
  bind,
  core,
  recordsIn as leftovers,
  reserveRange,
  runProcess,
  tempDir,
  until,
} from '@portlease/test-harness';

export const here = dirname(fileURLToPath(import.meta.url));
export const distIndex = join(dist, 'index.js');
export const fixture = (name) => join(here, 'fixtures', name);
export const AGENT = fixture('agent.mjs');
export const isRoot = process.getuid?.() === 0;

/** The scope directory name this process uses: one per network namespace (Linux), else `local`. */
export function scopeName() {
  if (process.platform !== 'linux') return 'local';
  return `net-${/\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/net'))[1]}`;
}

/** Microseconds on the system-wide monotonic clock (CLOCK_MONOTONIC): comparable across processes. */
export function now() {
  return Number(process.hrtime.bigint() / 1000n);
}

/** Rejects with `what` if `promise` has not settled within `ms` (a hang becomes a failure). */
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms (hang)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts the agent fixture (optionally behind a command prefix such as `unshare …`): a child that
 * takes JSON commands on stdin and answers each on stdout. `ask(command)` resolves its answer.
 */
export function startAgent({ prefix = [], env = {}, execArgv = [], args = [] } = {}) {
  const argv = [...prefix, process.execPath, ...execArgv, AGENT, ...args];
  const child = spawn(argv[0], argv.slice(1), {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let nextId = 1;
  const pending = new Map();
  let readyResolve;
  const ready = new Promise((resolve) => {
    readyResolve = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    for (let nl = out.indexOf('\n'); nl !== -1; nl = out.indexOf('\n')) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      if (message.ready) readyResolve(message);
      const waiter = pending.get(message.id);
      if (waiter) {
        pending.delete(message.id);
        waiter.resolve(message);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => {
    const why = new Error(`agent exited before answering; stderr:\n${err}`);
    for (const waiter of pending.values()) waiter.reject(why);
    pending.clear();
    readyResolve(undefined);
  });
  return {
    child,
    exited,
    ready,
    stderr: () => err,
    ask(command, ms = 60_000) {
      const id = nextId++;
      const answer = new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
      child.stdin.write(`${JSON.stringify({ ...command, id })}\n`);
      return within(answer, ms, `agent command ${command.cmd}`);
    },
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/**
 * How to run a command in new namespaces here: plain `unshare` as root, else inside a user namespace
 * mapped to root. Returns `{ prefix }` (argv to put before the command) or `{ reason }` to skip.
 */
export function unshare(flags) {
  if (process.platform !== 'linux') return { reason: `needs Linux namespaces (unshare ${flags.join(' ')})` };
  const candidates = isRoot ? [['unshare', ...flags]] : [['unshare', '--user', '--map-root-user', ...flags]];
  const errors = [];
  for (const prefix of candidates) {
    const probe = spawnSync(prefix[0], [...prefix.slice(1), 'true'], { encoding: 'utf8', timeout: 20_000 });
    if (probe.status === 0) return { prefix };
    errors.push(`${prefix.join(' ')}: ${probe.error?.message ?? probe.stderr.trim()}`);
  }
  return { reason: `this kernel/sandbox refuses new namespaces (${errors.join('; ')})` };
}

/** Runs `node ...args`, handing each JSON line of its stdout to `onLine`; resolves {code, lines}. */
export function runJsonLines(args, env, onLine = () => {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines = [];
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        onLine(line);
      }
    });
    child.once('close', (code) => resolve({ code, lines }));
  });
}
