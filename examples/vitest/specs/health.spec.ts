import { inject } from 'vitest';
import { logPort } from '../src/port-log.mjs';
import { expect, test } from './fixtures.js';

test('each file has its own API on its own port', async ({ api }) => {
  const health = (await (await fetch(`${api.url}/health`)).json()) as { ok: boolean };
  expect(health.ok).toBe(true);
  expect(api.port).not.toBe(inject('portlease').auth);
});

test.concurrent.for(['a', 'b', 'c'])(
  'concurrent test %s leases its own port',
  async (_name, { leasePort }) => {
    const since = Date.now();
    const port = await leasePort();
    expect(port).toBeGreaterThan(1023);
    await new Promise((resolve) => setTimeout(resolve, 20));
    logPort('concurrent test', port, since);
  },
);
