#!/usr/bin/env node
// portlease against get-port and its peers, side by side in one run. See README.md.
//   node bench/run.mjs            full run (~15 min on 2 cores): writes bench/results/{RESULTS.md,chart.svg,results.json}
//   node bench/run.mjs --quick    CI smoke run (~1 min): writes bench/results/quick/ (git-ignored)
// Options: --only contention,latency,scale,batch,crash,process,e2e  --libs portlease,get-port,…  --repeats N  --out DIR
//          --render DIR (rewrite RESULTS.md and chart.svg from DIR/results.json, measuring nothing)
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultRange } from 'portlease';
import { runBatch } from './measures/batch/measure.mjs';
import { runContention } from './measures/contention/measure.mjs';
import { runCrash } from './measures/crash/measure.mjs';
import { runE2E } from './measures/e2e/measure.mjs';
import { runLibraryLatency } from './measures/latency/measure.mjs';
import { runProcess } from './measures/process/measure.mjs';
import { runScale } from './measures/scale/measure.mjs';
import { aggregateAll } from './report/aggregate.mjs';
import { rerender, writeOutputs } from './report/output.mjs';
import { e2eSummary } from './report/sections/e2e.mjs';
import { detectFeatures } from './shared/features.mjs';
import { FEATURE_ROWS, isPortlease, LIBRARY_IDS, labelOf, rowOf } from './shared/libraries.mjs';
import { describeLockDirs, findDefaultLockDir } from './shared/lock-dirs.mjs';
import { loadAverage, machineInfo } from './shared/machine.mjs';
import { findFreeZone } from './shared/net.mjs';
import { summarize } from './shared/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const MEASURES = ['contention', 'latency', 'scale', 'batch', 'crash', 'process', 'e2e'];
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    libs: { type: 'string' },
    repeats: { type: 'string' },
    out: { type: 'string' },
    render: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log(
    'usage: node bench/run.mjs [--quick] [--only contention,latency,scale,batch,crash,process,e2e] [--libs portlease,get-port,…] [--repeats N] [--out DIR]\n       node bench/run.mjs --render DIR   (rewrite DIR/RESULTS.md and chart.svg from DIR/results.json)',
  );
  process.exit(0);
}
if (args.render) {
  rerender(args.render);
  console.log(`rewrote ${args.render}/RESULTS.md and chart.svg from results.json`);
  process.exit(0);
}

const quick = args.quick;
const plan = {
  // Quick (the CI smoke run, which must stay well under 2 min on 2 shared cores): every row and
  // code path, at smaller scales; the targets are judged on the full run.
  scales: quick
    ? [
        [4, 20],
        [16, 40],
      ]
    : [
        [4, 20],
        [16, 150],
        [32, 300],
      ],
  repeats: Number(args.repeats ?? (quick ? 1 : 3)),
  latencyRepeats: Number(args.repeats ?? (quick ? 2 : 5)),
  latency: quick
    ? { iterations: 100, warmup: 10, budgetMs: 800 }
    : { iterations: 300, warmup: 30, budgetMs: 3000 },
  scale: quick
    ? { iterations: 150, warmup: 15, budgetMs: 2000 }
    : { iterations: 400, warmup: 40, budgetMs: 6000 },
  scaleCounts: quick ? [0, 1000] : [0, 1000, 10000],
  scaleRange: [10000, 32767],
  batch: { counts: [1, 10, 100], repeats: quick ? 3 : 10 },
  crashCycles: quick ? 3 : 5,
  processRounds: quick ? 3 : 25,
  e2eRepeats: Number(args.repeats ?? 2),
  hold: 300,
  maxDelay: 100,
};
const only = new Set(args.only ? args.only.split(',').map((s) => s.trim()) : MEASURES);
for (const m of only)
  if (!MEASURES.includes(m)) throw new Error(`unknown measure ${m}; one of ${MEASURES.join(', ')}`);
const asked = args.libs ? args.libs.split(',').map((s) => s.trim()) : LIBRARY_IDS;
for (const lib of asked)
  if (!LIBRARY_IDS.includes(lib)) throw new Error(`unknown library ${lib}; one of ${LIBRARY_IDS.join(', ')}`);
const outDir = args.out ?? join(here, 'results', quick ? 'quick' : '');

const started = performance.now();
const log = (message) =>
  console.log(`[bench ${((performance.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);
const machine = machineInfo();
// Rows for portlease work that may not have landed in this build appear only where it works.
const features = await detectFeatures();
const usable = (id) => {
  const { needs } = rowOf(id);
  return !needs || features[needs] === true;
};
/** Rows left out, with why: shown in the report. */
const skipped = Object.fromEntries(
  [...asked, ...FEATURE_ROWS.map((r) => r.id)]
    .filter((id) => !usable(id))
    .map((id) => [id, features[rowOf(id).needs]]),
);
const libs = asked.filter(usable);
const featureRows = asked.includes('portlease') ? FEATURE_ROWS.map((r) => r.id).filter(usable) : [];
for (const [id, why] of Object.entries(skipped)) log(`not measured: ${labelOf(id)}: ${why}`);
await findDefaultLockDir();
const lockDirs = describeLockDirs();
// Free ports above the ephemeral range: the peers' preferred range, the floor's probes, the crash victim.
const zone = await findFreeZone(1200);
const base = zone.range[0];
const floorZone = [base + 500, base + 999];
const crashRange = [base + 1100, base + 1115];
const e2eBase = base + 1150;
log(
  `${machine.cpu} × ${machine.cores}, Node ${machine.node}; preferred range ${base}–${base + 100}; ${quick ? 'quick' : 'full'} run`,
);

const raw = {};
const loadAfter = {};
/** Failures of the bench itself (not of a library): reported, and the exit code is 1. */
const errors = [];
async function attempt(what, fn) {
  try {
    return await fn();
  } catch (error) {
    errors.push(`${what}: ${error?.stack ?? error}`);
    log(`FAILED ${what}: ${error?.message ?? error}`);
    return undefined;
  }
}
const us = (ms) => `${(ms * 1000).toFixed(0)} µs`;

const measures = {
  async contention() {
    raw.contention = { runs: [] };
    for (let repeat = 0; repeat < plan.repeats; repeat++) {
      for (const [scale, [workers, ports]] of plan.scales.entries()) {
        for (let k = 0; k < libs.length; k++) {
          const lib = libs[(repeat + k) % libs.length];
          // Quick: the other peers at the first scale only (they are slow under load, and their
          // code runs there and in the latency measure); portlease's rows and get-port at each.
          if (quick && scale > 0 && !isPortlease(lib) && lib !== 'get-port') continue;
          const { hold, maxDelay } = plan;
          const result = await attempt(`contention ${workers}×${ports} ${lib}`, () =>
            runContention({ lib, workers, ports, base, hold, maxDelay }),
          );
          if (!result) continue;
          const { latencies, ...run } = result;
          const s = summarize(latencies);
          raw.contention.runs.push({ ...run, repeat, p50: s.p50, p90: s.p90, p99: s.p99 });
          log(
            `contention ${workers}×${ports} ${labelOf(lib)}: ${run.failures}/${run.attempts} failed, ${run.duplicates} duplicates, p50 ${us(s.p50)}`,
          );
          if (lib.startsWith('portlease') && run.duplicates > 0)
            log(`  ${labelOf(lib)} duplicates: ${JSON.stringify(run.duplicateSamples)}`);
        }
      }
    }
  },
  async latency() {
    raw.latency = { runs: [] };
    for (let repeat = 0; repeat < plan.latencyRepeats; repeat++) {
      const byKey = await attempt('latency', () =>
        runLibraryLatency({ libs, extra: featureRows, base, zone: floorZone, ...plan.latency }),
      );
      if (!byKey) continue;
      raw.latency.runs.push({ repeat, byKey });
      log(
        `latency: ${Object.entries(byKey)
          .map(([k, v]) => `${k} ${us(v.p50)}`)
          .join(', ')}`,
      );
    }
  },
  async scale() {
    raw.scale = { runs: [] };
    for (let repeat = 0; repeat < plan.repeats; repeat++) {
      const run = await attempt('scale', () =>
        runScale({ counts: plan.scaleCounts, range: plan.scaleRange, ...plan.scale }),
      );
      if (!run) continue;
      raw.scale.runs.push({ repeat, ...run });
      log(
        `scale: ${Object.entries(run.byCount)
          .map(([k, v]) => `${k} held ${us(v.p50)}`)
          .join(', ')}`,
      );
    }
  },
  async batch() {
    raw.batch = {};
    for (const lib of ['portlease', 'get-port', 'portfinder'].filter((l) => libs.includes(l))) {
      const result = await attempt(`batch ${lib}`, () => runBatch({ lib, base, ...plan.batch }));
      if (!result) continue;
      raw.batch[lib] = result;
      log(
        `batch ${lib}: ${Object.entries(result)
          .map(([n, s]) => `n=${n} ${s.p50.toFixed(2)} ms`)
          .join(', ')}`,
      );
    }
  },
  async crash() {
    raw.crash = { runs: [] };
    for (let i = 0; i < plan.crashCycles; i++) {
      const run = await attempt('crash', () => runCrash({ range: crashRange }));
      if (run) raw.crash.runs.push(run);
    }
    log(`crash: recovered after ${raw.crash.runs.map((r) => r.recoveredMs.toFixed(1)).join(', ')} ms`);
  },
  async process() {
    raw.process = runProcess({ rounds: plan.processRounds });
    const { byCase, ratios } = raw.process;
    log(
      `process: ${Object.entries(ratios)
        .map(
          ([name, r]) => `${name} ${byCase[name].wallMs.toFixed(1)} ms (${r.wallRatio.toFixed(2)}x ${r.vs})`,
        )
        .join(', ')}`,
    );
  },
  async e2e() {
    raw.e2e = await attempt('e2e', () =>
      runE2E({ quick, repeats: plan.e2eRepeats, fixedBase: e2eBase, log }),
    );
    if (raw.e2e) log(raw.e2e.skipped ? `e2e skipped: ${raw.e2e.skipped}` : `e2e: ${e2eSummary(raw.e2e)}`);
  },
};
for (const name of MEASURES) {
  if (!only.has(name)) continue;
  await attempt(name, measures[name]);
  loadAfter[name] = loadAverage()[0];
}
const e2e = raw.e2e;
delete raw.e2e;

const agg = aggregateAll(raw);
const meta = {
  mode: quick ? 'quick' : 'full',
  command: `node bench/run.mjs${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}`,
  date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  durationMs: performance.now() - started,
  machine,
  loadEnd: loadAverage(),
  loadAfter,
  libs,
  featureRows,
  skipped,
  lockDirs,
  scales: plan.scales,
  base,
  zoneBusy: zone.busy,
  portleaseRange: defaultRange(),
  scaleRange: plan.scaleRange,
  hold: plan.hold,
  maxDelay: plan.maxDelay,
  plan,
  measures: [...only],
};
const targets = writeOutputs(outDir, { meta, agg, e2e, errors, raw });
log(`wrote ${relative(process.cwd(), outDir) || '.'}/RESULTS.md, chart.svg, results.json`);
for (const [target, measured, verdict] of targets)
  console.log(`  ${verdict.replace(/\*/g, '').padEnd(12)} ${target}: ${measured}`);
if (errors.length) {
  console.error(`${errors.length} measure(s) failed to run; see above and the end of RESULTS.md.`);
  process.exitCode = 1;
}
