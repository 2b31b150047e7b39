// Forks the measures' child-process scripts with an IPC channel and a clean environment.
import { fork } from 'node:child_process';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { now } from './stats.mjs';

/**
 * The environment children run with: no inherited PORTLEASE_RANGE or PORTLEASE_DIR, so portlease
 * resolves its default range and its default lock directory as a user's process would, unless the
 * measure sets one on purpose in `extra`.
 */
export function childEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  delete env.PORTLEASE_RANGE;
  if (!extra.PORTLEASE_DIR) delete env.PORTLEASE_DIR;
  return env;
}

/**
 * Forks the script at `url` (a measure's own `new URL('./child.mjs', import.meta.url)`) with a JSON
 * argument. `next(type)` resolves with the next message of that type; `exited` with
 * { code, signal, at }. A child that exits early rejects pending waits.
 */
export function forkChild(url, arg, { execArgv = [], env = {} } = {}) {
  const path = fileURLToPath(url);
  const script = basename(path);
  const child = fork(path, [JSON.stringify(arg)], {
    env: childEnv(env),
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  const queue = [];
  const waiters = [];
  child.on('message', (message) => {
    const index = waiters.findIndex((w) => w.type === message.type);
    if (index === -1) queue.push(message);
    else waiters.splice(index, 1)[0].resolve(message);
  });
  // 'exit' can come before the child's last IPC messages are read; 'close' waits for the channel.
  let closed = false;
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, at: now() }));
  });
  child.on('close', (code, signal) => {
    closed = true;
    for (const w of waiters.splice(0)) {
      w.reject(new Error(`${script} exited (code ${code}, signal ${signal}) before sending ${w.type}`));
    }
  });
  function next(type) {
    const index = queue.findIndex((m) => m.type === type);
    if (index !== -1) return Promise.resolve(queue.splice(index, 1)[0]);
    if (closed) {
      return Promise.reject(new Error(`${script} already exited before sending ${type}`));
    }
    return new Promise((resolve, reject) => waiters.push({ type, resolve, reject }));
  }
  return { child, next, exited };
}
