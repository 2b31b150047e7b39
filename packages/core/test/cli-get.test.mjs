// `portlease get`: its versioned JSON (success and failure), and a hold only for a process that
// lives: never for one already gone, a zombie, or one that ends within the first second.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { cli, core, recordsIn, reserveRange, runNode, tempLockDir, until } from './helpers.mjs';

/** `sh` that starts `sleep <seconds>` in the background, prints its pid, and never reaps it. */
function parentThatNeverReaps(seconds) {
  const sh = spawn('sh', ['-c', `sleep ${seconds} & echo $!; exec sleep 600`], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const pid = new Promise((resolve) => sh.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  return { sh, pid };
}

const zombie = (pid) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
  } catch {
    return false;
  }
};

test('get --json: version 1 on success, and failures are JSON on stdout too', async () => {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(2);
  const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
  try {
    const args = ['get', '--json', '--range', `${min}-${max}`, '--hold-pid', String(sleeper.pid)];
    const ok = await runNode([cli, ...args, '--name', 'api', '--name', 'db'], {
      env: { PORTLEASE_DIR: lockDir },
    });
    assert.equal(ok.code, 0, ok.stderr);
    const out = JSON.parse(ok.stdout);
    assert.deepEqual(Object.keys(out), ['v', 'ports', 'names', 'sticky', 'holdPid', 'holderPid']);
    assert.deepEqual(out.sticky, []);
    assert.equal(out.v, 1);
    assert.deepEqual(out.names, { api: out.ports[0], db: out.ports[1] });
    assert.equal(out.holdPid, sleeper.pid);
    assert.equal(typeof out.holderPid, 'number');

    const exhausted = await runNode([cli, ...args], { env: { PORTLEASE_DIR: lockDir } });
    assert.equal(exhausted.code, 1);
    assert.equal(exhausted.stderr, '');
    const failure = JSON.parse(exhausted.stdout);
    assert.deepEqual(Object.keys(failure), ['v', 'error']);
    assert.equal(failure.v, 1);
    assert.equal(failure.error.code, 'RANGE_EXHAUSTED');
    assert.match(failure.error.message, /^\[RANGE_EXHAUSTED\] /);

    const usage = await runNode([cli, 'get', '--json', '--count', 'x'], { env: { PORTLEASE_DIR: lockDir } });
    assert.equal(usage.code, 2);
    assert.equal(JSON.parse(usage.stdout).error.code, 'INVALID_OPTIONS');
  } finally {
    sleeper.kill('SIGKILL');
  }
});

test('get refuses a --hold-pid that is gone, and one that ends within the first second', async () => {
  const lockDir = tempLockDir();
  const gone = spawn('true');
  await new Promise((resolve) => gone.once('exit', resolve));
  const dead = await runNode([cli, 'get', '--json', '--hold-pid', String(gone.pid)], {
    env: { PORTLEASE_DIR: lockDir },
  });
  assert.equal(dead.code, 2, dead.stdout);
  assert.match(JSON.parse(dead.stdout).error.message, /no such process/);

  // Alive when get starts, killed as soon as the holder has leased: inside get's first second.
  const brief = spawn('sleep', ['600'], { stdio: 'ignore' });
  const pending = runNode([cli, 'get', '--json', '--hold-pid', String(brief.pid)], {
    env: { PORTLEASE_DIR: lockDir },
  });
  await until(() => recordsIn(lockDir).length > 0, 'the holder to lease');
  brief.kill('SIGKILL');
  const short = await pending;
  assert.equal(short.code, 2, short.stdout);
  const { error } = JSON.parse(short.stdout);
  assert.equal(error.code, 'INVALID_OPTIONS');
  assert.match(error.message, /exited within 1000 ms.*nothing is held/);
  await until(() => recordsIn(lockDir).length === 0, 'the holder to release what it leased');
});

test('a zombie --hold-pid is dead: refused, and a hold ends when its process turns zombie', async () => {
  const lockDir = tempLockDir();
  const already = parentThatNeverReaps(0);
  const zombiePid = await already.pid;
  await until(() => zombie(zombiePid), 'the background sleep to become a zombie');
  try {
    const refused = await runNode([cli, 'get', '--json', '--hold-pid', String(zombiePid)], {
      env: { PORTLEASE_DIR: lockDir },
    });
    assert.equal(refused.code, 2, refused.stdout);
    assert.match(JSON.parse(refused.stdout).error.message, /no such process/);
  } finally {
    already.sh.kill('SIGKILL');
  }

  const later = parentThatNeverReaps(3);
  const pid = await later.pid;
  try {
    const held = await runNode([cli, 'get', '--json', '--hold-pid', String(pid)], {
      env: { PORTLEASE_DIR: lockDir },
    });
    assert.equal(held.code, 0, held.stdout);
    assert.equal((await core.listLeases({ lockDir })).length, 1);
    await until(() => zombie(pid), 'the held-for sleep to exit (and stay unreaped)');
    await until(() => recordsIn(lockDir).length === 0, 'the holder to see the zombie as dead and release');
    assert.ok(zombie(pid), 'released while the process was still an unreaped zombie');
  } finally {
    later.sh.kill('SIGKILL');
  }
});
