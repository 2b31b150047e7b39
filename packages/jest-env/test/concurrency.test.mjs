// Two Jest runs at once on one host (--shard=1/2 and --shard=2/2, one on Jest 30 and one on Jest 29,
// then the other way round), and a worker SIGKILLed while it holds its ports.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import {
  aliveLeases,
  leftovers,
  readRecords,
  recordsIn,
  reserveRange,
  runJest,
  tempDir,
  VERSIONS,
} from './helpers.mjs';

for (const [first, second] of [
  [30, 29],
  [29, 30],
]) {
  test(`concurrent shards (1/2 on Jest ${first}, 2/2 on Jest ${second}) never share a port`, async () => {
    // 8 files (4 per shard, 4 workers each) x 2 ports, all held at once (a barrier across both runs)
    // in a range of 20: runs that did not coordinate would collide.
    const range = await reserveRange(20);
    const lockDir = tempDir();
    const out = join(tempDir(), 'out');
    const env = {
      PL_OUT: out,
      PL_BARRIER: '8',
      PL_ENV_OPTIONS: JSON.stringify({ portlease: { count: 2, range } }),
    };
    const runs = await Promise.all([
      runJest(first, 'ports', { lockDir, env, args: ['--maxWorkers=4', '--shard=1/2'] }),
      runJest(second, 'ports', { lockDir, env, args: ['--maxWorkers=4', '--shard=2/2'] }),
    ]);
    for (const run of runs) {
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /Tests:\s+4 passed, 4 total/);
    }
    const records = readRecords(out);
    assert.equal(records.length, 8);
    assert.deepEqual(
      records.map((r) => r.file).sort(),
      ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((f) => `${f}.test.cjs`),
    );
    assert.equal(new Set(records.map((r) => r.pid)).size, 8, 'eight worker processes');
    const all = records.flatMap((r) => r.ports);
    assert.equal(new Set(all).size, 16, `duplicate ports among files held at once: ${all}`);
    assert.ok(all.every((p) => p >= range[0] && p <= range[1]));
    assert.deepEqual(recordsIn(lockDir), []);
  });
}

for (const version of VERSIONS) {
  test(`Jest ${version}: a worker SIGKILLed while holding ports leaks nothing`, async () => {
    const lockDir = tempDir();
    const marker = join(tempDir(), 'killed.json');
    const run = await runJest(version, 'kill', {
      lockDir,
      args: ['--maxWorkers=2'],
      env: { PL_KILL_MARKER: marker },
    });
    // The killed file fails; the others pass on the remaining and restarted workers.
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /terminated by another process: signal=SIGKILL/);
    assert.match(run.output, /Tests:\s+3 passed, 3 total/);
    const killed = JSON.parse(readFileSync(marker, 'utf8'));
    assert.notEqual(killed.pid, run.pid, 'a worker died, not Jest');
    assert.equal(killed.ports.length, 2);
    // Its records may remain, but as provably dead (reclaimable) ones; nobody alive holds anything.
    assert.deepEqual(await aliveLeases(lockDir), []);
    const left = leftovers(lockDir).filter((l) => l.kind === 'port' || l.kind === 'record');
    for (const entry of left) {
      const port = basename(entry.kind === 'port' ? entry.path : dirname(entry.path));
      assert.ok(
        killed.ports.some((p) => String(p) === port),
        `only the killed worker's records may remain: ${entry.path}`,
      );
    }
  });
}
