// Global setup and teardown: suite-wide ports and a real suite-wide server leased and started in
// Jest's parent process, handed to the workers (and in band to the same process), stopped and
// released at global teardown; readable failures. Jest 30 and Jest 29.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  isAlive,
  leftovers,
  packageDir,
  readRecords,
  recordsIn,
  runJest,
  tempDir,
  VERSIONS,
} from './helpers.mjs';

const require = createRequire(import.meta.url);

function checkRecords(records, count) {
  assert.equal(records.length, count);
  const [first] = records;
  for (const r of records) {
    assert.equal(r.db, first.db, 'every file sees the same suite-wide ports');
    assert.equal(r.api, first.api);
    assert.equal(r.server.pid, first.server.pid, 'one suite-wide server');
    assert.ok(![r.db, r.api].includes(r.port), 'per-file ports differ from suite-wide ones');
  }
  assert.notEqual(first.db, first.api);
  return first;
}

for (const version of VERSIONS) {
  describe(`Jest ${version}`, () => {
    for (const mode of ['workers', 'in band']) {
      test(`${mode}: files reach the suite-wide server; teardown stops it and releases everything`, async () => {
        const lockDir = tempDir();
        const out = join(tempDir(), 'out');
        const pids = join(tempDir(), 'server-pids');
        const run = await runJest(version, 'global', {
          lockDir,
          args: mode === 'workers' ? ['--maxWorkers=2'] : ['--runInBand'],
          env: { PL_OUT: out, PL_SERVER_PIDS: pids },
        });
        assert.equal(run.code, 0, run.output);
        const records = readRecords(out);
        const first = checkRecords(records, 3);
        if (mode === 'in band') assert.ok(records.every((r) => r.pid === run.pid));
        else assert.ok(records.every((r) => r.pid !== run.pid));
        const serverPids = readFileSync(pids, 'utf8').trim().split('\n').map(Number);
        assert.deepEqual(serverPids, [first.server.pid], 'started once, in the parent');
        assert.equal(isAlive(first.server.pid), false, 'global teardown stopped the server');
        assert.deepEqual(recordsIn(lockDir), []);
      });
    }

    test('a server that exits during global setup: Jest shows why, nothing is left', async () => {
      const lockDir = tempDir();
      const crash = {
        servers: { api: { command: ['node', '-e', 'console.error("boom: no database"); process.exit(3)'] } },
        names: ['db'],
      };
      const run = await runJest(version, 'global', {
        lockDir,
        env: { PL_GLOBAL_OPTIONS: JSON.stringify(crash) },
      });
      assert.equal(run.code, 1, run.output);
      assert.match(
        run.output,
        /\[SERVER_EXITED\] @portlease\/jest global setup: Server "api" exited with code 3 before it accepted connections/,
      );
      assert.match(run.output, /boom: no database/);
      assert.deepEqual(recordsIn(lockDir), []);
    });
  });
}

test('global setup without global options says what to add', async () => {
  const lockDir = tempDir();
  const run = await runJest(30, 'global', { lockDir, env: { PL_GLOBAL_OPTIONS: 'none' } });
  assert.equal(run.code, 1, run.output);
  assert.match(
    run.output,
    /\[INVALID_OPTIONS\] testEnvironmentOptions\.portlease\.global is not set, and globalSetup '@portlease\/jest\/global-setup' needs it: say what to lease, e\.g\./,
  );
  assert.deepEqual(recordsIn(lockDir), []);
});

test('a misspelt server option fails global setup naming it and the closest key', async () => {
  const lockDir = tempDir();
  const typo = { servers: { api: { command: ['node', 'server.cjs'], readytimeout: 1000 } } };
  const run = await runJest(30, 'global', { lockDir, env: { PL_GLOBAL_OPTIONS: JSON.stringify(typo) } });
  assert.equal(run.code, 1, run.output);
  assert.match(
    run.output,
    /\[INVALID_OPTIONS\] testEnvironmentOptions\.portlease\.global\.servers\.api has no option "readytimeout" \(did you mean "readyTimeout"\?\)/,
  );
  assert.deepEqual(recordsIn(lockDir), []);
});

test('servers given as a list fails global setup saying it must map names to options', async () => {
  const lockDir = tempDir();
  const list = { servers: [{ command: ['node', 'server.cjs'] }] };
  const run = await runJest(30, 'global', { lockDir, env: { PL_GLOBAL_OPTIONS: JSON.stringify(list) } });
  assert.equal(run.code, 1, run.output);
  assert.match(
    run.output,
    /\[INVALID_OPTIONS\] testEnvironmentOptions\.portlease\.global\.servers must map names to startServer options/,
  );
  assert.deepEqual(recordsIn(lockDir), []);
});

test("owner labels carry the shard and the names, as Playwright's do", async () => {
  const lockDir = tempDir();
  const out = join(tempDir(), 'out');
  const run = await runJest(30, 'global', {
    lockDir,
    args: ['--runInBand', '--shard=1/2'],
    env: { PL_OUT: out, PL_SERVER_PIDS: join(tempDir(), 'server-pids'), PL_RECORD_OWNERS: '1' },
  });
  assert.equal(run.code, 0, run.output);
  const records = readRecords(out);
  assert.ok(records.length >= 1, run.output);
  const owners = records[0].owners.sort();
  assert.ok(owners.includes('jest global setup names=db shard=1/2'), owners.join('\n'));
  assert.ok(owners.includes('jest global server=api shard=1/2'), owners.join('\n'));
  assert.ok(
    owners.some((owner) => /^jest \w+\.test\.cjs \[worker 1\] shard=1\/2$/.test(owner)),
    owners.join('\n'),
  );
  assert.deepEqual(recordsIn(lockDir), []);
});

test('under another environment globalUrl() still works and port() says what is missing', async () => {
  const lockDir = tempDir();
  const run = await runJest(30, 'global', {
    lockDir,
    args: ['--testEnvironment=node', '/one\\.test\\.cjs$'],
  });
  assert.equal(run.code, 1, run.output);
  // The first line of the test (fetch from globalUrl('api'), globalPort) passed; port() is what threw.
  assert.match(
    run.output,
    /PortleaseError: \[INVALID_OPTIONS\] port\(\): no leased ports, this test file does not run in the portlease environment\. Set testEnvironment: '@portlease\/jest'/,
  );
  assert.deepEqual(recordsIn(lockDir), []);
});

test('ESM setup and CJS teardown share their state; in-process servers; env restored', async () => {
  const lockDir = tempDir();
  const setup = await import(join(packageDir, 'dist', 'global-setup.js'));
  const teardown = require(join(packageDir, 'dist', 'global-teardown.cjs'));
  process.env.PORTLEASE_JEST_GLOBAL = 'previous';
  const hook = setup.createGlobalSetup((project) => ({
    lockDir,
    names: ['db', 'cache'],
    servers: {
      web: { start: (port) => http.createServer((_req, res) => res.end(project.rootDir)).listen(port) },
    },
  }));
  await hook({}, { rootDir: '/the/root' });
  const info = JSON.parse(process.env.PORTLEASE_JEST_GLOBAL);
  assert.deepEqual(Object.keys(info.named).sort(), ['cache', 'db', 'web']);
  assert.equal(info.ports.length, 3);
  assert.equal(new Set(info.ports).size, 3);
  const body = await (await fetch(info.urls.web)).text();
  assert.equal(body, '/the/root');
  assert.equal(leftovers(lockDir).filter((l) => l.kind === 'record' || l.kind === 'staged').length, 3);

  await teardown.default();
  assert.equal(process.env.PORTLEASE_JEST_GLOBAL, 'previous');
  assert.deepEqual(recordsIn(lockDir), []);
  await assert.rejects(fetch(info.urls.web), 'the in-process server was closed');
  await teardown.releaseGlobalPorts(); // nothing held: a no-op
  delete process.env.PORTLEASE_JEST_GLOBAL;
});
