// The lease holder: a process that leases `count` ports with leasePorts and holds them until it is
// disconnected or killed: the "other processes" of the scale measure and the victim of the crash
// measure (both fork this file).
import { leasePorts } from 'portlease';

const config = JSON.parse(process.argv[2]);
const started = performance.now();
const leases = await leasePorts(config.count, {
  lockDir: config.lockDir,
  range: config.range,
  owner: `bench holder ${process.pid}`,
});
const ms = performance.now() - started;
process.on('disconnect', () => {
  for (const lease of leases) lease.releaseSync();
  process.exit(0);
});
process.send({ type: 'ready', ms, ports: leases.map((l) => l.port) });
