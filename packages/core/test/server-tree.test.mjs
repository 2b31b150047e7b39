// What startServer's stop() stops: the command's whole tree, including a child that left its
// process group, and the tree of a command whose supervisor was SIGKILLed; the lease is kept until
// the port is free. And the pids it exposes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { core, dist, fixture, recordsIn, tempLockDir } from './helpers.mjs';

const { startServer, listLeases } = core;

function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
/** Running (a zombie, dead and waiting to be reaped, counts as gone). */
const alive = (pid) => {
  const fields = stat(pid);
  return fields !== undefined && fields[0] !== 'Z';
};

test('stop() also ends a grandchild that started its own process group and session', async () => {
  const lockDir = tempLockDir();
  const server = await startServer({
    command: [process.execPath, fixture('detached-tree-server.mjs')],
    lease: { lockDir },
  });
  const { grandchild } = await (await fetch(server.url)).json();
  let stopped = false;
  try {
    assert.ok(alive(grandchild));
    await server.stop();
    stopped = true;
    assert.equal(alive(grandchild), false, 'the detached grandchild is stopped too');
    assert.deepEqual(recordsIn(lockDir), []);
  } finally {
    if (!stopped || alive(grandchild)) process.kill(grandchild, 'SIGKILL');
  }
});

test('pid is the supervisor, appPid the command', async () => {
  const server = await startServer({
    command: [process.execPath, fixture('detached-tree-server.mjs')],
    lease: { lockDir: tempLockDir() },
  });
  const { pid } = await (await fetch(server.url)).json();
  try {
    assert.equal(server.appPid, pid, 'appPid is the command itself');
    assert.equal(Number(stat(pid)[1]), server.pid, "pid is the command's parent, the supervisor");
  } finally {
    await server.stop();
  }
});

test('with the supervisor SIGKILLed, stop() still stops the command and its tree before it releases', async () => {
  const lockDir = tempLockDir();
  const server = await startServer({
    command: [process.execPath, fixture('detached-tree-server.mjs')],
    lease: { lockDir },
  });
  const { pid, grandchild } = await (await fetch(server.url)).json();
  try {
    process.kill(server.pid, 'SIGKILL');
    await server.stop();
    assert.equal(alive(pid), false, 'the orphaned command was stopped by stop() itself');
    assert.equal(alive(grandchild), false, 'and its detached child');
    await assert.rejects(fetch(server.url), 'nothing serves on the port any more');
    assert.deepEqual(await listLeases({ lockDir }), [], 'released only after that');
  } finally {
    for (const p of [pid, grandchild]) if (alive(p)) process.kill(p, 'SIGKILL');
  }
});

test("the supervisor exits with the command's status: 128 + the signal that ended it", async () => {
  const spec = JSON.stringify({ command: ['sh', '-c', 'kill -TERM $$'], shell: false, stopTimeout: 1000 });
  const supervisor = spawn(process.execPath, [`${dist}/supervisor.js`, spec], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  supervisor.stdio[3].resume();
  const [code] = await new Promise((resolve) => supervisor.once('exit', (...exit) => resolve(exit)));
  assert.equal(code, 143);
});
