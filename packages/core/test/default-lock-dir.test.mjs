// The default lock directory (no lockDir option, no PORTLEASE_DIR), as a user on a Linux CI runner or
// in a container gets it, the same for every process of the user whatever its environment: a per-user directory on the /dev/shm tmpfs, chosen by
// static facts only, with the same safety checks as anywhere else, and never a silent switch to
// another directory when /dev/shm is full, read-only or planted. Each odd /dev/shm is made for real
// in a private mount namespace (`unshare -m`), so the host's /dev/shm is never touched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dist, fixture, inPrivateMounts, reserveRange, runNode, tempLockDir } from './helpers.mjs';

const TMPFS = 0x01021994;
const uid = process.getuid?.() ?? 'user';
const linux = process.platform === 'linux';
const canUnshare =
  linux && spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0
    ? undefined
    : 'needs Linux mount namespaces (unshare -m, as root)';
const shmIsTmpfs = linux && statfsSync('/dev/shm', { throwIfNoEntry: false })?.type === TMPFS;

/** The fixture, with a user's default environment: no PORTLEASE_DIR, no XDG_RUNTIME_DIR. */
async function leaseWithDefaults(range, { setup } = {}) {
  const env = { ...process.env, PORTLEASE_CORE: join(dist, 'index.js') };
  delete env.PORTLEASE_DIR;
  delete env.XDG_RUNTIME_DIR;
  const script = [fixture('default-dir-lease.mjs'), String(range[0]), String(range[1])];
  const result = setup
    ? spawnSync(...inPrivateMounts(setup, [process.execPath, ...script]), { env, encoding: 'utf8' })
    : await runNode(script, { env: { PORTLEASE_DIR: '', XDG_RUNTIME_DIR: '', ...env } });
  const lines = result.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
  assert.equal(lines.length, 2, `unexpected output: ${result.stdout} ${result.stderr}`);
  return { dir: lines[0].dir, ...lines[1] };
}

test('on Linux with a tmpfs /dev/shm the default lock directory is /dev/shm/portlease-<uid>, and leases go there', async (t) => {
  if (!shmIsTmpfs) return t.skip('needs Linux with /dev/shm on a tmpfs');
  const range = await reserveRange(3);
  const result = await leaseWithDefaults(range);
  assert.equal(result.dir, `/dev/shm/portlease-${uid}`);
  assert.equal(result.held, true, `the lease was not recorded in ${result.dir}: ${JSON.stringify(result)}`);
});

test('PORTLEASE_DIR wins over the default; XDG_RUNTIME_DIR and TMPDIR do not move it', async () => {
  const runtime = tempLockDir();
  const explicit = tempLockDir();
  const script = `import(${JSON.stringify(join(dist, 'index.js'))}).then((m) => console.log(m.defaultLockDir()))`;
  const plain = await runNode(['-e', script], { env: { XDG_RUNTIME_DIR: '', PORTLEASE_DIR: '' } });
  const moved = await runNode(['-e', script], {
    env: { XDG_RUNTIME_DIR: runtime, TMPDIR: runtime, PORTLEASE_DIR: '' },
  });
  assert.equal(moved.stdout, plain.stdout, moved.stderr);
  assert.ok(!moved.stdout.startsWith(runtime), moved.stdout);
  // PORTLEASE_DIR is applied before the default: listLeases sees the lease made with it.
  const probe = `import(${JSON.stringify(join(dist, 'index.js'))}).then(async (m) => { const l = await m.leasePort(); const seen = (await m.listLeases()).some((x) => x.port === l.port); console.log(seen); l.releaseSync(); })`;
  const withDir = await runNode(['-e', probe], {
    env: { PORTLEASE_DIR: explicit, XDG_RUNTIME_DIR: runtime },
  });
  assert.equal(withDir.stdout.trim(), 'true', withDir.stderr);
});

/** Runs the pair fixture (A holds one port, B leases the whole range), inside `setup`'s namespace if given. */
function leasePair(range, envA, envB, setup) {
  const env = { ...process.env, PORTLEASE_CORE: join(dist, 'index.js') };
  const script = [fixture('default-dir-pair.mjs'), String(range[0]), String(range[1]), envA, envB].map(
    String,
  );
  const [cmd, args] = setup
    ? inPrivateMounts(setup, [process.execPath, ...script])
    : [process.execPath, script];
  const result = spawnSync(cmd, args, { env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout.trim().split('\n').pop());
}

function assertDisjoint(pair, what) {
  assert.equal(pair.b.code, 'RANGE_EXHAUSTED', JSON.stringify(pair));
  assert.ok(
    !pair.b.ports.includes(pair.a.port),
    `${what}: both held port ${pair.a.port} (A in ${pair.a.dir}, B in ${pair.b.dir})`,
  );
  assert.equal(pair.a.dir, pair.b.dir, JSON.stringify(pair));
}

test('a process with XDG_RUNTIME_DIR and one without never hold the same port', async () => {
  const range = await reserveRange(3);
  const runtime = tempLockDir();
  const withXdg = JSON.stringify({ XDG_RUNTIME_DIR: runtime });
  const without = JSON.stringify({ XDG_RUNTIME_DIR: null });
  assertDisjoint(leasePair(range, withXdg, without), 'XDG_RUNTIME_DIR set, then unset');
  assertDisjoint(leasePair(range, without, withXdg), 'XDG_RUNTIME_DIR unset, then set');
});

test('with /dev/shm not a tmpfs, processes with different TMPDIRs never hold the same port', async (t) => {
  if (canUnshare) return t.skip(canUnshare);
  const range = await reserveRange(3);
  const disk = tempLockDir();
  const env = (dir) => JSON.stringify({ XDG_RUNTIME_DIR: null, TMPDIR: dir });
  const pair = leasePair(range, env(tempLockDir()), env(tempLockDir()), `mount --bind '${disk}' /dev/shm`);
  assertDisjoint(pair, 'two TMPDIRs');
  assert.equal(pair.a.dir, `/tmp/portlease-${uid}`);
});

test('/dev/shm that is not a tmpfs, or a symlink: /tmp/portlease-<uid>, whatever TMPDIR says', async (t) => {
  if (canUnshare) return t.skip(canUnshare);
  const range = await reserveRange(3);
  const disk = tempLockDir();
  const notTmpfs = await leaseWithDefaults(range, { setup: `mount --bind '${disk}' /dev/shm` });
  assert.equal(notTmpfs.dir, `/tmp/portlease-${uid}`);
  assert.ok(notTmpfs.port >= range[0], JSON.stringify(notTmpfs));
  // A fresh /dev in the namespace where shm is a symlink to a (tmpfs) directory: not followed.
  const symlink = await leaseWithDefaults(range, {
    setup:
      'mount -t tmpfs tmpfs /dev && mkdir /dev/real-shm && mount -t tmpfs tmpfs /dev/real-shm && ln -s /dev/real-shm /dev/shm',
  });
  assert.equal(symlink.dir, `/tmp/portlease-${uid}`);
});

test('a full or read-only /dev/shm is LOCK_DIR_UNWRITABLE naming the path and PORTLEASE_DIR, never a silent switch', async (t) => {
  if (canUnshare) return t.skip(canUnshare);
  const range = await reserveRange(3);
  // nr_inodes=2: the root takes one, portlease-<uid> the other, so its scope directory cannot be made.
  const full = await leaseWithDefaults(range, {
    setup: 'mount -t tmpfs -o size=64k,nr_inodes=2 tmpfs /dev/shm',
  });
  assert.equal(full.dir, `/dev/shm/portlease-${uid}`);
  assert.equal(full.code, 'LOCK_DIR_UNWRITABLE', JSON.stringify(full));
  assert.match(full.message, /\/dev\/shm\/portlease-/);
  assert.match(full.message, /ENOSPC/);
  assert.match(full.message, /PORTLEASE_DIR/);
  const readOnly = await leaseWithDefaults(range, { setup: 'mount -t tmpfs -o ro tmpfs /dev/shm' });
  assert.equal(readOnly.code, 'LOCK_DIR_UNWRITABLE', JSON.stringify(readOnly));
  assert.match(readOnly.message, /\/dev\/shm\/portlease-.*read-only \(EROFS\)/);
  assert.match(readOnly.message, /PORTLEASE_DIR/);
});

test('a /dev/shm/portlease-<uid> planted by another user, or open to others, is LOCK_DIR_UNSAFE naming the path and PORTLEASE_DIR', async (t) => {
  if (canUnshare) return t.skip(canUnshare);
  if (uid !== 0) return t.skip('needs root to plant a directory owned by another user');
  const range = await reserveRange(3);
  const dir = `/dev/shm/portlease-${uid}`;
  const planted = await leaseWithDefaults(range, {
    setup: `mount -t tmpfs tmpfs /dev/shm && mkdir -m 700 ${dir} && chown nobody ${dir}`,
  });
  assert.equal(planted.code, 'LOCK_DIR_UNSAFE', JSON.stringify(planted));
  assert.match(planted.message, new RegExp(`${dir}.*owned by uid`));
  assert.match(planted.message, /PORTLEASE_DIR/);
  const open = await leaseWithDefaults(range, {
    setup: `mount -t tmpfs tmpfs /dev/shm && mkdir -m 777 ${dir}`,
  });
  assert.equal(open.code, 'LOCK_DIR_UNSAFE', JSON.stringify(open));
  assert.match(open.message, /mode 0777/);
  const link = await leaseWithDefaults(range, {
    setup: `mount -t tmpfs tmpfs /dev/shm && ln -s /tmp ${dir}`,
  });
  assert.equal(link.code, 'LOCK_DIR_UNSAFE', JSON.stringify(link));
  assert.match(link.message, /symbolic link/);
});

test('portlease doctor names the lock directory filesystem and says plainly what a disk costs', async (t) => {
  if (!linux) return t.skip('statfs filesystem types are read on Linux');
  const cli = join(dist, 'cli.js');
  const onDisk = tempLockDir();
  const disk = await runNode([cli, 'doctor', '--json'], { env: { PORTLEASE_DIR: onDisk } });
  const diskReport = JSON.parse(disk.stdout);
  if (statfsSync(onDisk).type !== TMPFS) {
    assert.match(diskReport.filesystem, /\(disk\).*journaled.*PORTLEASE_DIR/);
  }
  if (!shmIsTmpfs) return;
  const env = { PORTLEASE_DIR: '', XDG_RUNTIME_DIR: '' };
  const memory = JSON.parse((await runNode([cli, 'doctor', '--json'], { env })).stdout);
  assert.equal(memory.lockDir, `/dev/shm/portlease-${uid}`);
  assert.equal(memory.lockDirSource, 'default (/dev/shm)');
  assert.match(memory.filesystem, /^tmpfs \(memory/);
});
