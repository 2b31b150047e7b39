// The check behind ports.test.mjs and peer-range.test.mjs: three concurrent shards of the `ports`
// fixture project, 4 workers each, sharing one lock directory. Every worker's server port, every
// test's extra port and every run-wide port must be distinct while all are held at once (the fixture
// tests wait for each other), every server must be the worker's own, and nothing may be left behind.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  core,
  eventually,
  isAlive,
  rangeText,
  records,
  reserveRange,
  runPlaywright,
  serverPids,
  tempDir,
} from './helpers.mjs';

const SHARDS = 3;
const WORKERS = 4;

/**
 * Runs the `ports` project found in `projectDir` with the Playwright CLI `cli` (default: the installed
 * one) and asserts the above, and that the tests ran on `playwrightVersion` when given.
 */
export async function checkShardedPorts(projectDir, { cli, playwrightVersion } = {}) {
  const lockDir = tempDir();
  const out = tempDir();
  const pids = tempDir();
  const range = await reserveRange(60);
  const runs = [];
  for (let shard = 1; shard <= SHARDS; shard++) {
    const outputDir = join(out, `results-${shard}`);
    mkdirSync(outputDir);
    const env = {
      PORTLEASE_DIR: lockDir,
      PORTLEASE_RANGE: rangeText(range),
      FIXTURE_SHARD: String(shard),
      FIXTURE_WORKERS: String(WORKERS),
      FIXTURE_TOTAL_TESTS: String(SHARDS * WORKERS),
      FIXTURE_OUT: out,
      FIXTURE_PIDS: pids,
      FIXTURE_OUTPUT_DIR: outputDir,
    };
    runs.push(runPlaywright(projectDir, [`--shard=${shard}/${SHARDS}`], env, cli));
  }
  for (const [i, { code, output }] of (await Promise.all(runs)).entries()) {
    assert.equal(code, 0, `shard ${i + 1} failed:\n${output}`);
  }

  const recs = records(out);
  assert.equal(recs.length, SHARDS * WORKERS);
  if (playwrightVersion) for (const r of recs) assert.equal(r.playwrightVersion, playwrightVersion);
  // One test per worker: every shard used all of its workers.
  for (let shard = 1; shard <= SHARDS; shard++) {
    const indexes = recs.filter((r) => r.shard === String(shard)).map((r) => r.parallelIndex);
    assert.deepEqual([...indexes].sort(), [0, 1, 2, 3], `shard ${shard} parallel indexes`);
  }

  const runPorts = new Map();
  for (const r of recs) {
    for (const name of ['web', 'api']) {
      const key = `${r.shard}/${name}`;
      // Every worker of a shard saw the port its runner's main process leased.
      if (runPorts.has(key)) assert.equal(r[name], runPorts.get(key), key);
      runPorts.set(key, r[name]);
    }
  }
  const all = [...recs.flatMap((r) => [r.serverPort, r.extraPort]), ...runPorts.values()];
  assert.equal(new Set(all).size, all.length, `a port was handed out twice: ${all.join(' ')}`);
  for (const port of all)
    assert.ok(port >= range[0] && port <= range[1], `${port} outside ${rangeText(range)}`);

  for (const r of recs) {
    const worker = `playwright project=ports shard=${r.shard}/${SHARDS} worker=${r.parallelIndex}`;
    assert.equal(r.labels.server, worker);
    assert.equal(r.labels.extra, `${worker} test="${r.title}" extra`);
    assert.equal(r.labels.web, `playwright run port=web shard=${r.shard}/${SHARDS}`);
    assert.equal(r.labels.api, `playwright run port=api shard=${r.shard}/${SHARDS}`);
  }

  // Worker servers were stopped, not orphaned; every lease is gone (the sync helper's holder within
  // a second of its runner's exit).
  const started = serverPids(pids);
  assert.equal(started.length, SHARDS * WORKERS);
  assert.ok(await eventually(() => started.every((pid) => !isAlive(pid))), `server left running: ${started}`);
  assert.ok(
    await eventually(async () => (await core.listLeases({ lockDir })).length === 0),
    `lock records left: ${JSON.stringify(await core.listLeases({ lockDir }))}`,
  );
}
