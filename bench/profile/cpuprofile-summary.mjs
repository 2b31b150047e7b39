#!/usr/bin/env node
// Sums a .cpuprofile (node --cpu-prof): self time per script, and the functions with the most self time.
//   node --cpu-prof --cpu-prof-dir /tmp/prof --input-type=module -e "await import('portlease')"
//   node bench/profile/cpuprofile-summary.mjs /tmp/prof/*.cpuprofile
import { readFileSync } from 'node:fs';

const p = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++)
  self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
const byUrl = new Map(),
  byFn = new Map();
for (const [id, us] of self) {
  const n = byId.get(id);
  const f = n.callFrame;
  const url = f.url || `(${f.functionName || 'native'})`;
  byUrl.set(url, (byUrl.get(url) ?? 0) + us);
  const k = `${f.functionName || '(anon)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber}`;
  byFn.set(k, (byFn.get(k) ?? 0) + us);
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log('total sampled', (total / 1000).toFixed(1), 'ms');
for (const [u, us] of [...byUrl].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log((us / 1000).toFixed(2).padStart(8), 'ms', u);
console.log('--- top functions');
for (const [u, us] of [...byFn].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log((us / 1000).toFixed(2).padStart(8), 'ms', u);
