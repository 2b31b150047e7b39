#!/usr/bin/env node
// A/B of two portlease builds, for checking a proposed core change on a noisy machine: fresh
// processes alternate between the builds (ABBA order), each leasing and releasing in a loop.
//   node bench/ab.mjs packages/core/dist/index.js path/to/patched/dist/index.js [--rounds 8] [--iterations 400] [--range 10000-32767]
// Prints, per build, the median over rounds of: leasePort p50, release p50, CPU per lease+release.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fmtMs } from './report/format.mjs';
import { forkChild } from './shared/fork.mjs';
import { spread } from './shared/stats.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '8' },
    iterations: { type: 'string', default: '400' },
    range: { type: 'string' },
  },
});
if (positionals.length !== 2) {
  console.error(
    'usage: node bench/ab.mjs <A/dist/index.js> <B/dist/index.js> [--rounds N] [--iterations N] [--range min-max]',
  );
  process.exit(2);
}
const builds = positionals.map((p) => resolve(p));
const range = values.range?.split('-').map(Number);
const samples = builds.map(() => []);
for (let round = 0; round < Number(values.rounds); round++) {
  const order = round % 2 ? [1, 0] : [0, 1];
  for (const i of order) {
    const child = forkChild(new URL('./ab/child.mjs', import.meta.url), {
      module: builds[i],
      iterations: Number(values.iterations),
      warmup: 50,
      range,
    });
    samples[i].push(await child.next('done'));
    await child.exited;
  }
}
for (const [i, build] of builds.entries()) {
  const s = samples[i];
  const line = (name, key) => `${name} ${fmtMs(spread(s.map((x) => x[key])).median)}`;
  console.log(
    `${'AB'[i]} ${build}\n   ${line('leasePort p50', 'lease')}, ${line('release p50', 'release')}, ${line('CPU per lease+release', 'cpu')}`,
  );
}
const ratio = (key) => spread(samples[1].map((b, k) => b[key] / samples[0][k][key])).median.toFixed(2);
console.log(
  `B/A (paired by round): leasePort ${ratio('lease')}×, release ${ratio('release')}×, CPU ${ratio('cpu')}×`,
);
