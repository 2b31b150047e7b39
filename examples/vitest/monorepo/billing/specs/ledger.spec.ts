import { createServer } from 'node:http';
import { expect, providedPort, test } from '@portlease/vitest/test';
import { logPort } from '../../../src/port-log.mjs';

test('the run-wide ledger port is this process’s alone', async ({ port }) => {
  const since = Date.now();
  const ledger = providedPort('ledger');
  const server = createServer((_req, res) => res.end('ledger')).listen(ledger);
  await new Promise((resolve) => server.once('listening', resolve));
  expect(await (await fetch(`http://127.0.0.1:${ledger}`)).text()).toBe('ledger');
  expect(ledger).not.toBe(port);
  logPort('billing ledger', ledger, since);
  logPort('billing worker', port, since);
  await new Promise((resolve) => server.close(resolve));
});
