#!/usr/bin/env node
// One-shot processes, A/B: a fresh `node` imports a portlease build's dist/index.js (or its
// get-port.js) and leases + releases one port, alternating with the other build and with get-port,
// so the machine's drift falls on all alike. Prints medians of wall, import and call time, and the
// median of the per-round ratios to get-port's process.
//   node bench/profile/oneshot-ab.mjs <A/dist> <B/dist> [--rounds 20] [--case lease|import|getport]
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '20' }, case: { type: 'string', default: 'lease' } },
});
const here = new URL('..', import.meta.url);
const getPortUrl = import.meta.resolve('get-port');
const dists = positionals.map((p) => pathToFileURL(`${resolve(p)}/`).href);
const code = {
  lease: (d) =>
    `const { leasePort } = await import('${d}index.js'); const t1 = performance.now(); const l = await leasePort(); await l.release();`,
  import: (d) => `await import('${d}index.js'); const t1 = performance.now();`,
  getport: (d) =>
    `const { default: getPort, clearLockedPorts } = await import('${d}get-port.js'); const t1 = performance.now(); await getPort(); clearLockedPorts();`,
};
const gp = {
  lease: `const { default: getPort } = await import('${getPortUrl}'); const t1 = performance.now(); await getPort();`,
  import: `await import('${getPortUrl}'); const t1 = performance.now();`,
};
gp.getport = gp.lease;
const wrap = (body) =>
  `const c0 = process.cpuUsage(); const t0 = performance.now(); ${body} const t2 = performance.now(); const c = process.cpuUsage(); const ic = process.cpuUsage(c0); console.log(JSON.stringify({ importMs: t1 - t0, callMs: t2 - t1, cpuMs: (c.user + c.system) / 1000, libCpuMs: (ic.user + ic.system) / 1000 }));`;
function once(body) {
  const env = { ...process.env };
  delete env.PORTLEASE_DIR;
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', wrap(body)], {
    encoding: 'utf8',
    env,
    cwd: here,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(r.stderr);
  return { wallMs, ...JSON.parse(r.stdout) };
}
const subjects = [
  ...dists.map((d, i) => ({ name: 'AB'[i], body: code[values.case](d) })),
  { name: 'get-port', body: gp[values.case] },
];
const runs = subjects.map(() => []);
for (let round = 0; round < Number(values.rounds); round++) {
  const order = subjects.map((_, i) => i);
  if (round % 2) order.reverse();
  for (const i of order) runs[i].push(once(subjects[i].body));
}
const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const gpRuns = runs.at(-1);
for (const [i, s] of subjects.entries()) {
  const r = runs[i];
  const ratio = median(r.map((x, k) => x.wallMs / gpRuns[k].wallMs));
  const extra = median(r.map((x, k) => x.importMs - gpRuns[k].importMs));
  const cpuRatio = median(r.map((x, k) => x.cpuMs / gpRuns[k].cpuMs));
  console.log(
    `${s.name.padEnd(9)} wall ${median(r.map((x) => x.wallMs)).toFixed(1)} ms, import ${median(r.map((x) => x.importMs)).toFixed(1)} ms, call ${median(r.map((x) => x.callMs)).toFixed(1)} ms, process CPU ${median(r.map((x) => x.cpuMs)).toFixed(1)} ms (import+call ${median(r.map((x) => x.libCpuMs)).toFixed(1)}); wall/get-port ${ratio.toFixed(3)}×, CPU/get-port ${cpuRatio.toFixed(3)}×, import − get-port's ${extra.toFixed(1)} ms`,
  );
}
