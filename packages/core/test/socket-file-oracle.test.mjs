// The socket-file liveness oracle (macOS, the BSDs) run for real on Linux: child processes are forced
// to prove liveness with socket files (fixtures/platform/force-platform.mjs, via NODE_OPTIONS so the
// agents' own children inherit it), each group with a lock directory of its own, so they never meet
// processes that use Linux's abstract sockets.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { leftovers } from '@portlease/test-harness';
import { fixture, readableBuild, reserveRange, tempLockDir } from './helpers.mjs';
import { startAgent } from './reliability/helpers.mjs';

const SOCKETS = `/tmp/portlease-owners-${process.getuid()}`;
const FILE_ORACLE = {
  NODE_OPTIONS: `--import ${fixture('platform/force-platform.mjs')}`,
  PORTLEASE_TEST_PLATFORM: JSON.stringify({ oracle: 'file' }),
};

function agent(lockDir, env = {}) {
  return startAgent({ env: { ...FILE_ORACLE, PORTLEASE_DIR: lockDir, ...env } });
}

/** Owner ids of the records in a lock directory (tokens are `<ownerId>-<random>`). */
function ownersIn(lockDir) {
  const records = leftovers(lockDir).filter((l) => l.kind === 'record');
  return [...new Set(records.map((l) => basename(l.path).split('-')[0]))];
}

/** Leaves a socket file nobody listens on, as an owner killed with SIGKILL does; returns its path. */
function staleSocket() {
  const id = Array.from({ length: 24 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
  const path = join(SOCKETS, `${id}.sock`);
  mkdirSync(SOCKETS, { recursive: true, mode: 0o700 });
  const script = `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`;
  spawnSync(process.execPath, ['-e', script]);
  assert.ok(lstatSync(path).isSocket(), 'the killed listener left its socket file');
  return path;
}

test('socket files: a live owner holds its ports across processes; after SIGKILL they are reclaimed and its file removed', async () => {
  const [min, max] = await reserveRange(4);
  const range = [min, max];
  const lockDir = tempLockDir();
  const holder = agent(lockDir);
  const other = agent(lockDir);
  try {
    assert.ok(await holder.ready, holder.stderr());
    assert.ok(await other.ready, other.stderr());
    const held = await holder.ask({ cmd: 'lease', count: 4, range, owner: 'holder', bind: false });
    assert.equal(held.error, undefined, JSON.stringify(held.error));
    const [ownerId] = ownersIn(lockDir);
    const socket = join(SOCKETS, `${ownerId}.sock`);
    assert.ok(lstatSync(socket).isSocket(), `the owner listens on ${socket}`);

    // Alive: nothing is handed out twice.
    const denied = await other.ask({ cmd: 'lease', count: 1, range, owner: 'other', bind: false });
    assert.equal(denied.error?.code, 'RANGE_EXHAUSTED');
    assert.equal(denied.error.details.held.length, 4, 'all four held by the live owner');
    assert.ok(existsSync(socket), "a live owner's socket file is never removed");

    // Frozen: the kernel still queues the connection, so it is alive too.
    holder.child.kill('SIGSTOP');
    const frozen = await other.ask({ cmd: 'lease', count: 1, range, owner: 'other', bind: false });
    assert.equal(frozen.error?.code, 'RANGE_EXHAUSTED', 'a frozen owner is alive');
    assert.ok(existsSync(socket));

    await holder.kill('SIGKILL');
    assert.ok(lstatSync(socket).isSocket(), 'SIGKILL leaves the socket file behind');
    const reclaimed = await other.ask({ cmd: 'lease', count: 4, range, owner: 'other', bind: true });
    assert.equal(reclaimed.error, undefined, JSON.stringify(reclaimed.error));
    assert.deepEqual([...reclaimed.ports].sort(), [...held.ports].sort());
    assert.deepEqual(reclaimed.bindErrors, []);
    assert.ok(!existsSync(socket), "the dead owner's socket file was removed");

    // A normal exit (the oracle still open, unref'd) removes the process's own socket file.
    const otherSocket = join(SOCKETS, `${ownersIn(lockDir)[0]}.sock`);
    assert.ok(lstatSync(otherSocket).isSocket());
    other.child.stdin.end();
    await other.exited;
    assert.ok(!existsSync(otherSocket), 'a process that exits normally leaves no socket file');
  } finally {
    other.child.stdin.end();
    await other.exited;
    await holder.kill('SIGKILL');
  }
});

test('socket files: an owner ended by SIGTERM removes its own file, as at a normal exit', async () => {
  const [min, max] = await reserveRange(1);
  const lockDir = tempLockDir();
  const holder = agent(lockDir);
  try {
    assert.ok(await holder.ready, holder.stderr());
    const held = await holder.ask({
      cmd: 'lease',
      count: 1,
      range: [min, max],
      owner: 'holder',
      bind: false,
    });
    assert.equal(held.error, undefined, JSON.stringify(held.error));
    const socket = join(SOCKETS, `${ownersIn(lockDir)[0]}.sock`);
    assert.ok(lstatSync(socket).isSocket(), `the owner listens on ${socket}`);
    await holder.kill('SIGTERM');
    assert.equal(holder.child.signalCode, 'SIGTERM', 'it died of the signal, as without portlease');
    assert.ok(!existsSync(socket), 'a process ended by SIGTERM leaves no socket file');
    assert.deepEqual(
      leftovers(lockDir).filter((l) => l.kind === 'record'),
      [],
      'nor its record',
    );
  } finally {
    await holder.kill('SIGKILL');
  }
});

test("socket files: a new owner sweeps dead owners' files and never a live owner's", async () => {
  const [min, max] = await reserveRange(2);
  const lockDir = tempLockDir();
  const stale = [staleSocket(), staleSocket()];
  const live = agent(lockDir);
  try {
    assert.ok(await live.ready, live.stderr());
    const held = await live.ask({ cmd: 'lease', count: 1, range: [min, min], owner: 'live', bind: false });
    assert.equal(held.error, undefined, JSON.stringify(held.error));
    const liveSocket = join(SOCKETS, `${ownersIn(lockDir)[0]}.sock`);
    // A second process opens its owner socket, which sweeps the directory once.
    const sweeper = agent(tempLockDir());
    assert.ok(await sweeper.ready, sweeper.stderr());
    const got = await sweeper.ask({
      cmd: 'lease',
      count: 1,
      range: [max, max],
      owner: 'sweeper',
      bind: false,
    });
    assert.equal(got.error, undefined, JSON.stringify(got.error));
    const deadline = Date.now() + 30_000;
    while (stale.some((path) => existsSync(path)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    sweeper.child.stdin.end();
    await sweeper.exited;
    for (const path of stale) assert.ok(!existsSync(path), `stale ${path} was swept`);
    assert.ok(lstatSync(liveSocket).isSocket(), "the live owner's socket file is kept");
    const again = await agent(lockDir);
    try {
      assert.ok(await again.ready);
      const denied = await again.ask({ cmd: 'lease', count: 1, range: [min, min], owner: 'x', bind: false });
      assert.equal(denied.error?.code, 'RANGE_EXHAUSTED', 'the live owner still holds its port');
    } finally {
      again.child.stdin.end();
      await again.exited;
    }
  } finally {
    live.child.stdin.end();
    await live.exited;
  }
});

test('socket files: a temp directory too long for a 104-byte socket path is no problem (a shorter fixed place)', async () => {
  const [min, max] = await reserveRange(2);
  let long = tempLockDir();
  while (Buffer.byteLength(join(long, 'portlease-owners-0', `${'0'.repeat(24)}.sock`)) <= 110) {
    long = join(long, 'a-rather-long-temporary-directory-name');
  }
  mkdirSync(long, { recursive: true });
  const lockDir = tempLockDir();
  const env = { TMPDIR: long };
  const holder = agent(lockDir, env);
  const other = agent(lockDir, env);
  try {
    assert.ok(await holder.ready, holder.stderr());
    assert.ok(await other.ready, other.stderr());
    const held = await holder.ask({ cmd: 'lease', count: 1, range: [min, min], owner: 'h', bind: false });
    assert.equal(held.error, undefined, JSON.stringify(held.error));
    const socket = join(SOCKETS, `${ownersIn(lockDir)[0]}.sock`);
    assert.ok(
      lstatSync(socket).isSocket(),
      `the owner listens on a socket file (${socket}), not under TMPDIR`,
    );
    const denied = await other.ask({ cmd: 'lease', count: 1, range: [min, min], owner: 'o', bind: false });
    assert.equal(denied.error?.code, 'RANGE_EXHAUSTED', 'the owner is seen alive');
    await holder.kill('SIGKILL');
    const got = await other.ask({ cmd: 'lease', count: 2, range: [min, max], owner: 'o', bind: false });
    assert.equal(got.error, undefined, JSON.stringify(got.error));
  } finally {
    other.child.stdin.end();
    await other.exited;
    await holder.kill('SIGKILL');
  }
});

test('socket files: an owner socket directory planted with open modes is refused with LOCK_DIR_UNSAFE, never used', async (t) => {
  // The directory is per uid; run the child as another uid so the real one is left alone.
  if (process.getuid() !== 0) return t.skip('needs root to run a child as another uid');
  const [min] = await reserveRange(1);
  const uid = 65534;
  const planted = `/tmp/portlease-owners-${uid}`;
  spawnSync('rm', ['-rf', planted]);
  mkdirSync(planted, { mode: 0o777 });
  spawnSync('chmod', ['0777', planted]);
  spawnSync('chown', [`${uid}`, planted]);
  const lockDir = tempLockDir();
  spawnSync('chown', [`${uid}`, lockDir]);
  // The other uid may not enter the checkout (a fresh clone under a 0700 temp dir) or root's npm cache.
  const build = readableBuild(tempLockDir(), {
    'platform/force-platform.mjs': fixture('platform/force-platform.mjs'),
  });
  const script = `import(${JSON.stringify(build.index)}).then(({ leasePort }) =>
    leasePort({ lockDir: ${JSON.stringify(lockDir)}, range: [${min}, ${min}] })).then(
      () => console.log('leased'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`;
  const result = spawnSync(
    'setpriv',
    ['--reuid', `${uid}`, '--regid', `${uid}`, '--clear-groups', build.node, '-e', script],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        ...FILE_ORACLE,
        NODE_OPTIONS: `--import ${build.fixture('platform/force-platform.mjs')}`,
      },
    },
  );
  spawnSync('rm', ['-rf', planted]);
  if (result.error) return t.skip(`setpriv unavailable: ${result.error.message}`);
  const answer = JSON.parse(result.stdout.trim() || '{}');
  assert.equal(answer.code, 'LOCK_DIR_UNSAFE', result.stdout + result.stderr);
  assert.match(answer.message, new RegExp(`${planted} has mode 0777`));
});
