import {
  test as base,
  type Fixtures,
  type PlaywrightTestArgs,
  type PlaywrightTestOptions,
  type PlaywrightWorkerArgs,
  type PlaywrightWorkerOptions,
  type TestType,
} from '@playwright/test';
import { type LeaseOptions, leasePort, type PortLease, startServer } from 'portlease';
import { invalidOption, scopedIfSticky, settleAll, withErrorContext } from 'portlease/adapter';
import { workerLabel } from './labels.js';
import { checkPortleaseOptions, checkWorkerServer } from './options.js';
import { serverPortKey } from './sticky-key.js';
import type { PortleaseTestFixtures, PortleaseWorkerFixtures } from './types.js';

/**
 * Generous upper bound for starting the worker server: `startServer` gives up first (its
 * `readyTimeout`, 30 s by default) with the server's output in the error.
 */
const SERVER_FIXTURE_TIMEOUT = 120_000;

/** A lease with the checked `portlease` option; failures (e.g. `RANGE_EXHAUSTED`) say whose it was. */
function lease(options: LeaseOptions, what: string): Promise<PortLease> {
  return withErrorContext(`portlease could not lease ${what}`, () => leasePort(options));
}

const fixtures: Fixtures<
  PortleaseTestFixtures,
  PortleaseWorkerFixtures,
  PlaywrightTestArgs & PlaywrightTestOptions,
  PlaywrightWorkerArgs & PlaywrightWorkerOptions
> = {
  portlease: [{}, { scope: 'worker', option: true }],
  workerServer: [undefined, { scope: 'worker', option: true }],

  serverPort: [
    async ({ portlease }, use, info) => {
      const { sticky, stickyScope, ...options } = checkPortleaseOptions(portlease, 'use.portlease');
      const owner = workerLabel(options.owner, info);
      const held = await lease(
        scopedIfSticky({ ...options, owner, sticky: serverPortKey(sticky, info), stickyScope }),
        `the serverPort of "${owner}"`,
      );
      try {
        await use(held.port);
      } finally {
        await held.release();
      }
    },
    { scope: 'worker' },
  ],

  // Runs on `serverPort`, so a test type that overrides `serverPort` moves the server with it.
  server: [
    async ({ workerServer, serverPort, portlease }, use, info) => {
      if (workerServer === undefined) {
        throw invalidOption(
          'use.workerServer',
          'is not set, and the `server` fixture needs it: set `use: { workerServer: { command: [...] } }` in playwright.config (or `test.use({ workerServer })`), or use `serverPort` and start the server yourself.',
        );
      }
      const options = checkWorkerServer(workerServer, 'use.workerServer');
      const owner = workerLabel(portlease.owner, info);
      const running = await withErrorContext(`The workerServer of "${owner}" did not start`, () =>
        startServer({ ...options, port: serverPort }),
      );
      try {
        const { port, url, pid } = running;
        await use({ port, url, pid, output: () => running.output() });
      } finally {
        await running.stop();
      }
    },
    { scope: 'worker', timeout: SERVER_FIXTURE_TIMEOUT },
  ],

  leasePort: async ({ portlease }, use, testInfo) => {
    // `sticky` is the worker's serverPort's: a test's extra ports are never sticky.
    const {
      sticky: _sticky,
      stickyScope: _scope,
      ...options
    } = checkPortleaseOptions(portlease, 'use.portlease');
    const leases: PortLease[] = [];
    const owner = `${workerLabel(options.owner, testInfo)} test=${JSON.stringify(testInfo.title)}`;
    await use(async (label?: string) => {
      const labelled = label ? `${owner} ${label}` : owner;
      const held = await lease({ ...options, owner: labelled }, `a port for "${labelled}"`);
      leases.push(held);
      return held.port;
    });
    await settleAll(leases.map((held) => held.release()));
  },
};

/**
 * The fixtures as a plain object, for `base.extend(portleaseFixtures)` onto your own test. (With
 * another test type already built, `mergeTests(yourTest, test)` does the same.)
 *
 * @example
 * ```ts
 * import { test as base } from '@playwright/test';
 * import { portleaseFixtures } from '@portlease/playwright';
 *
 * export const test = base.extend(portleaseFixtures);
 * ```
 */
export const portleaseFixtures = fixtures;

/**
 * `@playwright/test`'s `test` with portlease's fixtures: `serverPort` and `server` per worker,
 * `leasePort()` per test, and the `portlease` / `workerServer` options.
 *
 * @example
 * ```ts
 * import { expect, test } from '@portlease/playwright';
 *
 * test('the app answers on its own port', async ({ page, server }) => {
 *   await page.goto(server.url);
 *   await expect(page.locator('h1')).toHaveText('Counter');
 * });
 * ```
 */
export const test: TestType<
  PlaywrightTestArgs & PlaywrightTestOptions & PortleaseTestFixtures,
  PlaywrightWorkerArgs & PlaywrightWorkerOptions & PortleaseWorkerFixtures
> = base.extend<PortleaseTestFixtures, PortleaseWorkerFixtures>(portleaseFixtures);
