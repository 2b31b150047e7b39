// The HTTP API under test: `node src/api.mjs` listens on $PORT and asks the auth service at $AUTH_URL
// who a bearer token belongs to.
import { createServer } from 'node:http';

const authUrl = process.env.AUTH_URL;

const server = createServer(async (req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.url === '/health') return send(200, { ok: true, pid: process.pid });
  if (req.url === '/me') {
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    const auth = await fetch(`${authUrl}/verify?token=${encodeURIComponent(token)}`);
    if (!auth.ok) return send(401, { error: 'unknown token' });
    return send(200, await auth.json());
  }
  send(404, { error: 'not found' });
});

server.listen(Number(process.env.PORT), () => console.log(`api listening on ${process.env.PORT}`));
