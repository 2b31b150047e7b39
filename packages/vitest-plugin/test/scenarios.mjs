// Real Vitest runs on the fixture projects and what each must show; shared by the Vitest 4 and 5 tests.
import assert from 'node:assert/strict';
import {
  describeRun,
  heldPorts,
  leftovers,
  makeProject,
  readRecords,
  runVitest,
  testEnv,
} from './helpers.mjs';

const FILES = ['one.spec.mjs', 'three.spec.mjs', 'two.spec.mjs'];
const inRange = ([min, max], port) => Number.isInteger(port) && port >= min && port <= max;
const ownerOf = (token) => token.split('-')[0];

function assertVersion(run, version) {
  const banner = version === 'v5' ? /\b(RUN|DEV)\s+v5\./ : /\b(RUN|DEV)\s+v4\./;
  assert.match(run.output, banner, `expected Vitest ${version}: ${describeRun(run)}`);
}

/** Starts the `ports` fixture (3 files, 3 workers) in its own project dir; resolves to the run. */
function runPorts(version, pool, env, group, barrier) {
  const dir = makeProject('ports', version);
  return runVitest(dir, ['run', `--pool=${pool}`, '--maxWorkers=3'], {
    version,
    env: {
      PL_RANGE: JSON.stringify(env.range),
      PL_LOCK_DIR: env.lockDir,
      PL_OUT_DIR: env.outDir,
      PL_BARRIER: String(barrier),
      PL_GROUP: group,
    },
  });
}

/**
 * Every port held at the barrier differs from every other, run-wide ones included; every one is from
 * the plugin's range (the workers learnt it from the plugin: the environment has none).
 */
function assertUnique(records, runWide, range) {
  const held = [...runWide, ...records.flatMap(heldPorts)];
  for (const port of held) assert.ok(inRange(range, port), `${port} outside the plugin's range ${range}`);
  assert.equal(new Set(held).size, held.length, `ports held at once must differ: ${held.join(', ')}`);
}

/** One run with 3 workers of the given pool: provided values, uniqueness, ownership, release. */
export async function checkPortsRun(version, pool) {
  const env = await testEnv();
  const run = await runPorts(version, pool, env, 'solo', FILES.length);
  assert.equal(run.code, 0, describeRun(run));
  assertVersion(run, version);
  const records = readRecords(env.outDir).sort((a, b) => a.file.localeCompare(b.file));
  assert.deepEqual(
    records.map((r) => r.file),
    FILES,
  );
  const { provided } = records[0];
  assert.deepEqual(Object.keys(provided).sort(), ['api', 'web']);
  for (const record of records) {
    assert.deepEqual(record.provided, provided, 'every file gets the same run-wide ports');
    assert.deepEqual(record.providedOptions.range, env.range);
    assert.deepEqual(record.leaseOptions, { range: env.range, lockDir: env.lockDir });
    if (version === 'v5') assert.ok(Number(record.node.slice(1).split('.')[0]) >= 22, record.node);
    // The lock directory held the file's own ports and the run-wide ones, owned by the right process.
    const byPort = new Map(record.leases.map((lease) => [lease.port, lease]));
    for (const port of [...heldPorts(record), provided.api, provided.web]) {
      assert.equal(byPort.get(port)?.status, 'alive', `no live record for ${port} in ${record.file}`);
    }
    for (const port of heldPorts(record)) assert.equal(byPort.get(port).pid, record.pid);
    const runWide = byPort.get(provided.api);
    assert.equal(runWide.owner, 'fixture solo api');
    // Run-wide ports belong to Vitest's main process (the threads' process too, but another owner).
    if (pool === 'forks') assert.notEqual(runWide.pid, record.pid);
    assert.notEqual(ownerOf(runWide.token), ownerOf(byPort.get(record.port).token));
  }
  assertUnique(records, [provided.api, provided.web], env.range);
  const workers = new Set(records.map((r) => `${r.pid}/${r.threadId}`));
  assert.equal(workers.size, FILES.length, 'three distinct workers ran at once');
  if (pool === 'threads') {
    // Threads share the pid; each thread owns its leases (its own liveness socket), not the pid.
    assert.equal(new Set(records.map((r) => r.pid)).size, 1);
    const owners = records.map((r) => ownerOf(r.leases.find((l) => l.port === r.port).token));
    const mainOwner = ownerOf(records[0].leases.find((l) => l.port === provided.api).token);
    assert.equal(new Set([...owners, mainOwner]).size, FILES.length + 1, 'one owner id per thread');
  }
  assert.deepEqual(await leftovers(env.lockDir), [], 'no lease records left after the run');
}

/** Two Vitest processes (two packages of a monorepo) at once on one lock directory. */
export async function checkTwoProcesses(version) {
  const env = await testEnv();
  const barrier = FILES.length * 2;
  const runs = await Promise.all([
    runPorts(version, 'forks', env, 'pkg-a', barrier),
    runPorts(version, 'threads', env, 'pkg-b', barrier),
  ]);
  for (const run of runs) assert.equal(run.code, 0, describeRun(run));
  const records = readRecords(env.outDir);
  assert.equal(records.length, barrier);
  const runWide = ['pkg-a', 'pkg-b'].map((group) => records.find((r) => r.group === group).provided);
  for (const record of records) {
    assert.deepEqual(record.provided, runWide[record.group === 'pkg-a' ? 0 : 1]);
  }
  assertUnique(
    records,
    runWide.flatMap((p) => [p.api, p.web]),
    env.range,
  );
  assert.deepEqual(await leftovers(env.lockDir), []);
}

/**
 * The plugin cannot lease its ports (two names, a one-port range): Vitest fails to start, showing the
 * PortleaseError, which never names the run's own first port as a holder.
 */
export async function checkExhausted(version) {
  const env = await testEnv(1);
  const run = await runPorts(version, 'forks', { ...env, range: [env.range[0], env.range[0]] }, 'x', 3);
  assert.notEqual(run.code, 0, describeRun(run));
  assert.match(
    run.output,
    /PortleaseError: \[RANGE_EXHAUSTED\] portlease\(\) in vitest\.config could not lease the run-wide ports api, web: /,
  );
  assert.match(run.output, /code: 'RANGE_EXHAUSTED'/);
  // The run's own first port is not another holder (issue 14.3): nothing else holds the range.
  assert.doesNotMatch(run.output, /fixture x api/, describeRun(run));
  assert.doesNotMatch(run.output, /\[RANGE_EXHAUSTED\][^\n]*\[RANGE_EXHAUSTED\]/, 'the code is said once');
  assert.deepEqual(readRecords(env.outDir), [], 'no test ran');
  assert.deepEqual(await leftovers(env.lockDir), [], 'the port taken before the failure was released');
  return run;
}

/** {@link checkExhausted}, and the message counts the ports: 2 asked of a range holding 1. */
export async function checkExhaustedCount(version) {
  const run = await checkExhausted(version);
  assert.match(run.output, /\b2 ports were asked of range \d+-\d+, which holds 1\b/, describeRun(run));
}

/** A new file reuses the pool id while the previous worker still stops and holds its port. */
export async function checkPoolIdReuse(version, pool) {
  const env = await testEnv(8);
  const dir = makeProject('reuse', version);
  const run = await runVitest(dir, ['run', `--pool=${pool}`], {
    version,
    env: { PL_RANGE: JSON.stringify(env.range), PL_LOCK_DIR: env.lockDir, PL_OUT_DIR: env.outDir },
  });
  assert.equal(run.code, 0, describeRun(run));
  const records = readRecords(env.outDir);
  assert.equal(records.length, 2);
  const second = records.find((r) => r.first);
  assert.ok(second, `one file ran after the other: ${JSON.stringify(records)}`);
  const { first } = second;
  assert.equal(second.poolId, first.poolId, 'the second file got the same pool id');
  assert.notDeepEqual([second.pid, second.threadId], [first.pid, first.threadId], 'in a new worker');
  assert.equal(first.stillStopping, true, 'while the first worker was still stopping');
  assert.equal(first.recordStatus, 'alive', "and still held its port's lease");
  assert.notEqual(second.port, first.port, 'so it got another port');
  assert.deepEqual(await leftovers(env.lockDir), []);
}

/** Threads share a pid: a terminated thread's leaked lease is reclaimed while the process lives. */
export async function checkThreadOwnership(version) {
  const env = await testEnv(2);
  const dir = makeProject('thread-owner', version);
  const run = await runVitest(dir, ['run'], {
    version,
    env: {
      PL_RANGE: JSON.stringify(env.range),
      PL_ONLY_PORT: String(env.range[0]),
      PL_LOCK_DIR: env.lockDir,
      PL_OUT_DIR: env.outDir,
    },
  });
  assert.equal(run.code, 0, describeRun(run));
  const second = readRecords(env.outDir).find((r) => r.first);
  assert.ok(second, describeRun(run));
  assert.equal(second.pid, second.first.pid, 'same process');
  assert.notEqual(second.threadId, second.first.threadId, 'another thread');
  assert.equal(second.first.leaked, env.range[0]);
  assert.equal(second.lastStatus, 'stale', "the dead thread's lease was judged dead though its pid lives");
  assert.equal(second.got, env.range[0], 'and its port was handed out again');
  assert.deepEqual(await leftovers(env.lockDir), []);
}

/** The global-setup module, configured by test.provide and PORTLEASE_PORTS. */
export async function checkGlobalSetup(version) {
  const env = await testEnv(6);
  const dir = makeProject('global-setup', version);
  const run = await runVitest(dir, ['run'], {
    version,
    env: {
      PL_RANGE: JSON.stringify(env.range),
      PL_LOCK_DIR: env.lockDir,
      PL_OUT_DIR: env.outDir,
      PORTLEASE_PORTS: 'db, cache',
    },
  });
  assert.equal(run.code, 0, describeRun(run));
  const [record] = readRecords(env.outDir);
  assert.deepEqual(Object.keys(record.ports).sort(), ['cache', 'db']);
  assert.deepEqual(record.byName, [record.ports.db, record.ports.cache]);
  assert.deepEqual(record.leaseOptions, { range: env.range, lockDir: env.lockDir });
  const held = new Map(record.held.map((h) => [h.port, h]));
  assert.match(held.get(record.ports.db).owner, / db$/);
  assert.equal(held.get(record.port).status, 'alive');
  assertUnique([{ port: record.port, extra: record.ports.db, server: record.ports.cache }], [], env.range);
  assert.equal(record.missing.code, 'INVALID_OPTIONS');
  assert.match(record.missing.message, /No run-wide port named "nope".*provided: db, cache/);
  assert.deepEqual(await leftovers(env.lockDir), []);
}

/** Watch mode through the Node API: a rerun sees the same run-wide ports; close releases them. */
export async function checkWatch(version) {
  const env = await testEnv(6);
  const dir = makeProject('watch', version);
  const run = await runVitest(dir, [], {
    version,
    script: 'driver.mjs',
    env: { PL_RANGE: JSON.stringify(env.range), PL_LOCK_DIR: env.lockDir, PL_OUT_DIR: env.outDir },
  });
  assert.equal(run.code, 0, describeRun(run));
  assertVersion(run, version);
  const line = run.output.split('\n').find((l) => l.startsWith('{"driverPid"'));
  assert.ok(line, describeRun(run));
  const result = JSON.parse(line);
  assert.equal(result.watchMode, true);
  assert.deepEqual(result.runs, [
    { ok: true, records: 1 },
    { ok: true, records: 2 },
  ]);
  const [a, b] = result.records;
  assert.notEqual(a.pid, b.pid, 'two runs, two workers');
  assert.deepEqual(a.ports, b.ports, 'the rerun got the same run-wide ports');
  // Vitest stops each run's workers in the background; a worker holds its worker-scoped port until
  // it stops. The driver lists the leases once both workers have exited (a worker never exiting
  // while Vitest watches would fail here).
  assert.deepEqual(result.workersLeft, [], 'the workers of both runs stopped while Vitest kept watching');
  const runWide = [a.ports.api, a.ports.web].sort();
  assert.deepEqual(
    result.watching.map((l) => [l.port, l.pid, l.status]).sort(),
    runWide.map((port) => [port, result.driverPid, 'alive']),
    'while watching, with the workers gone, only the run-wide leases are left, held by the Vitest process',
  );
  assert.deepEqual(result.closed, [], 'vitest.close() released them, the process still running');
  assert.deepEqual(await leftovers(env.lockDir), []);
}

/** test.projects: projects inheriting the root plugin share its ports; a project's own plugin has its own. */
export async function checkProjects(version) {
  const env = await testEnv(6);
  const dir = makeProject('projects', version);
  const run = await runVitest(dir, ['run'], {
    version,
    env: { PL_RANGE: JSON.stringify(env.range), PL_LOCK_DIR: env.lockDir, PL_OUT_DIR: env.outDir },
  });
  assert.equal(run.code, 0, describeRun(run));
  const byProject = Object.fromEntries(readRecords(env.outDir).map((r) => [r.project, r.ports.api]));
  assert.deepEqual(Object.keys(byProject).sort(), ['alpha', 'beta', 'gamma']);
  for (const port of Object.values(byProject)) assert.ok(inRange(env.range, port), `${port}`);
  assert.equal(byProject.alpha, byProject.beta, 'projects extending the root share its lease');
  assert.notEqual(byProject.gamma, byProject.alpha, "a project's own plugin leases its own port");
  assert.deepEqual(await leftovers(env.lockDir), []);
}
