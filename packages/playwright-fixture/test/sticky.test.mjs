// Sticky ports on the real runner with two workers, each run in a temp copy of ./fixtures/sticky (a
// project of its own: the default sticky scope is the nearest package.json directory): a second run
// of the same project gets the same run ports and the same serverPort per parallelIndex; another
// project directory gets others; a concurrent holder of a preferred port (a lease in the same lock
// directory, or a plain listener) forces another port and the run still passes; once it is gone the
// preferred port comes back.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as harness from '@portlease/test-harness';
import { core, fixture, rangeText, records, reserveRange, runPlaywright, tempDir } from './helpers.mjs';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/** A copy of the fixture project in a fresh temp directory, resolving the packages it imports. */
function copy() {
  const dir = tempDir('pl-pw-sticky-');
  cpSync(fixture('sticky'), dir, { recursive: true });
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@playwright'), { recursive: true });
  mkdirSync(join(modules, '@portlease'), { recursive: true });
  symlinkSync(
    dirname(require.resolve('@playwright/test/package.json')),
    join(modules, '@playwright', 'test'),
  );
  symlinkSync(realpathSync(pkgDir), join(modules, '@portlease', 'playwright'));
  symlinkSync(realpathSync(join(pkgDir, 'node_modules', 'portlease')), join(modules, 'portlease'));
  return dir;
}

const lockDir = tempDir();
// Wide enough for the names of two projects to find distinct ports quickly (see project()).
const [rangeMin, rangeMax] = await reserveRange(300);
const range = { min: rangeMin, max: rangeMax, env: rangeText([rangeMin, rangeMax]) };

/** The sticky names of the fixture project (`api` only with FIXTURE_SYNC). */
const NAMES = ['web', 'serverPort.0', 'serverPort.1', 'api'];

const RANGE = [range.min, range.max];
/** The port a sticky name of the project `scope` prefers with no memo (docs/protocol.md, "Sticky memos"). */
const derivedPort = (name, scope) => harness.derivedPort(name, scope, RANGE);
/** Whether the project `scope`'s names prefer distinct, safe ports, none of them among `taken`. */
const distinct = (scope, taken = []) => harness.derivesDistinctPorts(NAMES, scope, RANGE, taken);
/** A project copy whose names prefer distinct ports (none among `taken`). */
const project = (taken = []) => harness.projectWithDistinctPorts(copy, NAMES, RANGE, taken);

/** One run of the project at `dir`: its ports by role, after asserting it passed. */
async function run(dir, env = {}) {
  const out = tempDir();
  const { code, output } = await runPlaywright(dir, [], {
    ...env,
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: range.env,
    FIXTURE_OUT: out,
    FIXTURE_OUTPUT_DIR: join(tempDir(), 'results'),
  });
  assert.equal(code, 0, output);
  const byIndex = records(out).sort((a, b) => a.parallelIndex - b.parallelIndex);
  assert.deepEqual(
    byIndex.map((r) => r.parallelIndex),
    [0, 1],
    output,
  );
  for (const r of byIndex) {
    assert.deepEqual(r.sticky, {
      server: `serverPort.${r.parallelIndex}`,
      web: 'web',
      api: env.FIXTURE_SYNC ? 'api' : null,
    });
  }
  const [first, second] = byIndex;
  assert.equal(first.web, second.web);
  assert.equal(first.api, second.api);
  const ports = { web: first.web, server0: first.serverPort, server1: second.serverPort };
  return env.FIXTURE_SYNC ? { ...ports, api: first.api } : ports;
}

test('sticky run ports and serverPorts: the same per project, another per project, a preference only', {
  timeout: 600_000,
}, async () => {
  const a = project();
  const first = await run(a);
  const scope = realpathSync(a);
  assert.deepEqual(
    first,
    {
      web: derivedPort('web', scope),
      server0: derivedPort('serverPort.0', scope),
      server1: derivedPort('serverPort.1', scope),
    },
    'with no memo, each name gets the port derived from it and the project directory',
  );

  assert.deepEqual(await run(a), first, 'a second run of the same project gets the same ports');

  const other = await run(project(Object.values(first)));
  for (const name of Object.keys(first))
    assert.notEqual(other[name], first[name], `another project: ${name}`);

  // A concurrent holder of web's port (in the same lock directory) and a plain listener on worker 0's.
  const holder = await core.leasePort({ lockDir, range: [first.web, first.web], owner: 'holder' });
  const listener = createServer();
  await new Promise((resolve, reject) => listener.once('error', reject).listen(first.server0, resolve));
  try {
    const forced = await run(a);
    assert.notEqual(forced.web, first.web);
    assert.notEqual(forced.server0, first.server0);
  } finally {
    await holder.release();
    await new Promise((resolve) => listener.close(resolve));
  }

  assert.deepEqual(await run(a), first, 'the preferred ports come back once free');
  assert.deepEqual(
    (await core.listLeases({ lockDir })).filter((lease) => lease.status === 'alive'),
    [],
    'every lease released',
  );

  // One stickyScope given in the options: two directories are one project and share the ports.
  let n = 0;
  while (!distinct(`pw-sticky-${process.pid}-${n}`)) n++;
  const shared = { FIXTURE_SCOPE: `pw-sticky-${process.pid}-${n}` };
  assert.deepEqual(await run(project(), shared), await run(project(), shared), 'one stickyScope');
});

test('leaseRunPortSync({ sticky: true }): through portlease get --sticky, the same port next run', {
  timeout: 300_000,
}, async () => {
  const dir = project();
  const sync = { FIXTURE_SYNC: '1' };
  const first = await run(dir, sync);
  assert.equal(first.api, derivedPort('api', realpathSync(dir)), 'the CLI derives it from the same key');
  assert.deepEqual(await run(dir, sync), first);
});

test('a sharded run keys serverPort per shard: serverPort.<parallelIndex>.shard<current>', {
  timeout: 300_000,
}, async () => {
  // One of the two tests runs in shard 2 of 2, in one worker; its record names its sticky key.
  const out = tempDir();
  const { code, output } = await runPlaywright(project(), ['--shard=2/2'], {
    PORTLEASE_DIR: tempDir(),
    PORTLEASE_RANGE: range.env,
    FIXTURE_OUT: out,
    FIXTURE_RECORDS: '1',
    FIXTURE_OUTPUT_DIR: join(tempDir(), 'results'),
  });
  assert.equal(code, 0, output);
  const [record] = records(out);
  assert.equal(record.sticky.server, `serverPort.${record.parallelIndex}.shard2`);
});
