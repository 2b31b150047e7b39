// Measure 6: the examples/playwright suite end to end (Chromium, a server per worker).
//   portlease     2 shards at once on this host, 4 workers each, every worker's server on a leased port
//   fixed alone   the whole suite once, 4 workers, servers on a fixed base + parallelIndex, nothing else
//   fixed shards  the fixed-port suite as 2 shards at once (what portlease exists to fix)
//   portlease alone  the whole suite once, 4 workers, leased ports: the cost of leasing itself
// Wall time is from spawning the shard(s) until the last exits. Fixed ports come from the bench's
// free zone (NAIVE_BASE_PORT, the switch examples/playwright/tests/fixtures.ts offers). portlease
// runs with its defaults (no PORTLEASE_DIR), as a user's suite does. The tables: report/e2e.mjs.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmtMs } from '../../report/format.mjs';
import { childEnv } from '../../shared/fork.mjs';

const example = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples', 'playwright');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function playwrightCli() {
  if (!existsSync(join(example, 'package.json'))) return { missing: 'examples/playwright not found' };
  try {
    return { cli: createRequire(join(example, 'package.json')).resolve('@playwright/test/cli') };
  } catch {
    return { missing: 'examples/playwright has no @playwright/test installed (run pnpm install)' };
  }
}

/** The failed tests of a report, each as "title: first line of its error". */
function failuresOf(report) {
  const out = [];
  const visit = (suite) => {
    for (const child of suite.suites ?? []) visit(child);
    for (const spec of suite.specs ?? []) {
      for (const result of spec.tests.flatMap((t) => t.results)) {
        if (result.status === 'passed' || result.status === 'skipped') continue;
        const message = (result.error?.message ?? result.status).replace(/\u001b\[[0-9;]*m/g, '');
        out.push(`${spec.title}: ${message.split('\n').find((l) => l.trim()) ?? ''}`.slice(0, 240));
      }
    }
  };
  for (const suite of report.suites ?? []) visit(suite);
  for (const error of report.errors ?? []) out.push(`(run): ${String(error.message).split('\n')[0]}`);
  return out;
}

/** Counts and failures of a Playwright JSON report (undefined: no report). */
function outcome(file) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    const { stats } = report;
    return { passed: stats.expected, failed: stats.unexpected + stats.flaky, failures: failuresOf(report) };
  } catch {
    return undefined;
  }
}

function runOne(cli, work, name, args, env) {
  const report = join(work, `${name}.json`);
  const child = spawn(process.execPath, [cli, 'test', '--workers=4', '--reporter=json', ...args], {
    cwd: example,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: childEnv({
      ...env,
      OUTPUT_DIR: join(work, name),
      PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      RUN_LABEL: name,
    }),
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  return new Promise((resolve) => {
    child.on('close', (code) =>
      resolve({
        code,
        ...(outcome(report) ?? { passed: 0, failed: 0, noReport: stderr.trim().slice(-300) }),
      }),
    );
  });
}

/** One variant: its shards at once; wall time and summed outcomes. */
export async function runVariant(cli, variant, fixedBase) {
  const work = mkdtempSync(join(tmpdir(), 'pl-bench-e2e-'));
  try {
    const env = { CHROMIUM_PATH: CHROMIUM };
    if (variant.startsWith('fixed')) env.NAIVE_BASE_PORT = String(fixedBase);
    const shards = variant.endsWith('alone') ? [[]] : [['--shard=1/2'], ['--shard=2/2']];
    const started = performance.now();
    const results = await Promise.all(
      shards.map((args, i) => runOne(cli, work, `shard-${i + 1}`, args, env)),
    );
    const wall = performance.now() - started;
    const sum = (key) => results.reduce((n, r) => n + (r[key] ?? 0), 0);
    const noReport = results.find((r) => r.noReport)?.noReport;
    return {
      variant,
      wall,
      passed: sum('passed'),
      failed: sum('failed'),
      ok: results.every((r) => r.code === 0),
      noReport,
      failures: results.flatMap((r) => r.failures ?? []),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Runs the four variants `repeats` times (interleaved). `fixedBase`: 4 free ports for the fixed
 * variants. Resolves to { skipped } or { variants, repeats, runs }.
 */
export async function runE2E({ quick, repeats = 3, fixedBase, log }) {
  if (quick) return { skipped: 'not run with --quick (about 1 min more); run the full bench' };
  const { cli, missing } = playwrightCli();
  if (missing) return { skipped: missing };
  if (!existsSync(CHROMIUM)) return { skipped: `no Chromium at ${CHROMIUM} (set CHROMIUM_PATH)` };
  const variants = ['portlease', 'fixed alone', 'fixed shards', 'portlease alone'];
  const runs = [];
  for (let r = 0; r < repeats; r++) {
    for (const variant of variants) {
      const run = await runVariant(cli, variant, fixedBase);
      runs.push(run);
      log?.(
        `e2e ${variant}: ${fmtMs(run.wall)}, ${run.passed} passed, ${run.failed} failed${run.noReport ? ` (no report: ${run.noReport})` : ''}${variant.startsWith('portlease') && run.failures.length ? `: ${run.failures.join('; ')}` : ''}`,
      );
    }
  }
  return { variants, repeats, runs };
}
