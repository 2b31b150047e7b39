// Type tests of the public API: checked by `tsc -p test/types` (the package's typecheck script).
import { test as base, defineConfig, mergeTests, type TestType } from '@playwright/test';
import {
  expect,
  leaseRunPort,
  leaseRunPortSync,
  type PortleaseTestFixtures,
  type PortleaseWorkerFixtures,
  type PortleaseWorkerOptions,
  portleaseFixtures,
  test,
  type WorkerServer,
} from '@portlease/playwright';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T) => {};
declare const firstPort: number;

test('fixtures have their types', async ({ serverPort, server, leasePort, baseURL, page }) => {
  assertType<Equal<typeof serverPort, number>>(true);
  assertType<Equal<typeof server, WorkerServer>>(true);
  assertType<Equal<typeof server.url, string>>(true);
  assertType<Equal<typeof server.pid, number | undefined>>(true);
  assertType<Equal<ReturnType<typeof leasePort>, Promise<number>>>(true);
  assertType<Equal<typeof baseURL, string | undefined>>(true);
  const port: number = await leasePort('db');
  await page.goto(`${server.url}/?extra=${port}`);
  expect(server.output()).toContain('listening');
  // @ts-expect-error the server is read-only
  server.port = 1;
  // @ts-expect-error a label is a string
  await leasePort(42);
  // @ts-expect-error workers do not stop the server themselves: teardown does
  await server.stop();
});

test.beforeAll(async ({ serverPort, server }) => {
  assertType<Equal<typeof serverPort, number>>(true);
  assertType<Equal<typeof server, WorkerServer>>(true);
});

test.use({ portlease: { range: [20000, 29999], owner: 'shop e2e', lockDir: '/tmp/locks' } });
test.use({ workerServer: { command: ['node', 'server.js', '--port', '{port}'], readyTimeout: 10_000 } });
test.use({ workerServer: { start: (port) => ({ stop: () => port }) } });
test.use({ workerServer: undefined });
// @ts-expect-error the port of a worker server is the worker's leased port, not an option
test.use({ workerServer: { command: 'node server.js', port: firstPort } });
// @ts-expect-error ranges are [min, max] pairs
test.use({ portlease: { range: [20000] } });
// @ts-expect-error an abort signal is not a config option
test.use({ portlease: { signal: AbortSignal.timeout(1) } });

// The fixtures object onto your own test, or mergeTests with another test type.
const extended = base.extend(portleaseFixtures);
extended('extended', async ({ serverPort }) => {
  assertType<Equal<typeof serverPort, number>>(true);
});
const other = base.extend<{ todo: string }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  todo: async ({}, use) => use('x'),
});
const merged = mergeTests(other, test);
merged('merged', async ({ todo, server }) => {
  assertType<Equal<typeof todo, string>>(true);
  assertType<Equal<typeof server.url, string>>(true);
});
const asTestType: TestType<PortleaseTestFixtures, PortleaseWorkerFixtures> = test;
void asTestType;

// Config: run-wide ports and the options, typed through defineConfig's worker options.
const web: Promise<number> = leaseRunPort({ name: 'web', range: [20000, 29999] });
const api: number = leaseRunPortSync({ name: 'api', exclude: [20001] });
// @ts-expect-error the sync variant cannot take hosts
leaseRunPortSync({ hosts: ['127.0.0.1'] });
void web;
export default defineConfig<object, PortleaseWorkerOptions>({
  webServer: { command: 'node server.js', port: api },
  use: {
    baseURL: `http://127.0.0.1:${api}`,
    portlease: { owner: 'shop e2e' },
    workerServer: { command: 'node server.js', env: { DATABASE: 'test' } },
  },
});
defineConfig<object, PortleaseWorkerOptions>({
  // @ts-expect-error unknown option field
  use: { portlease: { ranges: [1, 2] } },
});

// Relative navigations to the worker's server, and a test type that picks its own ports.
const withBaseURL = test.extend({ baseURL: async ({ server }, use) => use(server.url) });
withBaseURL('goes to /', async ({ page, baseURL }) => {
  assertType<Equal<typeof baseURL, string | undefined>>(true);
  await page.goto('/');
});
const ownPorts = test.extend({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  serverPort: [async ({}, use, { parallelIndex }) => use(firstPort + parallelIndex), { scope: 'worker' }],
});
void ownPorts;
