// Sticky ports with the real Jest CLI (30 and 29) and two workers, each run in a temp copy of
// ./fixtures/sticky (a project of its own: the default sticky scope is its package.json directory):
// a second run of the same project gets the same per-file and suite-wide sticky ports; another
// project directory gets others; a concurrent holder of a preferred port forces another and the run
// still passes; once it is gone the preferred port comes back.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import * as harness from '@portlease/test-harness';
import { leasePort, listLeases } from 'portlease';
import { here, JEST, packageDir, readRecords, reserveRange, tempDir, VERSIONS } from './helpers.mjs';

/** A copy of the fixture project in a fresh temp directory, resolving the packages it imports. */
function copy() {
  const dir = tempDir('pl-jest-sticky-');
  cpSync(join(here, 'fixtures', 'sticky'), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules', '@portlease'), { recursive: true });
  symlinkSync(realpathSync(packageDir), join(dir, 'node_modules', '@portlease', 'jest'));
  symlinkSync(
    realpathSync(join(packageDir, 'node_modules', 'portlease')),
    join(dir, 'node_modules', 'portlease'),
  );
  return dir;
}

// Wide, so that the few sticky names of two projects are unlikely to derive the same port.
const [min, max] = await reserveRange(300);

/** Runs Jest `version` in the project `dir`; resolves with its exit code and output. */
function jest(version, dir, env) {
  const childEnv = { ...process.env, PL_CACHE_DIR: tempDir('pl-jest-cache-'), ...env };
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [JEST[version], '--ci', '--config', 'jest.config.cjs'], {
    cwd: dir,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
  }
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const NAMES = ['one.test.cjs:api', 'two.test.cjs:api', 'db', 'web'];

const RANGE = [min, max];
/** The port a sticky name of the project `scope` prefers with no memo (docs/protocol.md, "Sticky memos"). */
const derivedPort = (name, scope) => harness.derivedPort(name, scope, RANGE);
/** Whether the project `scope`'s names prefer distinct, safe ports, none of them among `taken`. */
const distinct = (scope, taken = []) => harness.derivesDistinctPorts(NAMES, scope, RANGE, taken);
/** A project copy whose names prefer distinct ports (none among `taken`). */
const project = (taken = []) => harness.projectWithDistinctPorts(copy, NAMES, RANGE, taken);

/** One run of the project at `dir`: its sticky ports, after asserting the run passed. */
async function run(version, dir, lockDir, env = {}) {
  const out = tempDir('pl-jest-out-');
  const { code, output } = await jest(version, dir, {
    ...env,
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: `${min}-${max}`,
    PL_OUT: out,
  });
  assert.equal(code, 0, output);
  const byName = Object.fromEntries(readRecords(out).map((r) => [r.name, r]));
  assert.deepEqual(Object.keys(byName).sort(), ['one', 'two'], output);
  for (const [name, record] of Object.entries(byName)) {
    assert.deepEqual(record.sticky, { api: `${name}.test.cjs:api`, db: 'db', web: 'web' });
  }
  const { one, two } = byName;
  assert.deepEqual([one.ports.db, one.ports.web], [two.ports.db, two.ports.web]);
  return { apiOne: one.ports.api, apiTwo: two.ports.api, db: one.ports.db, web: one.ports.web };
}

for (const version of VERSIONS) {
  describe(`Jest ${version}`, () => {
    test('sticky names: the same per project, others per project, a preference only', {
      timeout: 600_000,
    }, async () => {
      const lockDir = tempDir();
      const a = project();
      const first = await run(version, a, lockDir);
      const scope = realpathSync(a);
      assert.deepEqual(
        first,
        {
          apiOne: derivedPort('one.test.cjs:api', scope),
          apiTwo: derivedPort('two.test.cjs:api', scope),
          db: derivedPort('db', scope),
          web: derivedPort('web', scope),
        },
        'with no memo, each name gets the port derived from it and the project directory',
      );
      assert.deepEqual(await run(version, a, lockDir), first, 'a second run of the same project');

      const other = await run(version, project(Object.values(first)), lockDir);
      for (const name of Object.keys(first))
        assert.notEqual(other[name], first[name], `another project: ${name}`);

      // db's port held in the same lock directory, file one's api port bound by a plain listener.
      const holder = await leasePort({ lockDir, range: [first.db, first.db], owner: 'holder' });
      const listener = createServer();
      await new Promise((resolve, reject) => listener.once('error', reject).listen(first.apiOne, resolve));
      try {
        const forced = await run(version, a, lockDir);
        assert.notEqual(forced.db, first.db);
        assert.notEqual(forced.apiOne, first.apiOne);
      } finally {
        await holder.release();
        await new Promise((resolve) => listener.close(resolve));
      }
      assert.deepEqual(await run(version, a, lockDir), first, 'the preferred ports come back once free');
      assert.deepEqual(
        (await listLeases({ lockDir })).filter((l) => l.status === 'alive'),
        [],
        'every lease released',
      );

      // One stickyScope in the environment and global options: two directories are one project.
      let n = 0;
      while (!distinct(`jest-sticky-${version}-${process.pid}-${n}`)) n++;
      const shared = { PL_SCOPE: `jest-sticky-${version}-${process.pid}-${n}` };
      assert.deepEqual(
        await run(version, copy(), lockDir, shared),
        await run(version, copy(), lockDir, shared),
        'one stickyScope',
      );
    });
  });
}
