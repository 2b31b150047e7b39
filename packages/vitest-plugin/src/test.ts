import { basename } from 'node:path';
import { threadId } from 'node:worker_threads';
import {
  type LeaseOptions,
  leasePort as lease,
  type PortLease,
  PortleaseError,
  type RunningServer,
  type StartServerOptions,
  startServer as start,
} from 'portlease';
import { scopedIfSticky, settleAll } from 'portlease/adapter';
import { test as base, inject, type TestAPI } from 'vitest';
import { checkLeaseOptions, type PortleaseVitestOptions, toLeaseOptions } from './options.js';
import type { PortName, ProvidedPorts } from './provided.js';

export { expect } from 'vitest';
export type { PortleasePorts, PortName, ProvidedPorts } from './provided.js';

/** Lease options every lease of a worker shares: core's, less the ones that belong to one lease. */
export type WorkerLeaseOptions = Omit<LeaseOptions, 'signal' | 'sticky' | 'contiguous'>;

/**
 * Options of the `leasePort` fixture: the worker's lease options, plus `sticky`, a name under which this
 * port keeps its number run after run (`leasePort({ sticky: 'mail' })`; another port when that one is
 * taken, never a wait; scope: `stickyScope`, from the plugin's options by default).
 */
export type LeasePortOptions = WorkerLeaseOptions & { sticky?: string };

/** The worker-scoped fixtures `test` adds. */
export interface PortleaseWorkerFixtures {
  /**
   * Lock directory, range, exclusions and hosts for leases taken in this worker: from the portlease()
   * plugin (or `test.provide.portleaseOptions`), else the environment's. Override per file or suite
   * with `test.override({ leaseOptions: { range: [20000, 20999] } })`. Worker scope.
   */
  leaseOptions: WorkerLeaseOptions;
  /** The run-wide ports by name, as `inject('portlease')`. Worker scope. */
  ports: ProvidedPorts;
  /**
   * A port held by this worker for its whole life, released when the worker stops. Unique among all
   * workers (forks and threads alike) and every other portlease user. Worker scope: one per test file
   * with `isolate: true` (the default) and in the vm pools.
   */
  port: number;
}

/** The test-scoped fixtures `test` adds: each cleans up after its test. */
export interface PortleaseTestFixtures {
  /** Leases another port for this test; released when the test ends. Test scope. */
  leasePort: (options?: LeasePortOptions) => Promise<number>;
  /**
   * portlease's `startServer` for this test: the server gets a leased port (`$PORT`, `{port}`) and is
   * stopped, its port released, when the test ends. Test scope.
   */
  startServer: (options: StartServerOptions) => Promise<RunningServer>;
}

/** Every fixture `test` adds. */
export type PortleaseFixtures = PortleaseWorkerFixtures & PortleaseTestFixtures;

function workerLabel(): string {
  const pool = process.env.VITEST_POOL_ID ?? '?';
  return `vitest worker ${pool} (pid ${process.pid}${threadId ? `, thread ${threadId}` : ''})`;
}

function testLabel(task: { name: string; file?: { name: string } }): string {
  const file = task.file ? `${basename(task.file.name)} › ` : '';
  return `vitest ${file}${task.name}`;
}

function providedOptions(): PortleaseVitestOptions {
  return (inject('portleaseOptions') as PortleaseVitestOptions | undefined) ?? {};
}

/**
 * A run-wide port by name, with a readable error when the name was not configured.
 *
 * @example
 * ```ts
 * const api = providedPort('api'); // a number; throws if portlease({ ports }) has no 'api'
 * ```
 */
export function providedPort(name: PortName): number {
  const ports = (inject('portlease') as Record<string, number> | undefined) ?? {};
  const port = ports[name];
  if (typeof port === 'number') return port;
  const known = Object.keys(ports);
  throw new PortleaseError(
    'INVALID_OPTIONS',
    `No run-wide port named ${JSON.stringify(name)} was provided to this test (${known.length ? `provided: ${known.join(', ')}` : 'none provided'}). Add it to portlease({ ports: [...] }) in vitest.config (with test.projects: in every project that needs it, or use extends: true).`,
  );
}

/**
 * Vitest's `test` with portlease's fixtures: `port` (per worker), `leasePort()` and `startServer()` (per
 * test, cleaned up after it), `ports` (the run-wide ports) and `leaseOptions`. Extend it further with
 * your own fixtures (`test.extend({ ... })`).
 *
 * @example
 * ```ts
 * import { expect, test } from '@portlease/vitest/test';
 *
 * test('serves on its own port', async ({ startServer }) => {
 *   const api = await startServer({ command: ['node', 'server.js', '--port', '{port}'] });
 *   expect((await fetch(`${api.url}/health`)).ok).toBe(true);
 * }); // stopped and released here
 * ```
 */
export const test: TestAPI<PortleaseFixtures> = base.extend<{
  $worker: PortleaseWorkerFixtures;
  $test: PortleaseTestFixtures;
}>({
  leaseOptions: [
    // biome-ignore lint/correctness/noEmptyPattern: Vitest reads fixture dependencies from this pattern.
    async ({}, use) => {
      await use(toLeaseOptions(providedOptions()));
    },
    { scope: 'worker' },
  ],
  ports: [
    // biome-ignore lint/correctness/noEmptyPattern: Vitest reads fixture dependencies from this pattern.
    async ({}, use) => {
      await use(((inject('portlease') as ProvidedPorts | undefined) ?? {}) as ProvidedPorts);
    },
    { scope: 'worker' },
  ],
  port: [
    async ({ leaseOptions }, use) => {
      checkLeaseOptions(leaseOptions, 'leaseOptions');
      const held = await lease(scopedIfSticky({ ...leaseOptions, owner: workerLabel() }));
      try {
        await use(held.port);
      } finally {
        await held.release();
      }
    },
    { scope: 'worker' },
  ],
  leasePort: async ({ leaseOptions, task, signal }, use) => {
    const held: PortLease[] = [];
    try {
      checkLeaseOptions(leaseOptions, 'leaseOptions');
      await use(async (options) => {
        if (options !== undefined) checkLeaseOptions(options, 'leasePort() options', { sticky: true });
        const taken = await lease(
          scopedIfSticky({ owner: testLabel(task), ...leaseOptions, ...options, signal }),
        );
        held.push(taken);
        return taken.port;
      });
    } finally {
      await settleAll(held.map((taken) => taken.release()));
    }
  },
  startServer: async ({ leaseOptions, task }, use) => {
    const servers: RunningServer[] = [];
    let stopped: Promise<void> | undefined;
    try {
      await use(async (options) => {
        const server = await start({
          ...options,
          lease: scopedIfSticky({ owner: testLabel(task), ...leaseOptions, ...options.lease }),
        });
        servers.push(server);
        return server;
      });
    } finally {
      // Stop every server, even when one fails to stop; report the first failure after (not over a
      // failure of the test itself).
      stopped = settleAll(servers.map((server) => server.stop()));
      await stopped.catch(() => {});
    }
    await stopped;
  },
});

export type { LeaseOptions, RunningServer, StartServerOptions } from 'portlease';
export { startServer } from 'portlease';
export { PortleaseError };
