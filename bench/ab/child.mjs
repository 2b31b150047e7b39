// One A/B sample (see ../ab.mjs): lease + release in a loop with one portlease build; reports the p50
// of leasePort and of release, and the CPU time (user + system) per lease+release.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summarize } from '../shared/stats.mjs';

const config = JSON.parse(process.argv[2]);
const { leasePort } = await import(pathToFileURL(config.module).href);
const lockDir = mkdtempSync(join(tmpdir(), 'pl-bench-ab-'));
const options = { lockDir, ...(config.range ? { range: config.range } : {}) };
const leases = [];
const releases = [];
let cpu;
try {
  for (let i = 0; i < config.warmup + config.iterations; i++) {
    if (i === config.warmup) cpu = process.cpuUsage();
    const t0 = performance.now();
    const lease = await leasePort(options);
    const t1 = performance.now();
    await lease.release();
    const t2 = performance.now();
    if (i >= config.warmup) {
      leases.push(t1 - t0);
      releases.push(t2 - t1);
    }
  }
} finally {
  rmSync(lockDir, { recursive: true, force: true });
}
const used = process.cpuUsage(cpu);
process.send(
  {
    type: 'done',
    lease: summarize(leases).p50,
    release: summarize(releases).p50,
    cpu: (used.user + used.system) / 1000 / config.iterations,
  },
  () => process.disconnect(),
);
