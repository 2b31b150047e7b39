// Measure 6: a whole process as a user's one-shot script runs it. A fresh `node` imports the library
// and (in the "lease" cases) takes one port and gives it back, then exits; its wall time is taken from
// outside, and the child reports its own import time and first call. Cases run in alternating pairs
// (portlease, then get-port, in turn first), so the machine's drift falls on both alike; ratios are
// the median of the per-pair ratios. A bare `node` is measured in the same rounds: what node itself
// costs, so "+N ms over node" is the library's own cost.
import { spawnSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childEnv } from '../../shared/fork.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/** What each case's child runs: `import` alone, or `import` + one lease + release. */
const CASES = {
  node: '',
  'get-port import': "await import('get-port');",
  'portlease import': "await import('portlease');",
  'portlease/get-port import': "await import('portlease/get-port');",
  'get-port lease': "const { default: getPort } = await import('get-port'); await getPort();",
  'portlease lease':
    "const { leasePort } = await import('portlease'); const lease = await leasePort(); await lease.release();",
  'portlease/get-port lease':
    "const { default: getPort, clearLockedPorts } = await import('portlease/get-port'); await getPort(); clearLockedPorts();",
};
/** Which case each portlease case is paired with. */
export const PAIRS = {
  'portlease import': 'get-port import',
  'portlease/get-port import': 'get-port import',
  'portlease lease': 'get-port lease',
  'portlease/get-port lease': 'get-port lease',
};

/** The child's program: the case's code between two clocks, the times printed as JSON. */
const program = (code) => {
  const [load, ...call] = code.split(/;\s*/).filter(Boolean);
  return `const t0 = performance.now();
${load ?? ''};
const t1 = performance.now();
${call.join(';\n')};
const t2 = performance.now();
console.log(JSON.stringify({ importMs: t1 - t0, callMs: t2 - t1 }));`;
};

function once(name) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', program(CASES[name])], {
    cwd: here,
    env: childEnv(),
    encoding: 'utf8',
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${name}: exit ${result.status}: ${result.stderr}`);
  return { wallMs, ...JSON.parse(result.stdout.trim().split('\n').at(-1)) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * `rounds` rounds. Each runs a bare node, then every portlease case beside its get-port pair, the two
 * adjacent and in alternating order. Returns per case the median wall, import and call times, and per
 * portlease case the median of the per-round ratios of wall time to its pair, and of import-time extra.
 */
export function runProcess({ rounds }) {
  const samples = Object.fromEntries(Object.keys(CASES).map((name) => [name, []]));
  const pairs = Object.fromEntries(Object.keys(PAIRS).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    samples.node.push(once('node'));
    for (const [name, peer] of Object.entries(PAIRS)) {
      const first = round % 2 === 0 ? name : peer;
      const a = once(first);
      const b = once(first === name ? peer : name);
      const [mine, theirs] = first === name ? [a, b] : [b, a];
      samples[name].push(mine);
      samples[peer].push(theirs);
      pairs[name].push([mine, theirs]);
    }
  }
  const byCase = {};
  for (const [name, runs] of Object.entries(samples)) {
    byCase[name] = {
      wallMs: median(runs.map((r) => r.wallMs)),
      importMs: median(runs.map((r) => r.importMs)),
      callMs: median(runs.map((r) => r.callMs)),
      n: runs.length,
    };
  }
  const ratios = {};
  for (const [name, runs] of Object.entries(pairs)) {
    ratios[name] = {
      vs: PAIRS[name],
      wallRatio: median(runs.map(([mine, theirs]) => mine.wallMs / theirs.wallMs)),
      importExtraMs: median(runs.map(([mine, theirs]) => mine.importMs - theirs.importMs)),
    };
  }
  return { byCase, ratios, rounds };
}
