import { createServer } from 'node:http';
import { logPort } from '../src/port-log.mjs';
import { expect, test } from './fixtures.js';

// `port` is leased once per worker; `startServer` stops what it started after each test.
test('a worker port and an in-process server', async ({ port, startServer }) => {
  const since = Date.now();
  const echo = await startServer({ start: (p) => createServer((_req, res) => res.end('echo')).listen(p) });
  expect(await (await fetch(echo.url)).text()).toBe('echo');
  expect(echo.port).not.toBe(port);
  logPort('worker port', port, since);
  logPort('echo server', echo.port, since);
});
