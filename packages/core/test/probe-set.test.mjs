// The probe set per platform (issue 13 item 2): on Linux one dual-stack `::` listen must still see a
// listener on any address, in every network-namespace setup that changes IPv6 (plain, bindv6only=1,
// IPv6 disabled); where BSD semantics apply, all four addresses are probed. Network setups are made
// in private network namespaces (`unshare -n`), the platform of the child is forced through the
// core's test seam (fixtures/platform/force-platform.mjs), and which addresses were probed is read
// from the real listens (fixtures/platform/spy-listen.mjs observes them; nothing is mocked).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, fixture, reserveRange, runNode, tempLockDir } from './helpers.mjs';
import { unshare } from './reliability/helpers.mjs';

const netNs = unshare(['--net']);
const hasIp = !spawnSync('ip', ['-V']).error;
const SPY = [
  '--import',
  fixture('platform/spy-listen.mjs'),
  '--import',
  fixture('platform/force-platform.mjs'),
];
const CHILD = fixture('platform/probe-listeners.mjs');
const EVERY_LISTENER = [
  { host: '0.0.0.0' },
  { host: '127.0.0.1' },
  { host: '127.0.0.2' },
  { host: '::', ipv6Only: false },
  { host: '::', ipv6Only: true },
  { host: '::1' },
];

/** Runs the probe child in a fresh network namespace after `setup` (shell commands). */
async function inNamespace(setup, { listeners = EVERY_LISTENER, platform } = {}) {
  const [min] = await reserveRange(2);
  const input = JSON.stringify({ dist: join(dist, 'index.js'), lockDir: tempLockDir(), min, listeners });
  const script = `ip link set lo up && ${setup} && exec "$0" "$@"`;
  const result = spawnSync(
    netNs.prefix[0],
    [...netNs.prefix.slice(1), 'sh', '-c', script, process.execPath, ...SPY, CHILD, input],
    {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, PORTLEASE_TEST_PLATFORM: platform ? JSON.stringify(platform) : '' },
    },
  );
  assert.equal(result.status, 0, `child failed: ${result.stderr}`);
  return { min, ...JSON.parse(result.stdout.trim().split('\n').pop()) };
}

function assertNeverHandedOut({ min, results }, expectAbsent = []) {
  for (const r of results) {
    const what = `listener on ${r.host}${r.ipv6Only ? ' (ipv6Only)' : ''}`;
    if (r.listenError) {
      assert.ok(expectAbsent.includes(r.host), `${what} could not listen: ${r.listenError}`);
      continue;
    }
    assert.equal(r.exhausted.code, 'RANGE_EXHAUSTED', `${what}: port ${min} was handed out`);
    assert.match(r.exhausted.message, new RegExp(`1 in use by other programs: ${min} on `), what);
    assert.deepEqual(r.ports, Array(5).fill(min + 1), `${what}: got ${r.ports}`);
  }
}

const SETUPS = [
  ['plain', 'true', []],
  ['net.ipv6.bindv6only=1', 'sysctl -qw net.ipv6.bindv6only=1', []],
  ['IPv6 disabled', 'sysctl -qw net.ipv6.conf.all.disable_ipv6=1', ['::1']],
];

for (const [name, setup, absent] of SETUPS) {
  test(`Linux, ${name}: the default probes one dual-stack :: and a listener on any address is never handed out`, async (t) => {
    if (netNs.reason) return t.skip(netNs.reason);
    if (!hasIp) return t.skip('needs `ip` (iproute2) to bring up lo in the new namespace');
    const run = await inNamespace(setup);
    assert.deepEqual(run.probeHosts, ['::'], 'one listen per candidate port on Linux');
    assertNeverHandedOut(run, absent);
  });
}

test('Linux without an IPv6 stack: the default probes 0.0.0.0, and IPv4 listeners are never handed out', async (t) => {
  if (netNs.reason) return t.skip(netNs.reason);
  if (!hasIp) return t.skip('needs `ip` (iproute2) to bring up lo in the new namespace');
  // A kernel booted with ipv6.disable=1 cannot be made here: the fact is forced instead, and only
  // listeners such a host can have are used.
  const run = await inNamespace('true', {
    platform: { ipv6: false },
    listeners: [{ host: '0.0.0.0' }, { host: '127.0.0.1' }, { host: '127.0.0.2' }, { host: '::' }],
  });
  assert.deepEqual(run.probeHosts, ['0.0.0.0']);
  assertNeverHandedOut(run);
});

for (const os of ['darwin', 'win32', 'freebsd']) {
  test(`${os} semantics forced on Linux: each of the four addresses is probed, in order`, async () => {
    const [min] = await reserveRange(2);
    const script = `
      const { leasePort } = await import(${JSON.stringify(join(dist, 'index.js'))});
      const leases = [];
      for (let i = 0; i < 3; i++) {
        const from = globalThis.__probeLog.length;
        const lease = await leasePort({ lockDir: ${JSON.stringify(tempLockDir())}, range: [${min}, ${min + 1}] });
        leases.push({ port: lease.port, log: globalThis.__probeLog.slice(from) });
        lease.releaseSync();
      }
      console.log(JSON.stringify(leases));`;
    const result = await runNode([...SPY, '--input-type=module', '-e', script], {
      // The oracle stays Linux's: only the bind semantics are under test here.
      env: { PORTLEASE_TEST_PLATFORM: JSON.stringify({ os, oracle: 'abstract' }) },
    });
    assert.equal(result.code, 0, result.stderr);
    for (const { port, log } of JSON.parse(result.stdout)) {
      assert.deepEqual(
        log.map((entry) => `${entry.host} ${entry.port}`),
        ['::', '0.0.0.0', '127.0.0.1', '::1'].map((host) => `${host} ${port}`),
        `addresses probed for port ${port}`,
      );
    }
  });
}

test('a hosts option is used as given', async () => {
  const [min] = await reserveRange(1);
  const script = `
    const { leasePort } = await import(${JSON.stringify(join(dist, 'index.js'))});
    const lease = await leasePort({ lockDir: ${JSON.stringify(tempLockDir())}, range: [${min}, ${min}], hosts: ['127.0.0.1', '::1', '0.0.0.0'] });
    lease.releaseSync();
    console.log(JSON.stringify(globalThis.__probeLog.filter((e) => e.port === ${min}).map((e) => e.host)));`;
  const result = await runNode([...SPY, '--input-type=module', '-e', script]);
  assert.equal(result.code, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), ['127.0.0.1', '::1', '0.0.0.0']);
});
