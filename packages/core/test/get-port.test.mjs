// portlease/get-port in one process: the same argument errors as get-port 7 (compared with get-port
// itself, a devDependency), and each deliberate difference the README lists, pinned.
// GET_PORT_MODULE=<path to get-port's index.js> runs these tests on get-port: the difference tests fail.
import assert from 'node:assert/strict';
import { lookup } from 'node:dns/promises';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { bind, core, dist, fixture, reserveRange, startNode, tempLockDir } from './helpers.mjs';

const target = process.env.GET_PORT_MODULE ?? join(dist, 'get-port.js');
const { default: getPort, portNumbers, clearLockedPorts } = await import(pathToFileURL(target).href);
const upstream = await import('get-port');

const lockDir = tempLockDir();
process.env.PORTLEASE_DIR = lockDir;
afterEach(() => clearLockedPorts());

/** Runs `fn` with PORTLEASE_RANGE set to `range` (or unset for `undefined`), restoring it after. */
async function withRange(range, fn) {
  const saved = process.env.PORTLEASE_RANGE;
  if (range) process.env.PORTLEASE_RANGE = `${range[0]}-${range[1]}`;
  else delete process.env.PORTLEASE_RANGE;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.PORTLEASE_RANGE;
    else process.env.PORTLEASE_RANGE = saved;
  }
}

async function failure(fn) {
  try {
    await fn();
  } catch (error) {
    return { class: error.constructor.name, code: error.code, message: error.message };
  }
  return 'no error';
}

test("argument errors are get-port's own: same class, code and message", async () => {
  const ranges = [
    ['abc', 3000],
    [3000, 'abc'],
    [1.5, 2000],
    [1023, 1024],
    [65_536, 65_536],
    [1024, 1023],
    [65_535, 65_537],
    [1025, 1024],
  ];
  for (const [from, to] of ranges) {
    const ours = await failure(() => portNumbers(from, to));
    assert.notEqual(ours, 'no error', `portNumbers(${from}, ${to})`);
    assert.deepEqual(
      ours,
      await failure(() => upstream.portNumbers(from, to)),
      `portNumbers(${from}, ${to})`,
    );
  }
  const options = [
    { exclude: 42 },
    { exclude: {} },
    { exclude: ['foo'] },
    { exclude: [Number.NaN] },
    { exclude: [1.5] },
    { port: {} },
    { port: true },
    { port: 70_000 },
    { port: [-1] },
    { port: [1.5] },
    { port: ['abc'] },
    { port: [''] },
    { port: [true] },
    { port: [{}] },
    { host: '192.0.2.1' },
    // A name that does not resolve: getaddrinfo's own error (ENOTFOUND), from the same lookup.
    { host: 'portlease-no-such-host.invalid' },
    // A bad port value is reported before a bad host, as get-port's listen call validates it first.
    { host: '192.0.2.1', port: {} },
    { host: '192.0.2.1', port: [70_000] },
    // get-port's way to forbid its port-0 fallback: "No available ports found".
    { exclude: [0] },
    { exclude: [0], host: '192.0.2.1' },
  ];
  for (const option of options) {
    const ours = await failure(() => getPort(option));
    assert.notEqual(ours, 'no error', JSON.stringify(option));
    assert.deepEqual(ours, await failure(() => upstream.default(option)), JSON.stringify(option));
  }
});

test('what get-port accepts works: falsy options, port 0 and null, numeric strings, empty iterables, generators', async () => {
  const [min, max] = await reserveRange(8);
  await withRange([min, max], async () => {
    for (const options of [undefined, {}, null, 3000, { port: 0 }, { port: [] }, { port: [null] }]) {
      const port = await getPort(options);
      assert.ok(port >= min && port <= max, `${JSON.stringify(options)} gave ${port}`);
      clearLockedPorts();
    }
    for (const options of [{ exclude: null }, { exclude: 0 }, { exclude: '' }, { exclude: [-1, 70_000] }]) {
      assert.equal(typeof (await getPort({ ...options, port: [0] })), 'number', JSON.stringify(options));
      clearLockedPorts();
    }
    assert.equal(await getPort({ port: [String(max)] }), max);
    // A generator is read only as far as needed: the throw after the first free port is never reached.
    const lazy = (function* () {
      yield max - 1;
      throw new Error('read past the first free port');
    })();
    assert.equal(await getPort({ port: lazy }), max - 1);
  });
});

test('with no preference: a port of the default range, outside the OS ephemeral range, never browser-unsafe', async () => {
  const [min, max] = core.defaultRange();
  const ephemeral = core.ephemeralRange();
  await withRange(undefined, async () => {
    for (let i = 0; i < 20; i++) {
      const port = await getPort();
      assert.ok(port >= min && port <= max, `${port} outside the default range ${min}-${max}`);
      assert.ok(port < ephemeral.min || port > ephemeral.max, `${port} in the ephemeral range`);
      assert.ok(!core.UNSAFE_PORTS.has(port), `${port} is browser-unsafe`);
    }
  });
});

test('a preferred port below 1024 or browser-unsafe gives another port, never an error', async () => {
  const [min, max] = await reserveRange(4);
  const unsafe = [...core.UNSAFE_PORTS].find((p) => p >= 1024);
  await withRange([min, max], async () => {
    for (const port of [80, [1, 443, 1023], unsafe, [unsafe]]) {
      const got = await getPort({ port });
      assert.ok(got >= min && got <= max, `preferred ${port} gave ${got}`);
      clearLockedPorts();
    }
    assert.equal(await getPort({ port: [unsafe, max] }), max, 'the next preference is tried');
  });
});

test('a preferred port leased by another process is skipped, though nothing listens on it', async () => {
  const [min, max] = await reserveRange(4);
  const holder = startNode(fixture('lease-then.mjs'), ['idle', '1', String(min), String(min)], {
    env: { PORTLEASE_DIR: lockDir },
  });
  try {
    const { ports } = await holder.message((m) => Array.isArray(m.ports));
    assert.deepEqual(ports, [min]);
    await withRange([min, max], async () => {
      assert.equal(await getPort({ port: [min, min + 1] }), min + 1);
      assert.notEqual(await getPort({ port: min }), min);
    });
  } finally {
    holder.child.stdin.end();
  }
  await holder.exited;
});

test('a port stays leased until clearLockedPorts (no 15-30 s expiry), reserve or not', async () => {
  const [min] = await reserveRange(4);
  const ports = [await getPort({ port: min }), await getPort({ port: min + 1, reserve: true })];
  assert.deepEqual(ports, [min, min + 1]);
  const leased = async () => (await core.listLeases({ lockDir })).map((l) => l.port);
  assert.deepEqual(
    (await leased()).filter((p) => ports.includes(p)).sort(),
    ports,
    'both are leased in the lock directory',
  );
  clearLockedPorts();
  assert.deepEqual(
    (await leased()).filter((p) => ports.includes(p)),
    [],
  );
  assert.equal(await getPort({ port: min }), min, 'free again after clearLockedPorts');
});

test('exclude applies to the fallback range too', async () => {
  const [min, max] = await reserveRange(2);
  await withRange([min, max], async () => {
    assert.equal(await getPort({ exclude: [min] }), max);
    assert.equal(await getPort({ port: [min], exclude: [min, max] }).catch((e) => e.code), 'RANGE_EXHAUSTED');
  });
});

test('host: only that address is probed; ipv6Only and the other listen options are accepted', async () => {
  const [min, max] = await reserveRange(4);
  const { server } = await bind(min, '127.0.0.1');
  try {
    await withRange([min, max], async () => {
      assert.equal(await getPort({ port: min, host: '::1' }), min, 'busy on 127.0.0.1 only: free on ::1');
      clearLockedPorts();
      assert.notEqual(await getPort({ port: min }), min, 'busy on 127.0.0.1: skipped by default');
      const port = await getPort({
        host: '::',
        ipv6Only: true,
        backlog: 5,
        exclusive: true,
        readableAll: false,
      });
      assert.ok(port >= min && port <= max);
    });
  } finally {
    server.close();
  }
});

test("host: 'localhost' (a name) is resolved as listen resolves it, and probed there", async () => {
  const [min, max] = await reserveRange(4);
  const { address } = await lookup('localhost');
  const { server } = await bind(min, address);
  try {
    await withRange([min, max], async () => {
      const port = await getPort({ host: 'localhost' });
      assert.ok(port >= min && port <= max, `host localhost gave ${port}`);
      clearLockedPorts();
      const busy = await getPort({ port: min, host: 'localhost' });
      assert.notEqual(busy, min, `busy on ${address}, where localhost resolves: skipped`);
      assert.notEqual(await upstream.default({ port: min, host: 'localhost' }), min, 'get-port skips it too');
      assert.equal(await getPort({ port: min + 1, host: 'localhost' }), min + 1, 'a free preference');
    });
  } finally {
    server.close();
  }
});

test("a numeric string port is iterated as get-port iterates it: '8080' tries '8', '0', '8', '0'", async () => {
  // get-port 7: the string '8' when it can bind port 8 (root), else (EACCES) the string '0' (Node
  // binds a random port for it, get-port returns what it was given). Never 8080.
  const theirs = await upstream.default({ port: '8080' });
  upstream.clearLockedPorts();
  assert.ok(theirs === '8' || theirs === '0', `get-port gave ${JSON.stringify(theirs)}`);
  // Here: 8 is below 1024 (skipped), '0' means any port: a number of portlease's range.
  const [min, max] = await reserveRange(2);
  await withRange([min, max], async () => {
    const ours = await getPort({ port: '8080' });
    assert.equal(typeof ours, 'number');
    assert.ok(ours >= min && ours <= max, `${ours} outside ${min}-${max}`);
  });
});

test('host "::" is probed dual-stack even with ipv6Only: a port busy on IPv4 is not returned', async () => {
  const [min, max] = await reserveRange(4);
  const { server } = await bind(min, '0.0.0.0');
  try {
    await withRange([min, max], async () => {
      assert.notEqual(await getPort({ port: min, host: '::', ipv6Only: true }), min);
    });
  } finally {
    server.close();
  }
});

test('an aborted signal rejects with ABORTED instead of hanging', { timeout: 10_000 }, async () => {
  const signal = AbortSignal.abort();
  assert.equal(await getPort({ signal }).catch((e) => e.code), 'ABORTED');
  assert.equal(await getPort({ signal, host: '127.0.0.1' }).catch((e) => e.code), 'ABORTED');
});
