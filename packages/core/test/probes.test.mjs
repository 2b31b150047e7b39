import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { bind, core, reserveRange, runNode, tempLockDir } from './helpers.mjs';

const { leasePort, UNSAFE_PORTS, defaultRange } = core;

for (const host of ['::', '0.0.0.0', '127.0.0.1', '::1']) {
  test(`a port with a listener on ${host} is never handed out`, async (t) => {
    const [min, max] = await reserveRange(2);
    const { server, error } = await bind(min, host);
    if (error === 'EADDRNOTAVAIL' || error === 'EAFNOSUPPORT') return t.skip(`${host} not available here`);
    assert.ok(server, `could not listen on ${host}:${min}: ${error}`);
    try {
      const lockDir = tempLockDir();
      for (let i = 0; i < 10; i++) {
        const lease = await leasePort({ lockDir, range: [min, max] });
        assert.equal(lease.port, max, `got ${lease.port}, on which ${host} listens`);
        lease.releaseSync();
      }
      const error = await leasePort({ lockDir, range: [min, min] }).catch((e) => e);
      assert.equal(error.code, 'RANGE_EXHAUSTED');
      assert.match(error.message, new RegExp(`1 in use by other programs: ${min} on `));
    } finally {
      server.close();
    }
  });
}

test('browser-unsafe ports are never handed out', async () => {
  const lockDir = tempLockDir();
  const unsafe = [...UNSAFE_PORTS].filter((p) => p >= 1024);
  assert.ok(unsafe.length > 5);
  for (const port of unsafe) {
    const error = await leasePort({ lockDir, range: [port, port] }).catch((e) => e);
    assert.equal(error.code, 'RANGE_EXHAUSTED', `port ${port}`);
    assert.match(error.message, /every port is excluded/);
  }
});

test('the default range stays below the OS ephemeral range and above 1023', {
  skip: process.platform !== 'linux' && 'needs Linux (reads /proc/sys/net/ipv4/ip_local_port_range)',
}, async () => {
  const lockDir = tempLockDir();
  const [min, max] = defaultRange();
  let ephemeralMin = 49152;
  try {
    ephemeralMin = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
  } catch {}
  assert.ok(min >= 1024 && max < ephemeralMin, `default range ${min}-${max}, ephemeral from ${ephemeralMin}`);
  const env = { ...process.env, PORTLEASE_DIR: lockDir };
  delete env.PORTLEASE_RANGE;
  const script = `import { leasePorts } from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
    const leases = await leasePorts(200);
    console.log(JSON.stringify(leases.map((l) => l.port)));`;
  const result = await runNode(['--input-type=module', '-e', script], { env });
  assert.equal(result.code, 0, result.stderr);
  for (const port of JSON.parse(result.stdout)) {
    assert.ok(port >= min && port <= max && port < ephemeralMin, `port ${port}`);
    assert.ok(!UNSAFE_PORTS.has(port));
  }
});
