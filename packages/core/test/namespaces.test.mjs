// Containers on one host: processes in different pid namespaces (pids restart at 1 in each) sharing one
// lock directory, seen at different paths, and one network namespace; and a process with a network
// namespace of its own. Namespaces are made with util-linux `unshare` (as root, or in a user namespace).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  bind,
  core,
  leftovers,
  reserveRange,
  startAgent,
  tempDir,
  unshare,
  until,
} from './reliability/helpers.mjs';

const { collectGarbage, leasePorts, listLeases } = core;
const pidNs = unshare(['--pid', '--fork', '--mount-proc', '--kill-child']);
const netNs = unshare(['--net']);
const sorted = (ports) => [...ports].sort((x, y) => x - y);

test('two pid namespaces sharing the lock directory: no duplicates, a live foreign owner is never reclaimed, a dead one at once', async (t) => {
  if (pidNs.reason) return t.skip(pidNs.reason);
  const [min, max] = await reserveRange(24);
  const range = [min, max];
  const base = tempDir();
  const lockDir = join(base, 'locks');
  const view = join(base, 'container-view');
  mkdirSync(lockDir, { mode: 0o700 });
  mkdirSync(view);
  // Group A uses the lock directory at its own path; group B through a bind mount at another path, as a
  // container with the directory mounted as a volume would.
  const a = startAgent({ prefix: pidNs.prefix, env: { PORTLEASE_DIR: lockDir } });
  const b = startAgent({
    prefix: [...pidNs.prefix, 'sh', '-c', `mount --bind '${lockDir}' '${view}' && exec "$0" "$@"`],
    env: { PORTLEASE_DIR: view },
  });
  try {
    const [infoA, infoB] = await Promise.all([a.ready, b.ready]);
    assert.ok(infoA && infoB, `a group did not start: ${a.stderr()} ${b.stderr()}`);
    assert.equal(infoA.pid, 1, 'group A runs as pid 1 of its namespace');
    assert.equal(infoB.pid, 1, 'group B runs as pid 1 of its namespace too: pids collide');
    assert.notEqual(infoA.pidns, infoB.pidns);
    assert.equal(infoA.netns, readlinkSync('/proc/self/ns/net'), 'one shared network namespace');

    // Three holders in each group lease three ports each at the same time, and bind them.
    const [ga, gb] = await Promise.all([
      a.ask({ cmd: 'spawn', n: 3, count: 3, range, owner: 'group A holder' }),
      b.ask({ cmd: 'spawn', n: 3, count: 3, range, owner: 'group B holder' }),
    ]);
    const holders = [...ga.holders, ...gb.holders];
    for (const h of holders) {
      assert.equal(h.error, undefined, JSON.stringify(h.error));
      assert.deepEqual(h.bindErrors, [], 'no holder met EADDRINUSE binding its ports');
    }
    const allPorts = holders.flatMap((h) => h.ports);
    assert.equal(new Set(allPorts).size, 18, `duplicates across namespaces: ${allPorts}`);

    // Group B's pid 1 takes the rest; its records say pid 1, which in group A is a live process.
    const bRest = await b.ask({ cmd: 'leaseAll', range, owner: 'group B init' });
    assert.equal(bRest.ports.length, 6);
    assert.equal(bRest.error.code, 'RANGE_EXHAUSTED');
    const bInitRecords = (await listLeases({ lockDir })).filter((l) => l.owner === 'group B init');
    assert.deepEqual(
      bInitRecords.map((l) => l.pid),
      Array(6).fill(1),
    );
    const bPorts = [...gb.holders.flatMap((h) => h.ports), ...bRest.ports];

    // Frozen foreign owners are alive: group A gets nothing and is told who holds the range.
    await b.ask({ cmd: 'signal', signal: 'SIGSTOP' });
    const aTry = await a.ask({ cmd: 'leaseAll', range, owner: 'group A init' });
    assert.deepEqual(aTry.ports, [], 'a live owner in another pid namespace was reclaimed');
    assert.equal(aTry.error.code, 'RANGE_EXHAUSTED');
    assert.equal(aTry.error.details.held.length, 24);

    // Group B dies (its pid 1 is killed, the kernel kills the rest). Group A, where pid 1 and maybe other
    // pids B's records name are alive, reclaims every port of B in one allocation pass, without waiting.
    await b.kill('SIGKILL');
    await until(
      async () => (await listLeases({ lockDir })).filter((l) => l.status === 'stale').length === 15,
      "group B's 15 records to turn stale",
      { ms: 30_000, every: 50 }, // generous: a slow machine is not a failure
    );
    const aAfter = await a.ask({ cmd: 'leaseAll', range, owner: 'group A init' });
    assert.deepEqual(sorted(aAfter.ports), sorted(bPorts), "group A got exactly group B's ports");
    assert.deepEqual(aAfter.bindErrors, []);
  } finally {
    a.child.stdin.end();
    await a.exited;
    await b.kill('SIGKILL');
  }
  // Group A exited normally (its init released its leases; its holders were killed with the namespace):
  // from the host, in yet another pid namespace, the whole range is leasable and nothing is left.
  const leases = await leasePorts(24, { lockDir, range });
  for (const lease of leases) lease.releaseSync();
  const gc = await collectGarbage({ lockDir });
  assert.deepEqual(gc.unknown, []);
  assert.deepEqual(leftovers(lockDir), []);
});

test("a process in its own network namespace is not blocked by, and does not block, the host's leases", async (t) => {
  if (netNs.reason) return t.skip(netNs.reason);
  if (spawnSync('ip', ['-V']).error)
    return t.skip('needs `ip` (iproute2) to bring up lo in the new namespace');
  const [min, max] = await reserveRange(8);
  const range = [min, max];
  const lockDir = tempDir();
  // The host holds the whole range and listens on every port of it.
  const hostLeases = await leasePorts(8, { lockDir, range, owner: 'host' });
  const servers = [];
  for (const lease of hostLeases) {
    const { server, error } = await bind(lease.port);
    assert.ok(server, `host could not bind its own lease ${lease.port}: ${error}`);
    servers.push(server);
  }
  const inner = startAgent({
    prefix: [...netNs.prefix, 'sh', '-c', 'ip link set lo up && exec "$0" "$@"'],
    env: { PORTLEASE_DIR: lockDir },
  });
  try {
    const info = await inner.ready;
    assert.ok(info, inner.stderr());
    assert.notEqual(info.netns, readlinkSync('/proc/self/ns/net'));
    const got = await inner.ask({ cmd: 'lease', count: 8, range, owner: 'own netns' });
    assert.equal(got.error, undefined, JSON.stringify(got.error));
    assert.deepEqual(
      sorted(got.ports),
      sorted(hostLeases.map((l) => l.port)),
      'the same ports, in its own network',
    );
    assert.deepEqual(got.bindErrors, []);
    assert.equal(readdirSync(lockDir).filter((n) => n.startsWith('net-')).length, 2, 'one scope per network');

    // While the namespace holds all eight, the host releases and leases all eight again.
    for (const server of servers) await new Promise((resolve) => server.close(resolve));
    for (const lease of hostLeases) lease.releaseSync();
    const again = await leasePorts(8, { lockDir, range, owner: 'host' });
    for (const lease of again) lease.releaseSync();
  } finally {
    inner.child.stdin.end();
    await inner.exited;
  }
  assert.deepEqual(leftovers(lockDir), [], 'both scopes are empty once their processes are done');
});
