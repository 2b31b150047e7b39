// The app under test: a real HTTP server listening on $PORT (given by startServer).
const http = require('node:http');

const port = Number(process.env.PORT);
const name = process.env.SERVER_NAME ?? 'app';

http
  .createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/hello') {
      res.end(JSON.stringify({ hello: url.searchParams.get('name') ?? 'world', server: name, port }));
    } else {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: 'not found' }));
    }
  })
  .listen(port, '127.0.0.1', () => console.log(`${name} listening on ${port}`));
