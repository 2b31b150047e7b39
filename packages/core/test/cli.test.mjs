import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import {
  cli,
  core,
  fixture,
  recordsIn,
  reserveRange,
  runNode,
  startNode,
  tempLockDir,
  until,
} from './helpers.mjs';

const { listLeases } = core;

// Windows has no SIGSTOP, and a SIGTERM or SIGINT sent there kills without running handlers.
const posixSignals = process.platform === 'win32' && 'needs POSIX signals (not on Windows)';

test('run: sets PORT and PORT_<NAME>, fills {port:name}, exits with the command code, releases', async () => {
  const lockDir = tempLockDir();
  const script =
    'console.log(JSON.stringify({ env: [process.env.PORT, process.env.PORT_API, process.env.PORT_WEB_UI], arg: process.argv[1] })); process.exit(7)';
  const result = await runNode(
    [cli, 'run', '--name', 'api', '--name', 'web-ui', '--', 'node', '-e', script, '{port:web-ui}'],
    {
      env: { PORTLEASE_DIR: lockDir },
    },
  );
  assert.equal(result.code, 7, result.stderr);
  const { env, arg } = JSON.parse(result.stdout);
  assert.equal(env[0], env[1]);
  assert.notEqual(env[1], env[2]);
  assert.equal(arg, env[2]);
  assert.deepEqual(recordsIn(lockDir), []);
});

test('run: forwards SIGTERM to the command and releases its ports', { skip: posixSignals }, async () => {
  const lockDir = tempLockDir();
  const child = startNode(cli, ['run', '--', 'node', fixture('print-port-and-wait.mjs')], {
    env: { PORTLEASE_DIR: lockDir },
  });
  const { port } = await child.message((m) => m.port);
  assert.equal((await listLeases({ lockDir }))[0].port, port);
  child.child.kill('SIGTERM');
  const exit = await child.exited;
  assert.equal(exit.code, 143, 'exit code 128 + SIGTERM, like a shell');
  assert.deepEqual(recordsIn(lockDir), []);
});

test('run: a bad option is a clear usage error with exit code 2', async () => {
  const result = await runNode([cli, 'run', '--count', 'many', '--', 'true']);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /^portlease: \[INVALID_OPTIONS\] --count must be a whole number from 1 to 1000, got "many"/,
  );
  const missing = await runNode([cli, 'run']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /needs a command/);
});

test('get: ports stay held until the --hold-pid process exits, then are released', async () => {
  const [min, max] = await reserveRange(5);
  const lockDir = tempLockDir();
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  const result = await runNode(
    [cli, 'get', '--count', '3', '--json', '--range', `${min}-${max}`, '--hold-pid', String(sleeper.pid)],
    { env: { PORTLEASE_DIR: lockDir } },
  );
  assert.equal(result.code, 0, result.stderr);
  const { ports, holdPid } = JSON.parse(result.stdout);
  assert.equal(holdPid, sleeper.pid);
  assert.equal(ports.length, 3);
  const leases = await listLeases({ lockDir });
  assert.deepEqual(leases.map((l) => l.port).sort(), [...ports].sort());
  assert.ok(leases.every((l) => l.status === 'alive'));
  sleeper.kill('SIGKILL');
  await until(async () => recordsIn(lockDir).length === 0, 'the holder to release after its process exited');
});

test('get: named ports print PORT_<NAME>= lines for a shell or $GITHUB_ENV', async () => {
  const lockDir = tempLockDir();
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  try {
    const result = await runNode(
      [cli, 'get', '--name', 'api', '--name', 'db', '--hold-pid', String(sleeper.pid)],
      {
        env: { PORTLEASE_DIR: lockDir },
      },
    );
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^PORT_API=\d+\nPORT_DB=\d+\n$/);
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('list shows owners and liveness; gc removes what a killed holder left', async () => {
  const lockDir = tempLockDir();
  const holder = startNode(fixture('lease-then.mjs'), ['idle', '2'], { env: { PORTLEASE_DIR: lockDir } });
  const { ports, pid } = await holder.message((m) => m.ports);
  const listed = await runNode([cli, 'list'], { env: { PORTLEASE_DIR: lockDir } });
  assert.match(listed.stdout, /PORT\s+STATUS\s+AGE\s+PID\s+OWNER/);
  for (const port of ports)
    assert.match(listed.stdout, new RegExp(`${port}\\s+alive\\s+\\S+\\s+${pid}\\s+holder idle`));
  holder.child.kill('SIGKILL');
  await holder.exited;
  const json = JSON.parse(
    (await runNode([cli, 'list', '--json'], { env: { PORTLEASE_DIR: lockDir } })).stdout,
  );
  assert.deepEqual(
    json.map((l) => l.status),
    ['stale', 'stale'],
  );
  const gc = await runNode([cli, 'gc'], { env: { PORTLEASE_DIR: lockDir } });
  assert.match(gc.stdout, /removed 2 stale record/);
  assert.deepEqual(recordsIn(lockDir), []);
});

test('doctor reports the lock directory, ephemeral and effective ranges; fails on an unsafe directory', {
  skip:
    process.platform === 'win32' && 'needs POSIX permission bits for the unsafe directory (not on Windows)',
}, async () => {
  const lockDir = tempLockDir();
  const ok = await runNode([cli, 'doctor', '--json'], { env: { PORTLEASE_DIR: lockDir } });
  assert.equal(ok.code, 0, ok.stderr);
  const report = JSON.parse(ok.stdout);
  assert.equal(report.lockDir, lockDir);
  assert.match(report.lockDirCheck, /^ok/);
  assert.match(report.ephemeralRange, /^\d+-\d+/);
  const { chmodSync } = await import('node:fs');
  chmodSync(lockDir, 0o777);
  const bad = await runNode([cli, 'doctor'], { env: { PORTLEASE_DIR: lockDir } });
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /FAILED: .*chmod 700/);
  chmodSync(lockDir, 0o700);
});
