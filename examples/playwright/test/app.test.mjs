// The counter app keeps idle keep-alive connections open for longer than any test. Playwright's
// `request` fixture reuses a kept-alive socket for a test's next request; with Node's default 5 s
// keep-alive timeout a slow test (under load) sent it on a socket the app was closing and failed with
// `apiRequestContext.get: socket hang up (ECONNRESET)`. Here: a real app process, a real socket left
// idle past the old timeout, then a second request on it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { leaseRunPort } from '@portlease/playwright';

const app = join(dirname(fileURLToPath(import.meta.url)), '..', 'app', 'server.mjs');

test('an idle keep-alive connection survives past 5 s and serves the next request', {
  timeout: 60_000,
}, async () => {
  const port = await leaseRunPort({ name: 'app-test' }); // held until this test process exits
  const child = spawn(process.execPath, [app], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise((resolve) => child.stdout.once('data', resolve)); // "listening on …"
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let closed = false;
    socket.setEncoding('utf8').on('data', (chunk) => {
      received += chunk;
    });
    socket.on('close', () => {
      closed = true;
    });
    const request = 'GET /health HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n';
    const responses = () => received.split('HTTP/1.1 200').length - 1;
    socket.write(request);
    while (responses() < 1) await new Promise((resolve) => setTimeout(resolve, 50));
    // Longer than Node's default keepAliveTimeout (5 s), shorter than a Playwright test.
    await new Promise((resolve) => setTimeout(resolve, 6_500));
    assert.equal(closed, false, 'the app closed an idle keep-alive connection a test could still reuse');
    socket.write(request);
    while (responses() < 2 && !closed) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(responses(), 2, received);
    socket.destroy();
  } finally {
    child.kill();
  }
});
