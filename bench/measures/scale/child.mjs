// The measuring process of the scale measure (see measure.mjs): on each "measure" message it
// leases and releases `iterations` times in its lock directory and range, and replies with the
// per-call times. Between messages the parent changes how many leases other processes hold there.
import { leasePort } from 'portlease';

const config = JSON.parse(process.argv[2]);
const options = { lockDir: config.lockDir, range: config.range, owner: 'bench scale' };

process.on('message', async (message) => {
  if (message.type === 'stop') {
    process.disconnect();
    return;
  }
  const samples = [];
  let cpu;
  for (let i = 0; i < message.warmup + message.iterations; i++) {
    if (i === message.warmup) cpu = process.cpuUsage();
    const t0 = performance.now();
    const lease = await leasePort(options);
    const ms = performance.now() - t0;
    lease.releaseSync();
    if (i >= message.warmup) samples.push(ms);
  }
  const used = process.cpuUsage(cpu);
  process.send({
    type: 'measured',
    samples,
    cpuPerCall: (used.user + used.system) / 1000 / message.iterations,
  });
});
process.send({ type: 'ready' });
