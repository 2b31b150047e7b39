// The core part of `npm run demo` (demo/parallel.mjs) runs and shows what it claims: 8 processes,
// 40 distinct bound ports, and the SIGKILLed worker's ports leased again at once.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { here, runNode } from './helpers.mjs';

test('the parallel demo: 8 processes get 40 distinct ports; a SIGKILLed one’s are leased again at once', {
  timeout: 60_000,
}, async () => {
  const result = await runNode([join(here, '..', 'demo', 'parallel.mjs')]);
  assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /40 ports, 40 distinct/);
  const again = /leasing its range right after gave: ([\d ]+)/.exec(result.stdout);
  assert.ok(again, result.stdout);
  assert.equal(again[1].trim().split(' ').length, 5);
  assert.match(result.stdout, /PORT +STATUS/, 'portlease list ran');
});
