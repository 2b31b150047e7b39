// What the adapters give back together: named ports released at once, servers started all or
// nothing and stopped together, and settleAll, which tries every step before it reports a failure.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { test } from 'node:test';
import { reserveRange, tempLockDir } from './helpers.mjs';

const adapter = await import('portlease/adapter');
const { listLeases } = await import('portlease');
const processGroups = process.platform === 'win32' && 'POSIX process groups';

/** Whether something accepts TCP connections on 127.0.0.1:port. */
const accepts = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => resolve(socket.destroy() && true));
    socket.once('error', () => resolve(false));
  });

test('settleAll runs every step to its end, then throws the first failure in order', async () => {
  const finished = [];
  const step = (name, ms, fail) =>
    new Promise((resolve, reject) =>
      setTimeout(() => {
        finished.push(name);
        fail ? reject(new Error(name)) : resolve();
      }, ms),
    );
  await assert.rejects(
    adapter.settleAll([step('slow failure', 40, true), undefined, step('quick', 1), step('late', 80, true)]),
    { message: 'slow failure' },
  );
  assert.deepEqual(finished, ['quick', 'slow failure', 'late'], 'the later steps ran to their end');
  await adapter.settleAll([]);
});

test('leaseNamedPorts(...).release() gives back every port, once', async () => {
  const lockDir = tempLockDir();
  const range = await reserveRange(3);
  const leased = await adapter.leaseNamedPorts({
    names: ['a', 'b'],
    count: 3,
    lease: { lockDir, range },
    owner: 't',
  });
  assert.equal((await listLeases({ lockDir })).length, 3);
  await leased.release();
  assert.deepEqual(await listLeases({ lockDir }), []);
  assert.ok(leased.leases.every((lease) => lease.released));
  await leased.release();
  const none = await adapter.leaseNamedPorts({ names: [], count: 0, lease: { lockDir, range }, owner: 't' });
  await none.release();
});

test('startNamedServers starts each under its key as its name, and stop() stops them all', async () => {
  const lockDir = tempLockDir();
  const hello = (text) => (port) => createServer((_, res) => res.end(text)).listen(port);
  const { servers, stop } = await adapter.startNamedServers({
    api: { start: hello('api'), lease: { lockDir } },
    web: { start: hello('web'), lease: { lockDir } },
  });
  try {
    assert.deepEqual(Object.keys(servers), ['api', 'web']);
    assert.equal(await (await fetch(servers.api.url)).text(), 'api');
    assert.equal(await (await fetch(servers.web.url)).text(), 'web');
    assert.equal((await listLeases({ lockDir })).length, 2);
  } finally {
    await stop();
  }
  assert.deepEqual(await listLeases({ lockDir }), []);
  assert.equal(await accepts(servers.api.port), false);
});

test('startNamedServers is all or nothing: one that fails stops the ones that started', {
  skip: processGroups,
}, async () => {
  const lockDir = tempLockDir();
  let upPort;
  const error = await adapter
    .startNamedServers({
      up: {
        start: (port) => {
          upPort = port;
          return createServer((_, res) => res.end('up')).listen(port);
        },
        lease: { lockDir },
      },
      // Exits once `up` has had time to listen, so there is a started server to take down.
      down: { command: 'sleep 0.5; echo "no config" >&2; exit 3', lease: { lockDir } },
    })
    .catch((e) => e);
  assert.equal(error.code, 'SERVER_EXITED', String(error));
  assert.match(error.message, /no config/);
  assert.equal(typeof upPort, 'number', 'the first server was started');
  assert.equal(await accepts(upPort), false, 'and stopped again');
  assert.deepEqual(await listLeases({ lockDir }), [], 'no port is left leased');
});
