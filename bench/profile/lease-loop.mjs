#!/usr/bin/env node
// A contention worker's lease pattern alone, for tracing one process: `n` leases back to back, each
// kept (as the contention worker keeps them while it binds), then all released. To see what one
// lease does and costs:
//   strace -f -T -tt -o /tmp/lease.strace node bench/profile/lease-loop.mjs 150
//   strace -f -c node bench/profile/lease-loop.mjs 150      (syscall counts; compare two lengths)
//   node --cpu-prof --cpu-prof-dir /tmp/prof bench/profile/lease-loop.mjs 150
// `--lib get-port` runs get-port's getPort() instead. Prints the median wall and CPU per call.
import { parseArgs } from 'node:util';
import { loadAllocator } from '../shared/libraries.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { lib: { type: 'string', default: 'portlease' } },
});
const n = Number(positionals[0] ?? 150);
const allocate = await loadAllocator(values.lib, { releaseEach: false });
const held = [];
const walls = [];
const cpus = [];
for (let i = 0; i < n; i++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  held.push(await allocate());
  walls.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpus.push((c.user + c.system) / 1000);
}
for (const h of held) await h.release();
await allocate.finish?.();
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
console.log(
  `${values.lib}: ${n} calls, median wall ${(med(walls) * 1000).toFixed(0)} µs, CPU ${(med(cpus) * 1000).toFixed(0)} µs (first call ${walls[0].toFixed(2)} ms)`,
);
