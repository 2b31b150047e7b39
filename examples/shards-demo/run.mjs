#!/usr/bin/env node
// The examples/playwright suite (project per-worker: a server per worker, tested in Chromium) run as
// 3 concurrent shards on this host, twice:
//   1. the common way: each worker's server on `base + parallelIndex`, the same base in every shard;
//   2. with portlease: each worker's server on a leased port.
// Prints the ports every worker got. Exits 0 when portlease passed in every shard and the common way
// failed as it does in real CI; non-zero otherwise.
// Environment: DEMO_WORKERS (workers per shard, default 2); PORTLEASE_DIR / PORTLEASE_RANGE as usual.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultRange, leasePorts, parseRange } from 'portlease';
import { failureLines, summarize, table } from './report.mjs';

const SHARDS = 3;
const WORKERS = Number(process.env.DEMO_WORKERS ?? 2);
const require = createRequire(import.meta.url);
const example = dirname(require.resolve('@portlease/example-playwright/package.json'));
const playwrightCli = createRequire(join(example, 'package.json')).resolve('@playwright/test/cli');
const work = mkdtempSync(join(tmpdir(), 'pl-shards-demo-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

/**
 * The naive variant's base: `count` consecutive ports that are free and leased, so the demo never
 * lands on a real service and no other portlease user takes them meanwhile. (The collision the demo
 * shows comes from every shard using the same base, not from the number.)
 */
async function leaseBlock(count) {
  const [min, max] = process.env.PORTLEASE_RANGE ? parseRange(process.env.PORTLEASE_RANGE) : defaultRange();
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = min + Math.floor(Math.random() * (max - min + 2 - count));
    try {
      const leases = await leasePorts(count, {
        range: [base, base + count - 1],
        owner: 'shards demo: naive base',
      });
      return { base, release: () => Promise.all(leases.map((lease) => lease.release())) };
    } catch (error) {
      if (error.code !== 'RANGE_EXHAUSTED') throw error;
    }
  }
  throw new Error(`no ${count} consecutive free ports in ${min}-${max}`);
}

/** One shard of the suite; resolves with its JSON report (undefined if it wrote none) and output. */
function runShard(variant, shard, env) {
  const reportFile = join(work, `${variant}-${shard}.json`);
  const child = spawn(
    process.execPath,
    [
      playwrightCli,
      'test',
      '--project=per-worker',
      `--shard=${shard}/${SHARDS}`,
      `--workers=${WORKERS}`,
      '--reporter=json',
    ],
    {
      cwd: example,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        ...env,
        RUN_LABEL: `shard-${shard}`,
        OUTPUT_DIR: join(work, `${variant}-${shard}`),
        PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile,
      },
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      let report;
      try {
        report = JSON.parse(readFileSync(reportFile, 'utf8'));
      } catch {
        // No report: the run failed before tests (the summary says so).
      }
      const summary = summarize(report);
      if (code !== 0 && summary.ok) summary.ok = false;
      if (!report)
        summary.failures.push({
          worker: '-',
          error: `no report; exit ${code}: ${stderr.trim().slice(-300)}`,
        });
      resolve({ label: `${shard}/${SHARDS}`, code, summary });
    });
  });
}

const runVariant = (variant, env) =>
  Promise.all(Array.from({ length: SHARDS }, (_, i) => runShard(variant, i + 1, env)));

console.log(
  `examples/playwright (project per-worker), ${SHARDS} shards at once on this host, ${WORKERS} workers each.\n`,
);

const block = await leaseBlock(WORKERS);
const naive = await runVariant('naive', { NAIVE_BASE_PORT: String(block.base) });
await block.release();
console.log(
  table(`The common way: server port = ${block.base} + parallelIndex in every shard`, naive, WORKERS),
);
if (naive.some((shard) => !shard.summary.ok)) {
  console.log(`  first failures:\n${failureLines(naive)}`);
  console.log("  Worker N of every shard wanted the same port: one shard's server answered for the others,");
  console.log('  whose own servers could not bind it.');
}

const leased = await runVariant('portlease', {});
console.log();
console.log(table('portlease: server port = serverPort (leased per worker)', leased, WORKERS));
if (leased.some((shard) => !shard.summary.ok)) console.log(`  failures:\n${failureLines(leased, 5)}`);

const ports = leased.flatMap((shard) => [...shard.summary.workers.values()].flatMap((w) => [...w.ports]));
const distinct = new Set(ports).size === ports.length;
const naiveFailed = naive.filter((shard) => !shard.summary.ok).length;
const leasedOk = leased.every((shard) => shard.summary.ok) && distinct;
console.log(
  `\n${leasedOk ? 'ok' : 'UNEXPECTED'}: portlease ${leasedOk ? `passed in all ${SHARDS} shards with ${ports.length} distinct ports` : 'failed'}; ` +
    `${naiveFailed ? 'ok' : 'UNEXPECTED'}: base + parallelIndex failed in ${naiveFailed} of ${SHARDS} shards.`,
);
process.exitCode = leasedOk && naiveFailed > 0 ? 0 : 1;
