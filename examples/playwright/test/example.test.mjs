// Runs this example's suite through the real Playwright CLI (Chromium, 4 workers) and checks that it
// passes, that every worker had its own server port, and that the run returned every lease.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { core, rangeText, reserveRange, runProcess, tempDir } from '@portlease/test-harness';

const example = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The example's own Playwright CLI. */
const playwrightCli = createRequire(join(example, 'package.json')).resolve('@playwright/test/cli');

test('the example suite passes in Chromium with 4 workers', { timeout: 180_000 }, async () => {
  const lockDir = tempDir();
  const out = tempDir();
  const range = await reserveRange(20);
  const report = join(out, 'report.json');
  const { code, output } = await runProcess(
    process.execPath,
    [playwrightCli, 'test', '--reporter=line,json'],
    {
      cwd: example,
      env: {
        ...process.env,
        CI: '1',
        FORCE_COLOR: '0',
        PORTLEASE_DIR: lockDir,
        PORTLEASE_RANGE: rangeText(range),
        OUTPUT_DIR: join(out, 'results'),
        PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      },
    },
  );
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
  for (const port of portOf.values()) assert.ok(port >= range[0] && port <= range[1]);

  assert.deepEqual(await core.listLeases({ lockDir }), []);
});
