// Starts server.js as a child process on this test file's leased port (`$PORT`), before the file's
// tests, and stops it (the whole process tree) after them.
const { join } = require('node:path');
const { port, startServer } = require('@portlease/jest');

function useApp() {
  const app = {};
  beforeAll(async () => {
    const server = await startServer({
      command: ['node', join(__dirname, '..', 'server.js')],
      port: port('app'),
    });
    app.url = server.url;
    app.stop = () => server.stop();
  });
  afterAll(() => app.stop?.());
  return app;
}

module.exports = { useApp };
