// Allocation latency in one fresh process. Several subjects (libraries, the floor, or portlease on
// different lock directories) take turns, one allocation each per round in a rotating order, so they
// share the machine's noise; each allocation is released before the next (as a test that leases,
// runs and releases). The first call of each subject is reported apart (cold start). A subject that
// has used up its time budget (counted over its measured calls, once it has MIN_SAMPLES) sits out the
// remaining rounds, so a slow subject (a block of 10) still gets measured without slowing the run.
import { loadAllocator } from '../../shared/libraries.mjs';
import { createFloor } from './floor.mjs';
import { traceOneLease } from './trace.mjs';

const config = JSON.parse(process.argv[2]);
const MIN_SAMPLES = 20;
const subjects = [];
for (const s of config.subjects) {
  let floor;
  let probeHosts;
  let steps;
  if (s.floor) {
    // Real leases in that directory first: they create the default lock directory if need be, and
    // show which listens a lease makes now, which the floor then makes too.
    const trace = await traceOneLease(s.lockDir);
    probeHosts = trace.probes.map((p) => p.host);
    steps = trace.steps;
    floor = createFloor(s.range, s.path, trace.probes);
  }
  const allocate = floor ? floor.allocate : await loadAllocator(s.adapter, s);
  subjects.push({
    ...s,
    allocate,
    floor,
    probeHosts,
    steps,
    spent: 0,
    cpuMs: 0,
    coldMs: 0,
    samples: [],
    releases: [],
    parts: {},
  });
}

async function once(subject, record) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const got = await subject.allocate();
  const t1 = performance.now();
  const cpu = process.cpuUsage(c0);
  await got.release();
  const t2 = performance.now();
  if (!record) return t1 - t0;
  subject.spent += t2 - t0;
  subject.samples.push(t1 - t0);
  subject.cpuMs += (cpu.user + cpu.system) / 1000;
  subject.releases.push(t2 - t1);
  for (const [name, ms] of Object.entries(got.parts ?? {})) {
    subject.parts[name] ??= [];
    subject.parts[name].push(ms);
  }
  return t1 - t0;
}

try {
  for (const subject of subjects) subject.coldMs = await once(subject, false);
  const rounds = config.warmup + config.iterations;
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < subjects.length; k++) {
      const subject = subjects[(round + k) % subjects.length];
      if (subject.spent > config.budgetMs && subject.samples.length >= MIN_SAMPLES) continue;
      await once(subject, round >= config.warmup);
    }
  }
} finally {
  for (const subject of subjects) subject.floor?.dispose();
}
const results = subjects.map(({ key, coldMs, cpuMs, samples, releases, parts, probeHosts, steps }) => ({
  key,
  probeHosts,
  steps,
  coldMs,
  cpuPerCall: cpuMs / samples.length,
  samples,
  releases,
  parts,
}));
process.send({ type: 'done', results }, () => process.disconnect());
