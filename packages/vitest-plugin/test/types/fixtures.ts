// The fixtures' types: scopes' values, functions, and extension with the user's own fixtures.
import { expect, type PortleaseFixtures, type RunningServer, test } from '@portlease/vitest/test';

test('fixture types', async ({ port, ports, leasePort, startServer, leaseOptions }) => {
  const worker: number = port;
  const extra: number = await leasePort({ range: [20000, 20999] });
  const server: RunningServer = await startServer({ command: ['node', 'server.js', '--port', '{port}'] });
  const inProcess = await startServer({ start: (p) => ({ close: () => p }) });
  const url: string = server.url;
  const api: number = ports.api;
  const lockDir: string | undefined = leaseOptions.lockDir;
  expect([worker, extra, inProcess.port, api, url, lockDir]).toBeDefined();
  // @ts-expect-error the test's own signal is used: a lease's abort signal is not an option here
  await leasePort({ signal: AbortSignal.timeout(1000) });
  // @ts-expect-error startServer needs options
  await startServer();
});

// Your own fixtures on top: a file-scoped server built on the worker's lease options.
const withApi = test.extend<{ api: string }>({
  api: async ({ port }, use) => {
    await use(`http://127.0.0.1:${port}`);
  },
});
withApi('extended', ({ api, port }) => {
  const both: [string, number] = [api, port];
  expect(both).toHaveLength(2);
});

test.override({ leaseOptions: { range: [21000, 21999] } });

const value: PortleaseFixtures['port'] = 1;
expect(value).toBe(1);
