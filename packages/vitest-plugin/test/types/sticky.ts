// Type tests of the sticky options: the plugin's, and leasePort({ sticky }) in the fixtures.
import { type PortleaseVitestOptions, portlease } from '@portlease/vitest';
import { type LeasePortOptions, test, type WorkerLeaseOptions } from '@portlease/vitest/test';

portlease({ ports: ['api', 'web'], sticky: true, stickyScope: 'shop' });
portlease({ ports: ['api', 'web'], sticky: ['web'] });
// @ts-expect-error sticky is true, false or a list of port names
portlease({ ports: ['web'], sticky: 'web' });
const provided: PortleaseVitestOptions = { ports: ['db'], sticky: ['db'] };

test('sticky fixture types', async ({ leasePort, leaseOptions }) => {
  const mail: number = await leasePort({ sticky: 'mail', range: [20000, 20999] });
  const scope: string | undefined = leaseOptions.stickyScope;
  // @ts-expect-error one port: one sticky name, not leasePorts' per-port array
  await leasePort({ sticky: ['mail'] });
  return [mail, scope];
});

const one: LeasePortOptions = { sticky: 'mail', stickyScope: 'shop' };
// @ts-expect-error a sticky name belongs to one lease, not to every lease of a worker
const shared: WorkerLeaseOptions = { sticky: 'mail' };
void [provided, one, shared];
