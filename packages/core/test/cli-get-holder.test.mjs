// `portlease get`'s holder process failing: a holder that cannot start (EAGAIN at a process limit, a
// replaced /dev), dies before it reports (SIGABRT), or never reports (stalled under `ulimit -u`) ends
// `get` with HOLDER_FAILED, never ABORTED and never a hang, and leaves no holder behind.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, fixture, readableBuild, reserveRange, runProcess, tempLockDir, until } from './helpers.mjs';

const linux = process.platform === 'linux';
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    const stat = spawnSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim();
    return stat !== '' && !stat.startsWith('Z');
  } catch {
    return false;
  }
};

/** `node cli get --json …` held for a sleeper; resolves its parsed JSON line and the run. */
async function getJson(range, env = {}, { prefix = [], timeout = 120_000 } = {}) {
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  try {
    const args = ['get', '--json', '--range', `${range[0]}-${range[1]}`, '--hold-pid', String(sleeper.pid)];
    const [command, ...rest] = [...prefix, process.execPath, cli, ...args];
    const run = await runProcess(command, rest, {
      env: { ...process.env, PORTLEASE_DIR: tempLockDir(), ...env },
      timeout,
      settle: 'exit',
    });
    assert.ok(!run.timedOut, `portlease get was still waiting after ${timeout} ms: ${run.output}`);
    return { run, out: JSON.parse(run.stdout.trim() || '{}') };
  } finally {
    sleeper.kill('SIGKILL');
  }
}

const holderPidIn = (message) => Number(/holder process \(pid (\d+)\)/.exec(message)?.[1]);

test('a holder that never reports is killed at the deadline: HOLDER_FAILED, nothing left running', async () => {
  const range = await reserveRange(1);
  const { run, out } = await getJson(range, {
    NODE_OPTIONS: `--require ${fixture('holder-misbehaves.cjs')}`,
    PORTLEASE_TEST_HOLDER: 'hang',
    PORTLEASE_HOLDER_TIMEOUT_MS: '1500',
  });
  assert.equal(run.code, 1, run.output);
  assert.equal(out.error?.code, 'HOLDER_FAILED', run.output);
  assert.match(
    out.error.message,
    /did not report within 1500 ms and was killed.*PORTLEASE_HOLDER_TIMEOUT_MS/,
  );
  const pid = holderPidIn(out.error.message);
  await until(() => !alive(pid), `the stalled holder ${pid} to be gone`);
});

test('a holder that dies of SIGABRT before it reports: HOLDER_FAILED naming the signal, not ABORTED', async () => {
  const range = await reserveRange(1);
  const { run, out } = await getJson(range, {
    NODE_OPTIONS: `--require ${fixture('holder-misbehaves.cjs')}`,
    PORTLEASE_TEST_HOLDER: 'abort',
  });
  assert.equal(out.error?.code, 'HOLDER_FAILED', run.output);
  assert.match(out.error.message, /killed by SIGABRT/);
});

test('a holder that cannot start because /dev is replaced: HOLDER_FAILED naming ENOENT', async (t) => {
  if (!linux || spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status !== 0)
    return t.skip('needs Linux mount namespaces (unshare -m, as root)');
  const range = await reserveRange(1);
  const setup = 'mount -t tmpfs tmpfs /dev && exec "$0" "$@"';
  const { run, out } = await getJson(
    range,
    {},
    { prefix: ['unshare', '-m', '--propagation', 'private', 'sh', '-c', setup] },
  );
  assert.equal(out.error?.code, 'HOLDER_FAILED', run.output);
  assert.match(out.error.message, /could not start its holder process \(ENOENT/);
});

test('an interrupted get kills the holder it is waiting for', async () => {
  const range = await reserveRange(1);
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  const get = spawn(
    process.execPath,
    [cli, 'get', '--json', '--range', `${range[0]}-${range[1]}`, '--hold-pid', String(sleeper.pid)],
    {
      env: {
        ...process.env,
        PORTLEASE_DIR: tempLockDir(),
        NODE_OPTIONS: `--require ${fixture('holder-misbehaves.cjs')}`,
        PORTLEASE_TEST_HOLDER: 'hang',
      },
      stdio: 'ignore',
    },
  );
  try {
    const holder = await until(() => {
      const ps = spawnSync('ps', ['-o', 'pid=', '--ppid', String(get.pid)], {
        encoding: 'utf8',
      }).stdout.trim();
      return ps ? Number(ps.split('\n')[0]) : undefined;
    }, 'the holder to start');
    await new Promise((resolve) => setTimeout(resolve, 500)); // let get install its handlers
    get.kill('SIGTERM');
    await until(() => !alive(holder), `holder ${holder} to be killed with its get`);
  } finally {
    get.kill('SIGKILL');
    sleeper.kill('SIGKILL');
  }
});

test('under a real process limit (ulimit -u 12-20) get never hangs and every failure is HOLDER_FAILED', async (t) => {
  if (!linux || process.getuid?.() !== 0 || spawnSync('setpriv', ['--version']).error)
    return t.skip('needs Linux, root and setpriv (to run as uids with no other processes)');
  const range = await reserveRange(9);
  const build = readableBuild(tempLockDir());
  const limits = [12, 13, 14, 15, 16, 17, 18, 20];
  const outcomes = await Promise.all(
    limits.map(async (limit, i) => {
      // A uid of its own per limit: RLIMIT_NPROC counts every thread of the uid on the host.
      const uid = 64000 + limit;
      const lockDir = tempLockDir();
      spawnSync('chown', [String(uid), lockDir]);
      const script = `ulimit -u ${limit} && "$0" "$@"; echo "exit=$?"`;
      const run = await runProcess(
        'setpriv',
        [
          '--reuid',
          String(uid),
          '--regid',
          String(uid),
          '--clear-groups',
          'bash',
          '-c',
          script,
          build.node,
          join(build.index, '..', 'cli.js'),
          'get',
          '--json',
          '--range',
          `${range[0] + i}-${range[0] + i}`,
        ],
        {
          env: {
            ...process.env,
            PORTLEASE_DIR: lockDir,
            PORTLEASE_HOLDER_TIMEOUT_MS: '5000',
            NODE_OPTIONS: '',
          },
          timeout: 150_000,
          settle: 'exit',
          cwd: '/',
        },
      );
      const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
      const left = () =>
        spawnSync('pgrep', ['-u', String(uid)], { encoding: 'utf8' })
          .stdout.split('\n')
          .filter(Boolean);
      try {
        await until(() => left().length === 0, `no process of uid ${uid} left (ulimit -u ${limit})`, {
          ms: 30_000,
        });
      } catch (error) {
        for (const pid of left()) process.kill(Number(pid), 'SIGKILL'); // this test's own holders
        throw error;
      }
      return { limit, timedOut: run.timedOut, out: line ? JSON.parse(line) : undefined, output: run.output };
    }),
  );
  for (const { limit, timedOut, out, output } of outcomes) {
    assert.ok(!timedOut, `ulimit -u ${limit}: get hung: ${output}`);
    // No JSON at all: `get` itself could not start Node under that limit; nothing was asked of portlease.
    if (!out) continue;
    if (out.error) assert.equal(out.error.code, 'HOLDER_FAILED', `ulimit -u ${limit}: ${output}`);
    else assert.equal(out.ports?.length, 1, `ulimit -u ${limit}: ${output}`);
  }
  t.diagnostic(
    JSON.stringify(outcomes.map(({ limit, out }) => [limit, out?.error?.code ?? (out ? 'ok' : 'no get')])),
  );
});
