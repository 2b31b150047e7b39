import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { core, dist, fixture, readableBuild, reserveRange, startNode, tempLockDir } from './helpers.mjs';

const { leasePort, listLeases, collectGarbage } = core;
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

// Windows has no POSIX permission bits: modes cannot make a directory unsafe or unwritable there.
const posixModes = process.platform === 'win32' && 'needs POSIX permission bits (not on Windows)';

async function unsafeError(lockDir, pattern) {
  const error = await leasePort({ lockDir }).catch((e) => e);
  assert.equal(error.code, 'LOCK_DIR_UNSAFE', String(error));
  assert.ok(error.message.includes(lockDir), 'names the path');
  assert.match(error.message, pattern);
  assert.match(error.message, /PORTLEASE_DIR/, 'says how to avoid it');
}

test('a symlink in place of the lock directory is refused', async () => {
  const base = tempLockDir();
  mkdirSync(join(base, 'elsewhere'), { mode: 0o700 });
  symlinkSync(join(base, 'elsewhere'), join(base, 'link'));
  await unsafeError(join(base, 'link'), /symbolic link.*Remove it/);
});

test('a file in place of the lock directory is refused', async () => {
  const base = tempLockDir();
  writeFileSync(join(base, 'file'), 'x');
  await unsafeError(join(base, 'file'), /not a directory/);
});

test('a group- or world-writable lock directory is refused with the chmod that fixes it', {
  skip: posixModes,
}, async () => {
  const base = tempLockDir();
  for (const mode of [0o770, 0o777, 0o755]) {
    const dir = join(base, mode.toString(8));
    mkdirSync(dir);
    chmodSync(dir, mode);
    await unsafeError(dir, new RegExp(`mode 0${mode.toString(8)}.*chmod 700`));
  }
});

test('a lock directory owned by another user is refused', async (t) => {
  if (!isRoot) return t.skip('needs root to chown');
  const dir = join(tempLockDir(), 'foreign');
  mkdirSync(dir, { mode: 0o700 });
  chownSync(dir, NOBODY, NOBODY);
  await unsafeError(dir, new RegExp(`owned by uid ${NOBODY}`));
});

test('an unwritable lock directory gives LOCK_DIR_UNWRITABLE, not a hang or a crash', {
  skip: posixModes,
}, async () => {
  const base = tempLockDir();
  chmodSync(base, 0o755);
  const dir = join(base, 'ro');
  mkdirSync(dir, { mode: 0o700 });
  chmodSync(dir, 0o500);
  // Root ignores permission bits: run the leasing process as an unprivileged user then, with a copy
  // of the build it can read (the checkout may sit in a directory only root can enter), and a node it
  // can execute (a Node line installed from the npm registry sits in root's npm cache, which nobody
  // cannot enter): a hard link to the running binary, or a copy across filesystems.
  let index = join(dist, 'index.js');
  let node = process.execPath;
  if (isRoot) {
    chownSync(dir, NOBODY, NOBODY);
    ({ node, index } = readableBuild(base));
  }
  const script = `import { leasePort } from ${JSON.stringify(index)};
    leasePort({ lockDir: ${JSON.stringify(dir)} }).then(() => console.log('leased'), (e) => console.log(e.code + ': ' + e.message));`;
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(node, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    ...(isRoot ? { uid: NOBODY, gid: NOBODY } : {}),
    cwd: '/',
  });
  assert.match(
    result.stdout,
    /^LOCK_DIR_UNWRITABLE: \[LOCK_DIR_UNWRITABLE\] Cannot write to lock directory .*permission was denied/,
    result.stderr,
  );
  assert.match(result.stdout, /PORTLEASE_DIR/);
});

test('corrupt, empty, binary and oversized records of a live owner never free its port', async () => {
  const [min] = await reserveRange(1);
  const lockDir = tempLockDir();
  const holder = startNode(fixture('lease-then.mjs'), ['idle', '1', String(min), String(min)], {
    env: { PORTLEASE_DIR: lockDir },
  });
  try {
    await holder.message((m) => m.ports);
    const [scope] = readdirSync(lockDir);
    const portDir = join(lockDir, scope, String(min));
    const [token] = readdirSync(portDir);
    for (const body of [
      '',
      '{"v":1,',
      Buffer.from([0, 255, 1, 2, 3]),
      'x'.repeat(1 << 20),
      '{"v":99,"future":true}',
    ]) {
      writeFileSync(join(portDir, token), body);
      const error = await leasePort({ lockDir, range: [min, min] }).catch((e) => e);
      assert.equal(error.code, 'RANGE_EXHAUSTED', `record ${String(body).slice(0, 20)}`);
      const [info] = await listLeases({ lockDir });
      assert.equal(info.status, 'alive');
      assert.ok(info.problem, 'list reports the record as unreadable');
    }
  } finally {
    holder.child.kill('SIGKILL');
    await holder.exited;
  }
  // Its owner is dead now: the port is reclaimed despite the garbage record.
  const lease = await leasePort({ lockDir, range: [min, min] });
  assert.equal(lease.port, min);
  lease.releaseSync();
});

test('entries portlease did not write are left alone: never reclaimed, never deleted by gc', async () => {
  const [min] = await reserveRange(1);
  const lockDir = tempLockDir();
  const first = await leasePort({ lockDir, range: [min, min] });
  const [scope] = readdirSync(lockDir);
  first.releaseSync();
  mkdirSync(join(lockDir, scope, String(min)));
  writeFileSync(join(lockDir, scope, String(min), 'not-a-token'), 'hello');
  const error = await leasePort({ lockDir, range: [min, min] }).catch((e) => e);
  assert.equal(error.code, 'RANGE_EXHAUSTED');
  assert.match(error.message, /unrecognised entry "not-a-token"/);
  const result = await collectGarbage({ lockDir });
  assert.equal(result.unknown.length, 1);
  assert.deepEqual(readdirSync(join(lockDir, scope, String(min))), ['not-a-token']);
});

test('RANGE_EXHAUSTED counts unreadable and foreign entries apart from live leases', async () => {
  const [min, max] = await reserveRange(3);
  const lockDir = tempLockDir();
  const live = await leasePort({ lockDir, range: [min, min] });
  const [scope] = readdirSync(lockDir);
  mkdirSync(join(lockDir, scope, String(min + 1)));
  writeFileSync(join(lockDir, scope, String(min + 1), 'not-a-token'), 'hello');
  writeFileSync(join(lockDir, scope, String(max)), 'a file where a port directory belongs');
  try {
    const error = await leasePort({ lockDir, range: [min, max] }).catch((e) => e);
    assert.equal(error.code, 'RANGE_EXHAUSTED');
    assert.match(error.message, /: 1 held by live leases: /);
    assert.match(error.message, /2 blocked by entries portlease cannot read or does not recognise/);
    assert.equal(error.details.held.length, 1, error.message);
    assert.equal(error.details.unjudged.length, 2, error.message);
  } finally {
    live.releaseSync();
  }
});

test('a lock directory removed while running is recreated and verified again', async () => {
  const [min, max] = await reserveRange(2);
  const base = tempLockDir();
  const lockDir = join(base, 'locks');
  const a = await leasePort({ lockDir, range: [min, max] });
  a.releaseSync();
  const { rmSync } = await import('node:fs');
  rmSync(lockDir, { recursive: true });
  const b = await leasePort({ lockDir, range: [min, max] });
  b.releaseSync();
  rmSync(lockDir, { recursive: true });
  writeFileSync(lockDir, 'now a file');
  const error = await leasePort({ lockDir, range: [min, max] }).catch((e) => e);
  assert.equal(error.code, 'LOCK_DIR_UNSAFE');
});
