// Runs this example's suite through the real Playwright CLI (Chromium, 4 workers) and checks that it
// passes, that every worker had its own server port, and that the run returned every lease.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  core,
  reserveRange,
  runPlaywright,
  tempDir,
} from '../../../packages/playwright-fixture/test/helpers.mjs';

const example = join(dirname(fileURLToPath(import.meta.url)), '..');

test('the example suite passes in Chromium with 4 workers', { timeout: 180_000 }, async () => {
  const lockDir = tempDir();
  const out = tempDir();
  const range = await reserveRange(20);
  const report = join(out, 'report.json');
  const { code, output } = await runPlaywright(example, ['--reporter=line,json'], {
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: range.env,
    OUTPUT_DIR: join(out, 'results'),
    PLAYWRIGHT_JSON_OUTPUT_NAME: report,
  });
  assert.equal(code, 0, output);
  assert.match(output, /Running 10 tests using 4 workers/);
  assert.match(output, /10 passed/);

  // The per-worker tests noted their worker's port: one port per worker, none shared.
  const portOf = new Map();
  const { suites } = JSON.parse(readFileSync(report, 'utf8'));
  for (const spec of suites.flatMap((suite) => suite.specs)) {
    for (const result of spec.tests.flatMap((t) => t.results)) {
      const port = result.annotations.find((a) => a.type === 'serverPort')?.description;
      if (port) portOf.set(result.workerIndex, Number(port));
    }
  }
  assert.equal(portOf.size, 4, `workers with a server: ${[...portOf.keys()]}`);
  assert.equal(new Set(portOf.values()).size, 4);
  for (const port of portOf.values()) assert.ok(port >= range.min && port <= range.max);

  assert.deepEqual(await core.listLeases({ lockDir }), []);
});
