// Every test file gets its own leased port from the portlease environment, and the whole run shares
// one suite-wide server started by portlease's global setup. Ports stay unique across the workers
// and across Jest runs sharing the lock directory (e.g. CI shards on one host).
/** @type {import('jest').Config} */
module.exports = {
  roots: ['<rootDir>/specs'],
  testEnvironment: '@portlease/jest',
  // Also the limit of the beforeAll that starts the file's server: Jest's default 5 s is too short on a
  // loaded CI machine (two shards of 4 workers each start a Node server per file on 2 cores), and it
  // stays above startServer's 30 s readyTimeout, so a server that never listens reports SERVER_TIMEOUT.
  testTimeout: 40_000,
  globalSetup: '@portlease/jest/global-setup',
  globalTeardown: '@portlease/jest/global-teardown',
  testEnvironmentOptions: {
    portlease: {
      // One port per test file (the default), named for readability: port('app').
      names: ['app'],
      // Started once in Jest's parent process before the workers, stopped at global teardown.
      global: { servers: { registry: { command: ['node', 'server.js'], env: { SERVER_NAME: 'registry' } } } },
    },
  },
};
