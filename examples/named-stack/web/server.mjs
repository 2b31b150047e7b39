// The web server: needs the API's URL. It waits for this project's lease named `api` to accept
// connections (waitForLease), so the two can be started in either order, in two terminals, and two
// checkouts of the project each talk to their own API. Listens on $PORT (`portlease run --name web`).
import { createServer } from 'node:http';
import { waitForLease } from 'portlease';

const port = Number(process.env.PORT);
if (!Number.isInteger(port) || port <= 0) {
  console.error('web/server.mjs: start it with `portlease run --name web -- node web/server.mjs`');
  process.exit(2);
}

const api = await waitForLease('api', { timeout: 120_000 });
const apiURL = `http://127.0.0.1:${api.port}`;

createServer(async (request, response) => {
  if (request.url !== '/') {
    response.writeHead(404).end();
    return;
  }
  const greeting = await (await fetch(`${apiURL}/api/greeting`)).json();
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Named stack</title></head>
<body>
  <h1 data-testid="message">${greeting.message}</h1>
  <p>Web on port <span data-testid="web-port">${port}</span>, API on port <span data-testid="api-port">${greeting.port}</span></p>
</body>
</html>
`);
}).listen(port, '127.0.0.1', () => console.log(`web: http://127.0.0.1:${port} (API at ${apiURL})`));
