// Two users of one host (root and `nobody`, run with setpriv): portlease never uses, creates in or
// suggests removing a directory inside another user's runtime directory (root with an inherited
// XDG_RUNTIME_DIR, as after `sudo -E` or `su` without `-`), and `doctor` warns that another user's
// lock directory is not coordinated with.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, dist, inPrivateMounts, readableBuild, reserveRange, runNode, tempLockDir } from './helpers.mjs';

const NOBODY = 65534;
const root = process.getuid?.() === 0;
const setpriv = !spawnSync('setpriv', ['--version']).error;
const skip = !root || !setpriv ? 'needs root and setpriv (util-linux)' : undefined;

/** A runtime directory of `nobody`, as /run/user/<uid> is: owned by it, mode 0700. */
function runtimeDirOfNobody() {
  const dir = tempLockDir();
  spawnSync('chown', [`${NOBODY}:${NOBODY}`, dir]);
  return dir;
}

/** Leases one port of `range` with the default lock directory, as `nobody` when `asNobody`. */
function leaseAs(asNobody, range, env) {
  const build = asNobody
    ? readableBuild(tempLockDir())
    : { node: process.execPath, index: join(dist, 'index.js') };
  const script = `import(${JSON.stringify(build.index)}).then((m) => m.leasePort({ range: [${range[0]}, ${range[1]}] }).then(
    (l) => { console.log(JSON.stringify({ port: l.port, dir: m.defaultLockDir() })); l.releaseSync(); },
    (e) => console.log(JSON.stringify({ code: e.code, message: e.message }))))`;
  const fullEnv = { ...process.env, PORTLEASE_DIR: '', ...env };
  const args = [build.node, '-e', script];
  const result = asNobody
    ? spawnSync('setpriv', ['--reuid', `${NOBODY}`, '--regid', `${NOBODY}`, '--clear-groups', ...args], {
        env: fullEnv,
        encoding: 'utf8',
        cwd: '/',
      })
    : spawnSync(args[0], args.slice(1), { env: fullEnv, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim());
}

test('root with an inherited XDG_RUNTIME_DIR creates nothing there, and that user still leases', {
  skip,
}, async () => {
  const range = await reserveRange(2);
  const runtime = runtimeDirOfNobody();
  const asRoot = leaseAs(false, range, { XDG_RUNTIME_DIR: runtime });
  assert.equal(asRoot.code, undefined, asRoot.message);
  assert.ok(!existsSync(join(runtime, 'portlease')), `root created ${join(runtime, 'portlease')}`);
  const asUser = leaseAs(true, range, { XDG_RUNTIME_DIR: runtime });
  assert.equal(asUser.code, undefined, `nobody was locked out: ${asUser.message}`);
});

test("root with an inherited XDG_RUNTIME_DIR is never told to remove that user's directory, and leases", {
  skip,
}, async () => {
  const range = await reserveRange(2);
  const runtime = runtimeDirOfNobody();
  const theirs = join(runtime, 'portlease');
  mkdirSync(theirs, { mode: 0o700 });
  spawnSync('chown', [`${NOBODY}:${NOBODY}`, theirs]);
  const asRoot = leaseAs(false, range, { XDG_RUNTIME_DIR: runtime });
  assert.equal(asRoot.code, undefined, asRoot.message);
  assert.ok(!asRoot.dir.startsWith(runtime), asRoot.dir);
  assert.equal(lstatSync(theirs).uid, NOBODY);
});

test('the default lock directory found owned by another uid is refused without a removal command', {
  skip,
}, async () => {
  const range = await reserveRange(2);
  const dir = '/dev/shm/portlease-0';
  const setup = `mount -t tmpfs tmpfs /dev/shm && mkdir -m 700 ${dir} && chown ${NOBODY} ${dir}`;
  const script = `import(${JSON.stringify(join(dist, 'index.js'))}).then((m) => m.leasePort({ range: [${range[0]}, ${range[1]}] })).catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`;
  const run = spawnSync(...inPrivateMounts(setup, [process.execPath, '-e', script]), {
    encoding: 'utf8',
    env: { ...process.env, PORTLEASE_DIR: '' },
  });
  const answer = JSON.parse(run.stdout.trim() || '{}');
  assert.equal(answer.code, 'LOCK_DIR_UNSAFE', run.stdout + run.stderr);
  assert.match(answer.message, new RegExp(`${dir} is owned by uid ${NOBODY}`));
  assert.doesNotMatch(answer.message, /\brm\b/);
});

test("doctor warns when another user's lock directory exists on the host: users are not coordinated", {
  skip,
}, async () => {
  const range = await reserveRange(2);
  // nobody leases once with the default directory, so /dev/shm/portlease-65534 (or /tmp's) exists.
  const asUser = leaseAs(true, range, { XDG_RUNTIME_DIR: '' });
  assert.equal(asUser.code, undefined, asUser.message);
  const report = JSON.parse(
    (await runNode([cli, 'doctor', '--json'], { env: { PORTLEASE_DIR: '', XDG_RUNTIME_DIR: '' } })).stdout,
  );
  assert.ok(Array.isArray(report.otherUsers), JSON.stringify(report));
  const theirs = report.otherUsers.find((entry) => entry.uid === NOBODY);
  assert.ok(theirs, JSON.stringify(report.otherUsers));
  assert.equal(theirs.path, asUser.dir);
  assert.match(report.otherUsersNote, /not coordinated/);
});
