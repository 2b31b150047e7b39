// The UDP probe (`protocol: 'udp'` on leases and on portlease/get-port): a port some program holds on
// UDP is skipped, checked against real node:dgram sockets bound with `reuseAddr` as node-osc binds
// them (such a holder shares the port with any other reuseAddr socket, so nothing but the probe sees
// it); TCP stays the default, and sees none of them.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { core, dist, reserveRange, tempLockDir } from './helpers.mjs';

const { default: getPort, clearLockedPorts } = await import(pathToFileURL(join(dist, 'get-port.js')).href);
const upstream = await import('get-port');

process.env.PORTLEASE_DIR = tempLockDir();
afterEach(() => clearLockedPorts());

/** A UDP server on `port` at `address`, bound with reuseAddr as node-osc does; resolves the socket. */
function udpServer(port, address) {
  return new Promise((resolve, reject) => {
    const socket = createSocket({ type: address.includes(':') ? 'udp6' : 'udp4', reuseAddr: true });
    socket.once('error', reject);
    socket.bind({ port, address }, () => resolve(socket));
  });
}

const close = (socket) => new Promise((resolve) => socket.close(resolve));

const ADDRESSES = ['0.0.0.0', '127.0.0.1', '::', '::1'];

test("leasePort({ protocol: 'udp' }) skips a port held on UDP on any address; TCP does not see it", async () => {
  for (const address of ADDRESSES) {
    const [min, max] = await reserveRange(2);
    const holder = await udpServer(min, address);
    try {
      const udp = await core.leasePort({ range: [min, max], protocol: 'udp' });
      assert.equal(udp.port, max, `UDP held on ${address}: the UDP probe skips ${min}`);
      udp.releaseSync();
      const tcp = await core.leasePort({ range: [min, min] });
      assert.equal(tcp.port, min, `the default TCP probe does not see a UDP socket (${address})`);
      tcp.releaseSync();
    } finally {
      await close(holder);
    }
  }
});

test('a port free on UDP is leased, and the UDP probe leaves it bindable (no socket kept)', async () => {
  const [min] = await reserveRange(1);
  const lease = await core.leasePort({ range: [min, min], protocol: 'udp' });
  assert.equal(lease.port, min);
  const server = await udpServer(lease.port, '0.0.0.0');
  await close(server);
  lease.releaseSync();
});

test('every port held on UDP: RANGE_EXHAUSTED names the UDP holder', async () => {
  const [min] = await reserveRange(1);
  const holder = await udpServer(min, '127.0.0.1');
  try {
    const error = await core.leasePort({ range: [min, min], protocol: 'udp' }).catch((e) => e);
    assert.equal(error.code, 'RANGE_EXHAUSTED');
    assert.match(error.message, /\(UDP\)/);
  } finally {
    await close(holder);
  }
});

test("a bad protocol is INVALID_OPTIONS saying 'tcp' or 'udp'", async () => {
  for (const protocol of ['sctp', 'UDP', 17]) {
    const error = await core.leasePort({ protocol }).catch((e) => e);
    assert.equal(error.code, 'INVALID_OPTIONS', String(protocol));
    assert.match(error.message, /protocol must be 'tcp' or 'udp'/);
  }
});

test("getPort({ protocol: 'udp' }) skips a UDP-held preference; get-port and the default do not", async () => {
  const [min, max] = await reserveRange(2);
  const holder = await udpServer(min, '0.0.0.0');
  try {
    assert.equal(await upstream.default({ port: min }), min, 'get-port checks TCP only');
    upstream.clearLockedPorts();
    assert.equal(await getPort({ port: min }), min, 'so does the drop-in by default');
    clearLockedPorts();
    assert.equal(await getPort({ port: [min, max], protocol: 'udp' }), max, 'UDP probe: skipped');
    clearLockedPorts();
    const hosted = await getPort({ port: min, host: '127.0.0.1', protocol: 'udp' });
    assert.notEqual(hosted, min, 'with a host too');
  } finally {
    await close(holder);
  }
});
