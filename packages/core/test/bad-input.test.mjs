// Bad input to the core API gets a coded PortleaseError that says what to do, never a raw error, a
// DNS lookup per port, a silently ignored option or a wrong message; a relative lock directory is
// resolved once so process.chdir cannot break release; fix-it text never suggests harm.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { leftovers } from '@portlease/test-harness';
import { core, dist, readableBuild, recordsIn, reserveRange, tempLockDir } from './helpers.mjs';

const { collectGarbage, leasePort, leasePorts, listLeases } = core;

const coded = (code, pattern) => (error) => {
  assert.equal(error.name, 'PortleaseError', `${error.name}: ${error.message}`);
  assert.equal(error.code, code, error.message);
  if (pattern) assert.match(error.message, pattern);
  return true;
};

test('unusable lock directories are INVALID_OPTIONS, not raw TypeError/ENAMETOOLONG', async () => {
  const [min] = await reserveRange(1);
  const range = [min, min];
  await assert.rejects(
    leasePort({ range, lockDir: `${tempLockDir()}/a\0b` }),
    coded('INVALID_OPTIONS', /NUL/),
  );
  await assert.rejects(
    leasePort({ range, lockDir: join(tempLockDir(), 'x'.repeat(300)) }),
    coded('INVALID_OPTIONS', /255/),
  );
  await assert.rejects(listLeases({ lockDir: 5 }), coded('INVALID_OPTIONS', /lockDir/));
  await assert.rejects(listLeases(null), coded('INVALID_OPTIONS', /listLeases options/));
  await assert.rejects(collectGarbage({ lockDir: '' }), coded('INVALID_OPTIONS', /lockDir/));
});

test('misspelt or mistyped options are INVALID_OPTIONS naming the key and the closest known one', async () => {
  const lockDir = tempLockDir();
  await assert.rejects(
    leasePort({ rnage: [20000, 20001], lockDir }),
    coded('INVALID_OPTIONS', /"rnage".*did you mean "range"/),
  );
  await assert.rejects(
    leasePorts(2, { lockdir: lockDir }),
    coded('INVALID_OPTIONS', /leasePorts options.*"lockdir".*"lockDir"/),
  );
  await assert.rejects(listLeases({ lockDri: lockDir }), coded('INVALID_OPTIONS', /"lockDri".*"lockDir"/));
  await assert.rejects(collectGarbage({ dir: lockDir }), coded('INVALID_OPTIONS', /"dir"/));
  await assert.rejects(leasePort({ owner: 5, lockDir }), coded('INVALID_OPTIONS', /owner/));
  await assert.rejects(leasePort({ hosts: '::', lockDir }), coded('INVALID_OPTIONS', /hosts/));
  await assert.rejects(leasePorts('3', { lockDir }), coded('INVALID_OPTIONS', /count/));
});

test('hosts must be IP addresses of this machine: no DNS per port, no probing silently turned off', async () => {
  const [min] = await reserveRange(1);
  const lockDir = tempLockDir();
  await assert.rejects(
    leasePort({ range: [min, min], lockDir, hosts: ['not an ip'] }),
    coded('INVALID_OPTIONS', /hosts\[0\].*IP address/),
  );
  await assert.rejects(
    leasePort({ range: [min, min], lockDir, hosts: ['localhost'] }),
    coded('INVALID_OPTIONS', /hosts\[0\]/),
  );
  await assert.rejects(
    leasePort({ range: [min, min], lockDir, hosts: ['192.0.2.1'] }),
    coded('INVALID_OPTIONS', /not an address of this machine/),
  );
  const lease = await leasePort({ range: [min, min], lockDir, hosts: ['127.0.0.1', '::'] });
  await lease.release();
});

test('asking more ports than the range holds says so, and never lists the call’s own leases as holders', async () => {
  const [a, b] = await reserveRange(2);
  const lockDir = tempLockDir();
  await assert.rejects(
    leasePorts(3, { range: [a, b], lockDir }),
    coded('RANGE_EXHAUSTED', /3 ports were asked of range .*which holds 2/),
  );
  const [c, e] = await reserveRange(3);
  const d = c + 1;
  const other = await leasePort({ range: [d, d], lockDir, owner: 'the other holder' });
  await assert.rejects(leasePorts(3, { range: [c, e], lockDir }), (error) => {
    coded('RANGE_EXHAUSTED', /this call had leased 2 of the 3/)(error);
    assert.deepEqual(error.details.held.length, 1, `only the other holder: ${error.message}`);
    assert.match(error.message, /the other holder/);
    return true;
  });
  await other.release();
  assert.deepEqual(
    leftovers(lockDir).filter((l) => l.kind !== 'staged'),
    [],
  );
});

test('a relative lockDir is resolved once: process.chdir does not break release', async () => {
  const [min] = await reserveRange(1);
  const base = tempLockDir();
  mkdirSync(join(base, 'elsewhere'));
  const script = `
    const { leasePort } = await import(${JSON.stringify(join(dist, 'index.js'))});
    const lease = await leasePort({ lockDir: 'locks', range: [${min}, ${min}] });
    process.chdir('elsewhere');
    await lease.release();
    const again = await leasePort({ lockDir: ${JSON.stringify(join(base, 'locks'))}, range: [${min}, ${min}] });
    again.releaseSync();
    console.log('ok');`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: base,
    encoding: 'utf8',
  });
  assert.equal(run.stdout.trim(), 'ok', run.stderr);
  assert.deepEqual(recordsIn(join(base, 'locks')), []);
});

test('LOCK_DIR_UNSAFE never suggests rm or chmod on a path portlease does not own', async () => {
  const shared = join(tempLockDir(), 'shared');
  mkdirSync(shared);
  chmodSync(shared, 0o1777);
  for (const lockDir of ['/etc/passwd', shared]) {
    await assert.rejects(listLeases({ lockDir }), (error) => {
      coded('LOCK_DIR_UNSAFE')(error);
      assert.doesNotMatch(error.message, /\b(rm|chmod)( -r)? (700 )?\//, error.message);
      return true;
    });
  }
});

test('one unreadable port directory: list shows it as unknown and gc leaves it, no raw EACCES', async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root to run a child as an unprivileged user');
  const { chownSync } = await import('node:fs');
  const NOBODY = 65534;
  const base = tempLockDir();
  chmodSync(base, 0o755);
  chownSync(base, NOBODY, NOBODY);
  // The unprivileged child needs a copy of the build it can read, and a node it can execute.
  const build = readableBuild(base);
  const script = `
    import { mkdirSync, readlinkSync } from 'node:fs';
    const { listLeases, collectGarbage } = await import(${JSON.stringify(build.index)});
    const lockDir = ${JSON.stringify(join(base, 'locks'))};
    await listLeases({ lockDir });
    const scope = 'net-' + /\\[(\\d+)\\]/.exec(readlinkSync('/proc/self/ns/net'))[1];
    mkdirSync(lockDir + '/' + scope + '/12345', { mode: 0 });
    const out = {};
    try { out.rows = (await listLeases({ lockDir })).map((r) => r.status + ' ' + r.problem); } catch (e) { out.list = e.code ?? e.message; }
    try { out.unknown = (await collectGarbage({ lockDir })).unknown.length; } catch (e) { out.gc = e.code ?? e.message; }
    console.log(JSON.stringify(out));`;
  const run = spawnSync(build.node, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    uid: NOBODY,
    gid: NOBODY,
    cwd: '/',
  });
  assert.deepEqual(
    JSON.parse(run.stdout.trim() || '{}'),
    { rows: ['unknown unreadable'], unknown: 1 },
    run.stderr,
  );
});
