// One schema of lease options (src/options/schema.ts): the API and the CLI give the same code and
// the same message for the same mistake, echo the value as given, and accept the same sticky names.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { cli, core, reserveRange, runNode, tempLockDir, until } from './helpers.mjs';

const { leasePort, leasePorts, listLeases } = core;
const adapter = await import('portlease/adapter');

/** The message after the option's path: what every surface must say alike. */
const messageCore = (message, path) => {
  const prefix = `[INVALID_OPTIONS] ${path} `;
  assert.ok(message.startsWith(prefix), `${JSON.stringify(message)} starts with ${JSON.stringify(prefix)}`);
  return message.slice(prefix.length);
};

test('bad values are echoed as given: a range string points to parseRange, "80" is not 8', async () => {
  const lockDir = tempLockDir();
  await assert.rejects(leasePort({ lockDir, range: '20000-20010' }), {
    code: 'INVALID_OPTIONS',
    message:
      /^\[INVALID_OPTIONS\] range must be an inclusive \[min, max\] pair such as \[20000, 29999\], got string "20000-20010"; for text such as "20000-29999" use parseRange\(text\) from 'portlease'\./,
  });
  await assert.rejects(leasePort({ lockDir, exclude: '80' }), {
    code: 'INVALID_OPTIONS',
    message:
      /^\[INVALID_OPTIONS\] exclude must be an array of port numbers such as \[3000, 8080\], got "80"\.$/,
  });
  await assert.rejects(leasePort({ lockDir, range: ['2000', '3000'] }), {
    code: 'INVALID_OPTIONS',
    message:
      /^\[INVALID_OPTIONS\] range must hold whole port numbers from 1024 to 65535, got \["2000","3000"\]\.$/,
  });
  assert.deepEqual(core.parseRange('20000-20010'), [20000, 20010]);
});

test('stickyScope without sticky is refused by the API, as --sticky-scope without --sticky by the CLI', async () => {
  const lockDir = tempLockDir();
  await assert.rejects(leasePort({ lockDir, stickyScope: 'app' }), {
    code: 'INVALID_OPTIONS',
    message: /^\[INVALID_OPTIONS\] stickyScope applies only to sticky ports/,
  });
  const got = await runNode([cli, 'get', '--json', '--sticky-scope', 'app'], {
    env: { PORTLEASE_DIR: lockDir },
  });
  assert.equal(got.code, 2, got.stdout + got.stderr);
  assert.match(JSON.parse(got.stdout).error.message, /--sticky-scope applies only to --sticky ports/);
});

test('the CLI echoes --count and says --range where the API says the range option', async () => {
  const lockDir = tempLockDir();
  const count = await runNode([cli, 'get', '--json', '--count', 'two'], { env: { PORTLEASE_DIR: lockDir } });
  assert.equal(count.code, 2, count.stdout + count.stderr);
  assert.match(
    JSON.parse(count.stdout).error.message,
    /--count must be a whole number from 1 to 1000, got "two"/,
  );

  const [lo] = await reserveRange(2);
  const tooMany = await runNode([cli, 'get', '--json', '--count', '3', '--range', `${lo}-${lo + 1}`], {
    env: { PORTLEASE_DIR: lockDir },
  });
  assert.equal(tooMany.code, 1, tooMany.stdout + tooMany.stderr);
  const { error } = JSON.parse(tooMany.stdout);
  assert.equal(error.code, 'RANGE_EXHAUSTED');
  assert.match(error.message, /Widen the range \(--range or PORTLEASE_RANGE\)/);
  assert.doesNotMatch(error.message, /the range option/);
  await assert.rejects(leasePorts(3, { lockDir, range: [lo, lo + 1] }), {
    code: 'RANGE_EXHAUSTED',
    message: /Widen the range \(the range option or PORTLEASE_RANGE\)/,
  });
});

test('the API and the CLI take the same sticky names (web.ui, 1web) and refuse the same ones alike', async () => {
  const lockDir = tempLockDir();
  const range = await reserveRange(6);
  for (const name of ['web.ui', '1web', 'a:b']) {
    const lease = await leasePort({ lockDir, range, sticky: name });
    await lease.release();
    const got = await runNode(
      [cli, 'run', '--range', `${range[0]}-${range[1]}`, '--sticky', name, '--', process.execPath, '-e', ''],
      {
        env: { PORTLEASE_DIR: lockDir },
      },
    );
    assert.equal(got.code, 0, `--sticky ${name}: ${got.stderr}`);
  }
  const bad = 'has space';
  const api = await leasePort({ lockDir, range, sticky: bad }).catch((error) => error);
  assert.equal(api.code, 'INVALID_OPTIONS');
  const got = await runNode([cli, 'get', '--json', '--sticky', bad], { env: { PORTLEASE_DIR: lockDir } });
  const { error } = JSON.parse(got.stdout);
  assert.equal(error.code, api.code);
  assert.equal(messageCore(error.message, '--sticky'), messageCore(api.message, 'sticky'));
  assert.deepEqual(await listLeases({ lockDir }), []);
});

test('leasePorts takes one owner label per port; a wrong count of labels is refused', async () => {
  const lockDir = tempLockDir();
  const range = await reserveRange(4);
  const leases = await leasePorts(2, { lockDir, range, owner: ['e2e api', 'e2e web'] });
  assert.deepEqual(
    leases.map((lease) => lease.owner),
    ['e2e api', 'e2e web'],
  );
  const listed = new Map((await listLeases({ lockDir })).map((info) => [info.port, info.owner]));
  assert.equal(listed.get(leases[0].port), 'e2e api');
  assert.equal(listed.get(leases[1].port), 'e2e web');
  for (const lease of leases) await lease.release();
  await assert.rejects(leasePorts(2, { lockDir, range, owner: ['only one'] }), {
    code: 'INVALID_OPTIONS',
    message: /owner must be one label, or one label per port: 2 asked, 1 labels given/,
  });
  await assert.rejects(leasePort({ lockDir, range, owner: ['a'] }), { code: 'INVALID_OPTIONS' });
});

test('portlease/adapter checks options at a path with the messages of the API', async () => {
  const lockDir = tempLockDir();
  for (const [options, key] of [
    [{ exclude: '80' }, 'exclude'],
    [{ range: [29999, 20000] }, 'range'],
    [{ lockDir: '' }, 'lockDir'],
    [{ owner: 5 }, 'owner'],
    [{ stickyScope: 7, sticky: 'web' }, 'stickyScope'],
  ]) {
    const api = await leasePort({ lockDir, ...options }).catch((error) => error);
    assert.equal(api.code, 'INVALID_OPTIONS', key);
    let thrown;
    try {
      adapter.checkLeaseOptions(options, 'use.portlease');
    } catch (error) {
      thrown = error;
    }
    assert.equal(thrown?.code, 'INVALID_OPTIONS', key);
    assert.equal(messageCore(thrown.message, `use.portlease.${key}`), messageCore(api.message, key), key);
  }
  // Every lease key an adapter passes on is accepted at a path, whatever the adapter.
  for (const key of adapter.ADAPTER_LEASE_KEYS) {
    assert.ok(adapter.LEASE_OPTION_KEYS.includes(key));
  }
  assert.deepEqual(
    [...adapter.ADAPTER_LEASE_KEYS].sort(),
    adapter.LEASE_OPTION_KEYS.filter((key) => !['signal', 'contiguous', 'name'].includes(key)).sort(),
  );
  assert.throws(
    () =>
      adapter.checkServerOptions({ command: 'x', port: 1 }, 'global.servers.api', {
        omit: { port: 'it is leased' },
      }),
    {
      code: 'INVALID_OPTIONS',
      message: /^\[INVALID_OPTIONS\] global\.servers\.api\.port is not allowed: it is leased\./,
    },
  );
});

test('the main entry is the product API: no adapter helpers, PortLease is a type only', () => {
  for (const name of [
    'checkLeaseFields',
    'validateRange',
    'invalidOption',
    'assertKnownKeys',
    'START_SERVER_OPTION_KEYS',
    'DEFAULT_HOSTS',
    'PortLease',
  ]) {
    assert.equal(name in core, false, `${name} is not exported by 'portlease'`);
  }
  for (const name of [
    'leasePort',
    'leasePorts',
    'PortleaseError',
    'startServer',
    'listLeases',
    'collectGarbage',
    'parseRange',
    'defaultRange',
    'defaultLockDir',
  ]) {
    assert.equal(typeof core[name], 'function', name);
  }
});

test('checkPortNames: one rule for the port-name lists of every adapter (Vitest ports, Jest names)', () => {
  assert.deepEqual(adapter.checkPortNames(['api', 'web'], 'p.ports'), ['api', 'web']);
  for (const [value, message] of [
    [
      'api',
      /^\[INVALID_OPTIONS\] p\.ports must be an array of non-empty strings such as \['api', 'web'\], got "api"\.$/,
    ],
    [['api', ' '], /^\[INVALID_OPTIONS\] p\.ports must hold non-empty strings such as 'api', got " "\.$/],
    [['api', 3], /^\[INVALID_OPTIONS\] p\.ports must hold non-empty strings such as 'api', got 3\.$/],
    [['api', 'api'], /^\[INVALID_OPTIONS\] p\.ports lists "api" twice; names must be unique\.$/],
  ]) {
    assert.throws(
      () => adapter.checkPortNames(value, 'p.ports'),
      { code: 'INVALID_OPTIONS', message },
      String(value),
    );
  }
});

test('leaseNamedPorts: named, sticky and unnamed ports in one all-or-nothing call, labelled per port', async () => {
  const lockDir = tempLockDir();
  const range = await reserveRange(6);
  const first = await adapter.leaseNamedPorts({
    names: ['api', 'web'],
    count: 3,
    sticky: new Set(['web']),
    stickyName: (name) => `file.js:${name}`,
    lease: { lockDir, range },
    owner: (name) => `suite ${name ?? 'extra'}`,
  });
  assert.equal(first.ports.length, 3);
  assert.deepEqual(first.named, { api: first.ports[0], web: first.ports[1] });
  const listed = new Map((await listLeases({ lockDir })).map((info) => [info.port, info]));
  assert.deepEqual(
    first.ports.map((port) => listed.get(port)?.owner),
    ['suite api', 'suite web', 'suite extra'],
  );
  assert.equal(listed.get(first.named.web)?.sticky, 'file.js:web');
  assert.equal(listed.get(first.named.api)?.sticky, undefined);
  for (const lease of first.leases) await lease.release();
  // The sticky name brings its port back; a failure keeps its code, says the context, and leaves nothing.
  const again = await adapter.leaseNamedPorts({
    names: ['web'],
    sticky: new Set(['web']),
    stickyName: (name) => `file.js:${name}`,
    lease: { lockDir, range },
    owner: 'suite',
  });
  assert.equal(again.named.web, first.named.web);
  await assert.rejects(
    adapter.leaseNamedPorts({
      names: ['a'],
      count: 7,
      lease: { lockDir, range },
      owner: 'x',
      context: 'the suite could not lease',
    }),
    { code: 'RANGE_EXHAUSTED', message: /^\[RANGE_EXHAUSTED\] the suite could not lease: / },
  );
  assert.deepEqual(
    (await listLeases({ lockDir })).map((info) => info.port),
    [again.named.web],
  );
  for (const lease of again.leases) await lease.release();
});

test('leasePortHeldBy: the CLI holds the port for another pid; its errors come back coded', async () => {
  const lockDir = tempLockDir();
  const range = await reserveRange(2);
  const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  try {
    const port = adapter.leasePortHeldBy(holder.pid, { owner: 'held run', lockDir, range }, 'held');
    assert.ok(port >= range[0] && port <= range[1], String(port));
    const info = (await listLeases({ lockDir })).find((lease) => lease.port === port);
    assert.equal(info?.owner, 'held run');
    assert.throws(
      () =>
        adapter.leasePortHeldBy(
          holder.pid,
          { owner: 'x', lockDir, range: [range[1], range[0]] },
          'the run port',
        ),
      {
        code: 'INVALID_OPTIONS',
        message: /^\[INVALID_OPTIONS\] the run port: --range /,
      },
    );
  } finally {
    holder.kill('SIGKILL');
  }
  // The holder lets go once the pid it holds for is gone.
  await until(async () => (await listLeases({ lockDir })).length === 0, 'the held lease released', {
    ms: 10_000,
  });
});
