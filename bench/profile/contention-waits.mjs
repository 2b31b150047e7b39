#!/usr/bin/env node
// Where a contended call's time goes, from inside the callers: N processes × M calls at once, as the
// contention measure runs them, for each library in turn (alternating, `--repeats` times), with each
// call's wall time split into CPU time and waiting, and its context switches counted. Prints per
// library p50/p90/p99 of wall, and for all calls and for the calls at or above the p90 (the tail the
// target is about) the medians of: time on a CPU, time runnable but queued for a CPU, time off the
// CPU and not runnable (blocked in the kernel, or the event loop waiting), and the share of calls
// that were switched out at all (the scheduler's own accounting: contention-waits-worker.mjs).
//   node bench/profile/contention-waits.mjs [--workers 16] [--ports 150] [--repeats 3] [--libs portlease,get-port]
// Uses the build bench/ resolves as `portlease` (packages/core/dist). No PORTLEASE_DIR: the default
// lock directory, as the contention measure's `portlease` row.
import { parseArgs } from 'node:util';
import { forkChild } from '../shared/fork.mjs';

const { values } = parseArgs({
  options: {
    workers: { type: 'string', default: '16' },
    ports: { type: 'string', default: '150' },
    repeats: { type: 'string', default: '3' },
    libs: { type: 'string', default: 'portlease,get-port' },
  },
});
const libs = values.libs.split(',');
const q = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const med = (v) =>
  q(
    [...v].sort((a, b) => a - b),
    0.5,
  ) ?? 0;
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

async function run(adapter) {
  const children = Array.from({ length: Number(values.workers) }, () =>
    forkChild(new URL('./contention-waits-worker.mjs', import.meta.url), {
      adapter,
      ports: Number(values.ports),
    }),
  );
  await Promise.all(children.map((c) => c.next('ready')));
  for (const c of children) c.child.send('go');
  const results = await Promise.all(children.map((c) => c.next('done')));
  await Promise.all(children.map((c) => c.exited));
  return results.flatMap((r) => r.calls);
}

const all = Object.fromEntries(libs.map((l) => [l, []]));
for (let r = 0; r < Number(values.repeats); r++) {
  for (const lib of r % 2 ? [...libs].reverse() : libs) {
    const calls = await run(lib);
    const walls = calls.map((c) => c.wall).sort((a, b) => a - b);
    const p90 = q(walls, 0.9);
    const tail = calls.filter((c) => c.wall >= p90);
    all[lib].push({ calls, p50: q(walls, 0.5), p90, p99: q(walls, 0.99), tail });
    console.log(
      `repeat ${r + 1} ${lib.padEnd(10)} p50 ${fmt(q(walls, 0.5))} p90 ${fmt(p90)} p99 ${fmt(q(walls, 0.99))}` +
        `\n   all calls: ${split(calls)}\n   calls ≥ p90: ${split(tail)}`,
    );
  }
}
function split(list) {
  const sum = (k) => list.reduce((a, c) => a + c[k], 0);
  const total = sum('wall');
  const share = (k) => `${((100 * sum(k)) / total).toFixed(0)} %`;
  return `median on CPU ${fmt(med(list.map((c) => c.run)))}, queued ${fmt(med(list.map((c) => c.queued)))}, off CPU ${fmt(med(list.map((c) => c.off)))}; of their summed wall: on CPU ${share('run')}, queued ${share('queued')}, off CPU ${share('off')}; ${pct(list, (c) => c.slices > 0)} switched out`;
}
function pct(list, pred) {
  return `${((100 * list.filter(pred).length) / Math.max(1, list.length)).toFixed(1)} %`;
}
const base = all[libs.at(-1)];
for (const lib of libs) {
  const p50 = med(all[lib].map((x, i) => x.p50 / base[i].p50));
  const p90 = med(all[lib].map((x, i) => x.p90 / base[i].p90));
  console.log(
    `${lib}: p50 ${p50.toFixed(2)}×, p90 ${p90.toFixed(2)}× ${libs.at(-1)}'s (median over repeats)`,
  );
}
