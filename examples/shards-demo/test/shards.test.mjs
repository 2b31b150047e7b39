// Runs the shards demo as `npm run demo` does and checks its verdict: the common `base + parallelIndex`
// fails across 3 concurrent shards, portlease passes in all of them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { core, rangeText, reserveRange, tempDir } from '@portlease/test-harness';

const demo = join(dirname(fileURLToPath(import.meta.url)), '..', 'run.mjs');

test('the shards demo shows base + parallelIndex colliding and portlease passing', {
  timeout: 180_000,
}, async () => {
  const lockDir = tempDir();
  const range = await reserveRange(40);
  const result = spawnSync(process.execPath, [demo], {
    encoding: 'utf8',
    env: { ...process.env, PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: rangeText(range), CI: '1' },
  });
  const output = result.stdout + result.stderr;
  assert.equal(result.status, 0, output);
  assert.match(output, /The common way: server port = \d+ \+ parallelIndex in every shard/);
  assert.match(
    output,
    /ok: portlease passed in all 3 shards with \d+ distinct ports; ok: base \+ parallelIndex failed in [123] of 3 shards/,
  );
  // Every port of the table came from the reserved range, and nothing is left leased.
  for (const port of output.matchAll(/\b(\d{5})(?= (?:ok|FAILED))/g)) {
    const number = Number(port[1]);
    assert.ok(number >= range[0] && number <= range[1], `${number} outside ${rangeText(range)}`);
  }
  assert.deepEqual(await core.listLeases({ lockDir }), []);
});
