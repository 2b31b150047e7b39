// The ephemeral range and Windows' excluded port ranges outside Linux (issue 16.2), read from the OS
// commands' recorded outputs (fixtures/platform, sources in SOURCES.md): a child process is forced to
// the platform's semantics (the core's test seam) and finds `sysctl` / `netsh` on PATH as a script
// that prints the recorded output, hangs or fails. Also: a port the OS refuses with EACCES is "not
// this port", shown with a real EACCES in a private network namespace.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, fixture, reserveRange, runNode, tempLockDir } from './helpers.mjs';
import { unshare } from './reliability/helpers.mjs';

const recorded = (name) => fixture(`platform/${name}`);
const INDEX = JSON.stringify(join(dist, 'index.js'));

/** A directory holding `sysctl` and `netsh` stand-ins (or, with `commands: []`, nothing). */
function fakeBin(commands = ['sysctl', 'netsh']) {
  const bin = join(tempLockDir(), 'bin');
  mkdirSync(bin);
  for (const name of commands) symlinkSync(recorded('fake-os-command.sh'), join(bin, name));
  return bin;
}

/** Runs `body` (module code with `core` imported) in a child forced to `os`; returns its JSON line. */
async function inChild(os, body, { env = {}, commands } = {}) {
  const bin = fakeBin(commands);
  const log = join(bin, '..', 'calls.log');
  writeFileSync(log, '');
  const script = `const core = await import(${INDEX});\n${body}`;
  const result = await runNode(
    ['--import', recorded('force-platform.mjs'), '--input-type=module', '-e', script],
    {
      env: {
        PORTLEASE_TEST_PLATFORM: JSON.stringify({ os, oracle: 'abstract' }),
        PATH: commands?.length === 0 ? bin : `${bin}:${process.env.PATH}`,
        FAKE_LOG: log,
        ...env,
      },
    },
  );
  assert.equal(result.code, 0, result.stderr);
  const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  return { ...JSON.parse(result.stdout.trim().split('\n').pop()), calls };
}

const READ_RANGE = `const first = core.ephemeralRange();
console.log(JSON.stringify({ ephemeral: first, same: core.ephemeralRange() === first, range: core.defaultRange() }));`;

test('macOS: the ephemeral range from `sysctl -n net.inet.ip.portrange.first/last`, read once', async () => {
  const run = await inChild('darwin', READ_RANGE, {
    env: { FAKE_SYSCTL: recorded('sysctl-portrange-macos.txt') },
  });
  assert.deepEqual(run.ephemeral, {
    min: 49152,
    max: 65535,
    source: '`sysctl -n net.inet.ip.portrange.first net.inet.ip.portrange.last`',
  });
  assert.deepEqual(run.range, [10000, 49151]);
  assert.ok(run.same);
  assert.deepEqual(run.calls, ['sysctl -n net.inet.ip.portrange.first net.inet.ip.portrange.last']);
});

test('FreeBSD: a range starting at 10000 puts the default range below it, from 1024', async () => {
  const run = await inChild('freebsd', READ_RANGE, {
    env: { FAKE_SYSCTL: recorded('sysctl-portrange-freebsd.txt') },
  });
  assert.equal(run.ephemeral.min, 10000);
  assert.equal(run.ephemeral.max, 65535);
  assert.deepEqual(run.range, [1024, 9999]);
});

test('Windows: the ephemeral range from `netsh int ipv4 show dynamicport tcp`', async () => {
  const run = await inChild('win32', READ_RANGE, {
    env: { FAKE_NETSH_DYNAMIC: recorded('netsh-dynamicport-tcp.txt') },
  });
  assert.deepEqual(run.ephemeral, {
    min: 49152,
    max: 65535,
    source: '`netsh int ipv4 show dynamicport tcp`',
  });
  assert.deepEqual(run.calls, ['netsh int ipv4 show dynamicport tcp']);
});

for (const [what, os, env, commands, reason] of [
  [
    'malformed sysctl output',
    'darwin',
    { FAKE_SYSCTL: recorded('malformed-sysctl.txt') },
    undefined,
    /printed something portlease cannot parse/,
  ],
  [
    'malformed netsh output',
    'win32',
    { FAKE_NETSH_DYNAMIC: recorded('malformed-netsh.txt') },
    undefined,
    /printed something portlease cannot parse/,
  ],
  ['a failing sysctl', 'darwin', { FAKE_SYSCTL: 'fail' }, undefined, /exited with 1/],
  ['a missing sysctl', 'darwin', {}, [], /`sysctl` was not found on PATH/],
  ['a missing netsh', 'win32', {}, [], /`netsh` was not found on PATH/],
  ['a hanging sysctl', 'darwin', { FAKE_SYSCTL: 'hang' }, undefined, /did not answer within 2000 ms/],
  ['a hanging netsh', 'win32', { FAKE_NETSH_DYNAMIC: 'hang' }, undefined, /did not answer within 2000 ms/],
]) {
  test(`${what}: the IANA default, with a source saying why`, async () => {
    const run = await inChild(os, READ_RANGE, { env, commands });
    assert.equal(run.ephemeral.min, 49152);
    assert.equal(run.ephemeral.max, 65535);
    assert.match(run.ephemeral.source, /^IANA default \(49152-65535\): /);
    assert.match(run.ephemeral.source, reason);
    assert.deepEqual(run.range, [10000, 49151]);
    assert.ok(run.same, 'read once per process');
    assert.ok(run.calls.length <= 1, `ran ${run.calls.length} times`);
  });
}

/** `netsh … excludedportrange` output in the recorded layout, listing `ranges`. */
function excludedTable(ranges) {
  const file = join(tempLockDir(), 'excluded.txt');
  const rows = ranges
    .map(([a, b]) => `${String(a).padStart(10)}  ${String(b).padStart(10)}      \r\n`)
    .join('');
  writeFileSync(
    file,
    `\r\nProtocol tcp Port Exclusion Ranges\r\n\r\nStart Port    End Port      \r\n----------    --------      \r\n${rows}\r\n* - Administered port exclusions.\r\n\r\n`,
  );
  return file;
}

test("Windows' recorded excluded port ranges are parsed (localized headers, administered marks); unparseable output excludes nothing", async () => {
  const [free] = await reserveRange(1);
  // A port inside one recorded range each: refused before any probe, so nothing listens on it here.
  const cases = [
    ['netsh-excludedportrange-ipv4-gha-windows.txt', 51516],
    ['netsh-excludedportrange-ipv4-administered.txt', 55679],
    ['netsh-excludedportrange-ipv4-wsl-spanish.txt', 25313],
    ['netsh-excludedportrange-ipv4-wsl-spanish.txt', 50059],
    ['malformed-netsh.txt', free],
  ];
  for (const [file, port] of cases) {
    const run = await inChild(
      'win32',
      `const error = await core.leasePort({ lockDir: ${JSON.stringify(tempLockDir())}, range: [${port}, ${port}] }).catch((e) => e);
      console.log(JSON.stringify({ code: error.code ?? 'leased', message: error.message ?? '' }));
      if (error.port) error.releaseSync();`,
      {
        env: {
          FAKE_NETSH_EXCLUDED_V4: recorded(file),
          FAKE_NETSH_EXCLUDED_V6: recorded('netsh-excludedportrange-empty.txt'),
        },
      },
    );
    assert.deepEqual(run.calls, [
      'netsh int ipv4 show excludedportrange protocol=tcp',
      'netsh int ipv6 show excludedportrange protocol=tcp',
    ]);
    if (port === free) {
      assert.equal(run.code, 'leased', `${file}: ${run.message}`);
    } else {
      assert.equal(run.code, 'RANGE_EXHAUSTED', `${file}: ${port} is excluded there`);
      assert.match(run.message, /excluded by the OS: `netsh int ipv4 show excludedportrange protocol=tcp`/);
    }
  }
});

test('Windows: ports of the excluded ranges (ipv4 and ipv6) are never handed out, in the default range or a given one', async () => {
  const [min, max] = await reserveRange(6);
  const v4 = excludedTable([[min, min + 1]]);
  const v6 = excludedTable([[min + 2, min + 2]]);
  const run = await inChild(
    'win32',
    `const { leasePort } = core; const lockDir = ${JSON.stringify(tempLockDir())};
    const ports = [];
    for (let i = 0; i < 12; i++) { const lease = await leasePort({ lockDir, range: [${min}, ${max}] }); ports.push(lease.port); lease.releaseSync(); }
    const error = await leasePort({ lockDir, range: [${min}, ${min + 2}] }).catch((e) => e);
    console.log(JSON.stringify({ ports, code: error.code, message: error.message }));`,
    { env: { FAKE_NETSH_EXCLUDED_V4: v4, FAKE_NETSH_EXCLUDED_V6: v6 } },
  );
  for (const port of run.ports) assert.ok(port > min + 2 && port <= max, `handed out excluded port ${port}`);
  assert.equal(run.code, 'RANGE_EXHAUSTED');
  assert.match(run.message, /3 in use by other programs: .*excluded by the OS/);
  assert.equal(run.calls.filter((c) => c.includes('excludedportrange')).length, 2, 'read once per process');
});

test('Windows: a hanging or missing netsh leaves nothing excluded up front and leasing works', async () => {
  const [min, max] = await reserveRange(2);
  for (const env of [
    { FAKE_NETSH_EXCLUDED_V4: 'hang' },
    { FAKE_NETSH_EXCLUDED_V4: 'fail', FAKE_NETSH_EXCLUDED_V6: 'fail' },
  ]) {
    const run = await inChild(
      'win32',
      `const lease = await core.leasePort({ lockDir: ${JSON.stringify(tempLockDir())}, range: [${min}, ${max}] });
      lease.releaseSync(); console.log(JSON.stringify({ port: lease.port }));`,
      { env },
    );
    assert.ok(run.port >= min && run.port <= max);
    // After a hang, later OS commands are not started: at most one timeout per process.
    if (env.FAKE_NETSH_EXCLUDED_V4 === 'hang') assert.equal(run.calls.length, 1, run.calls.join('; '));
  }
});

const netNs = unshare(['--net']);
const setpriv = !spawnSync('setpriv', ['--version']).error;

test('a port the OS refuses with EACCES is "not this port": the next one is leased, never a crash', async (t) => {
  if (netNs.reason) return t.skip(netNs.reason);
  if (!setpriv || spawnSync('ip', ['-V']).error)
    return t.skip('needs setpriv (util-linux) and ip (iproute2)');
  const [min, max] = await reserveRange(2);
  // In a private network namespace, ports below ip_unprivileged_port_start need CAP_NET_BIND_SERVICE;
  // without it, listen fails with EACCES on a port nothing uses, as in a Windows excluded range.
  const lockDir = tempLockDir();
  const script = `const { leasePort } = await import(${INDEX});
    const ports = [];
    for (let i = 0; i < 5; i++) { const lease = await leasePort({ lockDir: ${JSON.stringify(lockDir)}, range: [${min}, ${max}] }); ports.push(lease.port); lease.releaseSync(); }
    const error = await leasePort({ lockDir: ${JSON.stringify(lockDir)}, range: [${min}, ${min}] }).catch((e) => e);
    console.log(JSON.stringify({ ports, code: error.code, message: error.message }));`;
  const result = spawnSync(
    netNs.prefix[0],
    [
      ...netNs.prefix.slice(1),
      'sh',
      '-c',
      `ip link set lo up && sysctl -qw net.ipv4.ip_unprivileged_port_start=${max} && exec setpriv --bounding-set -net_bind_service --inh-caps -net_bind_service "$0" "$@"`,
      process.execPath,
      '--input-type=module',
      '-e',
      script,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  assert.equal(result.status, 0, result.stderr);
  const run = JSON.parse(result.stdout.trim());
  assert.deepEqual(run.ports, Array(5).fill(max), `got ${run.ports}`);
  assert.equal(run.code, 'RANGE_EXHAUSTED', run.message);
  assert.match(run.message, new RegExp(`${min} on :: \\(EACCES: the OS refuses this port`));
});

test('macOS and Windows semantics: the default lock directory is /tmp or the profile, never /dev/shm or TMPDIR', async () => {
  const body = `const os = await import('node:os'); console.log(JSON.stringify({ dir: core.defaultLockDir(), home: os.userInfo().homedir }));`;
  const env = { XDG_RUNTIME_DIR: '', PORTLEASE_DIR: '', TMPDIR: tempLockDir(), TEMP: tempLockDir() };
  const mac = await inChild('darwin', body, { env });
  assert.equal(mac.dir, `/tmp/portlease-${process.getuid()}`);
  const win = await inChild('win32', body, { env });
  assert.equal(win.dir, join(win.home, 'AppData', 'Local', 'Temp', `portlease-${process.getuid()}`));
});
