// A stand-in for the auth service the API calls: knows one token.
import { createServer } from 'node:http';

export function authStub() {
  return createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://stub').searchParams.get('token');
    res.writeHead(token === 'secret' ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(token === 'secret' ? { name: 'Ada' } : { error: 'unknown' }));
  });
}
