// Type tests of the public API: checked by `tsc -p test/types` (the package's typecheck script).
import {
  collectGarbage,
  type GcResult,
  type LeaseInfo,
  type LeaseOptions,
  leasePort,
  leasePorts,
  listLeases,
  type PortLease,
  PortleaseError,
  type PortleaseErrorCode,
  type parseRange,
  type RunningServer,
  startServer,
} from 'portlease';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T) => {};

export async function leasing(): Promise<void> {
  const lease = await leasePort({ range: [20000, 29999], owner: 'api server' });
  assertType<Equal<typeof lease, PortLease>>(true);
  assertType<Equal<typeof lease.port, number>>(true);
  assertType<Equal<ReturnType<typeof lease.release>, Promise<void>>>(true);
  // @ts-expect-error the port is read-only
  lease.port = 1;
  await lease.release();

  await using scoped = await leasePort();
  assertType<Equal<typeof scoped.port, number>>(true);

  const group = await leasePorts(3, { exclude: [3000], signal: AbortSignal.timeout(5000) });
  assertType<Equal<typeof group, PortLease[]>>(true);

  const web = await leasePort({ sticky: 'web', stickyScope: 'acme' });
  assertType<Equal<typeof web.sticky, string | undefined>>(true);
  await leasePorts(3, { sticky: ['api', undefined, 'db'] });
  await leasePorts(5, { contiguous: true, sticky: 'brokers' });
  // @ts-expect-error contiguous is a boolean
  await leasePorts(5, { contiguous: 'yes' });
  // @ts-expect-error a sticky name is a string
  await leasePort({ sticky: 1 });

  const options: LeaseOptions = { lockDir: '/tmp/locks', hosts: ['127.0.0.1'], exclude: new Set([8080]) };
  await leasePort(options);
  // @ts-expect-error a range is a [min, max] pair
  await leasePort({ range: [20000] });
  // @ts-expect-error a range is numbers, not "min-max" (that is PORTLEASE_RANGE's form)
  await leasePort({ range: '20000-29999' });
  // @ts-expect-error owner is a label
  await leasePort({ owner: 42 });

  assertType<Equal<ReturnType<typeof parseRange>, [number, number]>>(true);
}

export function errors(error: unknown): string | undefined {
  if (error instanceof PortleaseError) {
    assertType<Equal<typeof error.code, PortleaseErrorCode>>(true);
    if (error.code === 'RANGE_EXHAUSTED') return error.message;
    // @ts-expect-error codes are a closed set
    if (error.code === 'NO_SUCH_CODE') return undefined;
  }
  return undefined;
}

export async function inspecting(): Promise<void> {
  const leases = await listLeases({ lockDir: '/tmp/locks' });
  assertType<Equal<typeof leases, LeaseInfo[]>>(true);
  assertType<Equal<LeaseInfo['status'], 'alive' | 'stale' | 'unknown'>>(true);
  const gc = await collectGarbage();
  assertType<Equal<typeof gc, GcResult>>(true);
}

export async function servers(): Promise<void> {
  const server = await startServer({ command: ['node', 'server.js'], lease: { owner: 'api' } });
  assertType<Equal<typeof server, RunningServer>>(true);
  assertType<Equal<typeof server.url, string>>(true);
  await server.stop();
}
