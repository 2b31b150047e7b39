// `portlease run` and signals: a signal sent to the whole process group (Ctrl-C in a terminal, a
// `kill -INT -PGID`) reaches the command once; one sent to portlease's pid alone is passed on.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { cli, fixture, recordsIn, tempLockDir } from './helpers.mjs';

/** `portlease run` as the leader of its own process group (as a shell runs a job). */
function runInOwnGroup(args, env) {
  const child = spawn(process.execPath, [cli, 'run', ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const messages = [];
  let waiters = [];
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    for (let nl = out.indexOf('\n'); nl !== -1; nl = out.indexOf('\n')) {
      messages.push(JSON.parse(out.slice(0, nl)));
      out = out.slice(nl + 1);
    }
    for (const w of waiters) w();
    waiters = [];
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const message = async (predicate) => {
    for (;;) {
      const found = messages.find(predicate);
      if (found) return found;
      await new Promise((resolve) => waiters.push(resolve));
    }
  };
  return { child, exited, message };
}

test('a process-group SIGINT reaches the command exactly once', async () => {
  const lockDir = tempLockDir();
  const run = runInOwnGroup(['--', process.execPath, fixture('count-sigints.mjs')], {
    PORTLEASE_DIR: lockDir,
  });
  await run.message((m) => m.ready);
  // Stop portlease run so the command surely takes its own copy of the group's SIGINT first; when
  // portlease continues it sees its copy: passing it on would be the second.
  process.kill(run.child.pid, 'SIGSTOP');
  process.kill(-run.child.pid, 'SIGINT');
  await run.message((m) => m.sigint === 1);
  process.kill(run.child.pid, 'SIGCONT');
  process.kill(run.child.pid, 'SIGTERM'); // to portlease alone: passed on; the command reports and exits
  const { total } = await run.message((m) => m.total !== undefined);
  assert.equal(total, 1, 'the command saw the group SIGINT once');
  assert.deepEqual(await run.exited, { code: 0, signal: null });
  assert.deepEqual(recordsIn(lockDir), []);
});
