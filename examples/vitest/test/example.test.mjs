// Runs the example through the real Vitest CLI: several workers in both pools, and two Vitest
// processes at once (the example and monorepo/billing), like two packages of a monorepo tested in
// parallel. Every holder logs the span it held a port for (EXAMPLE_PORT_LOG); no two spans of one port
// may overlap, and nothing may be left in the lock directory.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { rangeText, reserveRange, runProcess, tempDir } from '@portlease/test-harness';
import { listLeases } from 'portlease';

const example = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitestCli = join(example, 'node_modules', 'vitest', 'vitest.mjs');

/** `vitest run <args>` in `cwd`; resolves with its exit code and output. */
async function vitest(cwd, args, env) {
  const { code, output } = await runProcess(process.execPath, [vitestCli, 'run', ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
  });
  return { code, output };
}

async function setup() {
  const lockDir = tempDir('pl-example-lock-');
  const log = join(tempDir('pl-example-log-'), 'ports.jsonl');
  const env = {
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: rangeText(await reserveRange(60)),
    EXAMPLE_PORT_LOG: log,
  };
  return { lockDir, log, env };
}

function spans(log) {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
}

function assertNoSharedPort(list) {
  for (const [i, a] of list.entries()) {
    for (const b of list.slice(i + 1)) {
      if (a.port !== b.port) continue;
      const overlap = a.start < b.end && b.start < a.end;
      assert.ok(!overlap, `port ${a.port} held twice at once: ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
    }
  }
}

describe('examples/vitest', { concurrency: 1 }, () => {
  for (const pool of ['forks', 'threads']) {
    test(`${pool} pool, 3 workers: API per file, run-wide auth stub, all green`, {
      timeout: 120_000,
    }, async () => {
      const { lockDir, log, env } = await setup();
      const run = await vitest(example, [`--pool=${pool}`, '--maxWorkers=3'], env);
      assert.equal(run.code, 0, run.output);
      assert.match(run.output, /Test Files\s+3 passed \(3\)/);
      assert.match(run.output, /Tests\s+7 passed \(7\)/);
      const list = spans(log);
      assert.equal(list.filter((s) => s.label === 'api').length, 2, 'one API per file that uses it');
      assert.equal(list.filter((s) => s.label === 'auth stub').length, 1);
      assertNoSharedPort(list);
      assert.deepEqual(await listLeases({ lockDir }), []);
    });
  }

  test('two Vitest processes at once (monorepo packages): all green, no shared port', {
    timeout: 120_000,
  }, async () => {
    const { lockDir, log, env } = await setup();
    const [root, billing] = await Promise.all([
      vitest(example, ['--maxWorkers=2'], env),
      vitest(join(example, 'monorepo', 'billing'), ['--maxWorkers=2', '--pool=threads'], env),
    ]);
    assert.equal(root.code, 0, root.output);
    assert.equal(billing.code, 0, billing.output);
    assert.match(billing.output, /Tests\s+3 passed \(3\)/);
    const list = spans(log);
    assert.ok(list.some((s) => s.label === 'billing ledger') && list.some((s) => s.label === 'auth stub'));
    assertNoSharedPort(list);
    assert.deepEqual(await listLeases({ lockDir }), []);
  });
});
