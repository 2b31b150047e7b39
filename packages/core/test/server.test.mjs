import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { core, fixture, recordsIn, startNode, tempLockDir, until } from './helpers.mjs';

const { startServer, listLeases } = core;
// A command's supervisor (fd 3 lifeline) stops the server's whole tree through its process group:
// POSIX only.
const processGroups =
  process.platform === 'win32' && 'startServer with a command needs POSIX process groups (not on Windows)';

/** Running (a zombie, already dead and waiting to be reaped by init, counts as gone where /proc shows it). */
function alive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    // No /proc (macOS, Windows): the signal reached it. On Linux, it vanished between the two checks.
    return process.platform !== 'linux';
  }
}

test('startServer runs a command on a leased port, serves at url, and stop() ends the whole tree', {
  skip: processGroups,
}, async () => {
  const lockDir = tempLockDir();
  const server = await startServer({
    command: [process.execPath, fixture('tree-server.mjs')],
    lease: { lockDir },
  });
  const body = await (await fetch(server.url)).json();
  assert.equal(body.port, server.port);
  assert.match(server.url, new RegExp(`^http://(127\\.0\\.0\\.1|\\[::1\\]):${server.port}$`));
  assert.equal((await listLeases({ lockDir }))[0].port, server.port);
  await server.stop();
  await server.stop();
  assert.equal(alive(body.grandchild), false, 'the grandchild is gone too');
  assert.deepEqual(recordsIn(lockDir), [], 'the port is released after the server stopped');
});

test('startServer in process: start(port) returning an http.Server', async () => {
  const lockDir = tempLockDir();
  const server = await startServer({
    start: (port) => createServer((_, res) => res.end('in process')).listen(port),
    lease: { lockDir },
  });
  assert.equal(await (await fetch(server.url)).text(), 'in process');
  await server[Symbol.asyncDispose]();
  assert.deepEqual(recordsIn(lockDir), []);
});

test('a server that exits before listening gives SERVER_EXITED with its output', {
  skip: processGroups,
}, async () => {
  const lockDir = tempLockDir();
  const error = await startServer({
    command: 'echo "database url missing" >&2; exit 3',
    lease: { lockDir },
  }).catch((e) => e);
  assert.equal(error.code, 'SERVER_EXITED');
  assert.match(error.message, /exited with code 3 before it accepted connections/);
  assert.match(error.message, /database url missing/);
  assert.deepEqual(recordsIn(lockDir), []);
});

test('a server that never listens gives SERVER_TIMEOUT and is stopped', { skip: processGroups }, async () => {
  const lockDir = tempLockDir();
  const error = await startServer({
    command: [process.execPath, '-e', 'console.log("warming up"); setInterval(() => {}, 1000)'],
    readyTimeout: 500,
    lease: { lockDir },
  }).catch((e) => e);
  assert.equal(error.code, 'SERVER_TIMEOUT');
  assert.match(error.message, /within 500 ms.*raise readyTimeout/s);
  assert.match(error.message, /warming up/);
  assert.deepEqual(recordsIn(lockDir), []);
});

test('bad startServer options are INVALID_OPTIONS', async () => {
  await assert.rejects(startServer({}), { code: 'INVALID_OPTIONS' });
  await assert.rejects(startServer({ command: [] }), { code: 'INVALID_OPTIONS' });
  await assert.rejects(startServer({ command: 'true', readyTimeout: -1 }), { code: 'INVALID_OPTIONS' });
});

test('when the process that started a server is SIGKILLed, the server tree dies and the port is freed', {
  skip: processGroups,
}, async () => {
  const lockDir = tempLockDir();
  const parent = startNode(fixture('start-server-then-wait.mjs'), [], { env: { PORTLEASE_DIR: lockDir } });
  const info = await parent.message((m) => m.url);
  assert.ok(alive(info.grandchild));
  parent.child.kill('SIGKILL');
  await parent.exited;
  await until(() => !alive(info.supervisor) && !alive(info.grandchild), 'the orphaned server tree to stop');
  await until(async () => {
    const leases = await listLeases({ lockDir });
    return leases.every((l) => l.status === 'stale');
  }, 'the lease to be reclaimable');
});
