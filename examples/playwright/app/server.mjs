// A tiny counter app: `/` shows a count fetched from `/api/count` and a button that posts to
// `/api/increment`. The count lives in memory, so each running server has its own: tests that change
// it need a server of their own, which is what the per-worker server gives them.
// Listens on $PORT. Says who it serves in the page, so a test can tell its server from another's.
import { createServer } from 'node:http';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('app/server.mjs: set PORT to the port to listen on');
  process.exit(2);
}
const worker = process.env.TEST_WORKER_INDEX;
const servedBy = `${worker === undefined ? 'the whole run' : `worker ${worker}`} of run ${process.env.RUN_LABEL ?? 'local'}`;
let count = 0;

const page = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Counter</title></head>
<body>
  <h1>Counter</h1>
  <p>Count: <output id="count">…</output></p>
  <button type="button" id="increment">Increment</button>
  <p>Served by <span data-testid="served-by">${servedBy}</span> on port ${port}</p>
  <script>
    const show = async (response) => {
      document.getElementById('count').textContent = (await response.json()).count;
    };
    document.getElementById('increment').onclick = async () => show(await fetch('/api/increment', { method: 'POST' }));
    fetch('/api/count').then(show);
  </script>
</body>
</html>`;

const routes = {
  'GET /': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page),
  'GET /health': (res) => json(res, { ok: true, port, servedBy }),
  'GET /api/count': (res) => json(res, { count }),
  'POST /api/increment': (res) => json(res, { count: ++count }),
  'POST /api/reset': (res) => {
    count = 0;
    json(res, { count });
  },
};

function json(res, body) {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const route = routes[`${req.method} ${new URL(req.url, 'http://x').pathname}`];
  if (route) route(res);
  else res.writeHead(404).end('not found');
});
// Playwright's `request` fixture keeps connections alive and reuses them within a test. With Node's
// default 5 s keep-alive timeout, a test slower than that between two requests (seven clicks on a
// loaded CI machine) can send its next request on a socket this server is just closing: the request
// fails with `socket hang up (ECONNRESET)`. Idle connections stay open longer than any test.
server.keepAliveTimeout = 120_000;
server.listen(port, '127.0.0.1', () => console.log(`counter app (${servedBy}) listening on ${port}`));
