#!/usr/bin/env node
// Where a fresh process's import and first lease go, against get-port's: N fresh `node` processes per
// library import it and take two ports one after another, under `--cpu-prof`. Prints the medians of
// the import, the first and the second call (wall, in the process), then, from the profiles, the
// mean time compiling modules, collecting garbage, and inside portlease's functions (inclusive).
// The profiler's overhead inflates every figure alike: read them as shares.
//   node bench/profile/first-lease.mjs [--runs 5]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { summarize } from '../shared/stats.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const here = new URL('..', import.meta.url);
const libraries = {
  portlease: `const m = await import(${JSON.stringify(import.meta.resolve('portlease'))});
    const take = async () => { const l = await m.leasePort(); await l.release(); };`,
  'get-port': `const m = await import(${JSON.stringify(import.meta.resolve('get-port'))});
    const take = () => m.default();`,
};
const median = (xs) => summarize(xs).p50;

/** Inclusive µs under each node id of a profile. */
function inclusive(profile) {
  const self = new Map();
  profile.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const memo = new Map();
  const total = (n) => {
    if (!memo.has(n.id))
      memo.set(n.id, (self.get(n.id) ?? 0) + (n.children ?? []).reduce((s, c) => s + total(byId.get(c)), 0));
    return memo.get(n.id);
  };
  return { nodes: profile.nodes, total, self };
}

for (const [name, setup] of Object.entries(libraries)) {
  const dir = mkdtempSync(join(tmpdir(), 'pl-first-'));
  const times = { import: [], first: [], second: [] };
  for (let i = 0; i < runs; i++) {
    const code = `const t0 = performance.now(); ${setup} const t1 = performance.now(); await take();
      const t2 = performance.now(); await take(); const t3 = performance.now();
      console.log(JSON.stringify({ import: t1 - t0, first: t2 - t1, second: t3 - t2 }));`;
    const out = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-interval', '50', '--cpu-prof-dir', dir, '--input-type=module', '-e', code],
      { cwd: here, encoding: 'utf8' },
    );
    if (out.status !== 0) throw new Error(out.stderr);
    const t = JSON.parse(out.stdout);
    for (const k of Object.keys(times)) times[k].push(t[k]);
  }
  const sums = new Map();
  const add = (key, us) => sums.set(key, (sums.get(key) ?? 0) + us);
  for (const file of readdirSync(dir)) {
    const { nodes, total, self } = inclusive(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    for (const n of nodes) {
      const { functionName, url, lineNumber } = n.callFrame;
      if (functionName === 'compileSourceTextModule') add('(compiling modules)', total(n));
      else if (functionName === '(garbage collector)') add('(garbage collector)', self.get(n.id) ?? 0);
      else if (/portlease|packages\/core\/dist/.test(url) && functionName)
        add(`${functionName} (${url.split('/').pop()}:${lineNumber})`, total(n));
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const ms = (x) => `${x.toFixed(2)} ms`;
  console.log(
    `${name}: import ${ms(median(times.import))}, first call ${ms(median(times.first))}, second ${ms(median(times.second))} (median of ${runs})`,
  );
  for (const [key, us] of [...sums].sort((a, b) => b[1] - a[1]).slice(0, name === 'portlease' ? 14 : 2))
    console.log(`  ${ms(us / runs / 1000).padStart(9)}  ${key}`);
}
