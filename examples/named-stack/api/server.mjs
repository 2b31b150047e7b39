// The API: one JSON route, on the port `portlease run --name api` leased ($PORT). Another process
// finds that port by the name `api`: `portlease port api`, or findLease('api') / waitForLease('api').
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('api/server.mjs: start it with `portlease run --name api -- node api/server.mjs`');
  process.exit(2);
}

const server = createServer((request, response) => {
  if (request.url === '/api/greeting') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: 'Hello from the API', port }));
    return;
  }
  response.writeHead(404).end();
});
// Playwright's `request` reuses kept-alive connections: keep them open longer than a test takes.
server.keepAliveTimeout = 120_000;
server.listen(port, '127.0.0.1', () => console.log(`api: http://127.0.0.1:${port}`));
