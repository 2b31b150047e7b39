import { portlease } from '@portlease/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One run-wide port, `auth`, leased once for the whole run (and the whole watch session).
  plugins: [portlease({ ports: ['auth'] })],
  test: {
    include: ['specs/**/*.spec.ts'],
    // Starts the auth stub on the run-wide port, before any test file.
    globalSetup: ['./specs/global-setup.ts'],
    // These tests start real processes: the `api` fixture runs `node src/api.mjs` under portlease's
    // supervisor, two Node start-ups before the file's first test can run, and Vitest counts fixture
    // setup in that test's time. Idle that is well under a second; on a busy 2-core CI runner (other
    // test runs, browsers) it can take several, so Vitest's default 5 s fails healthy tests. Above
    // startServer's readyTimeout (30 s by default), so a server that never listens still fails with
    // portlease's SERVER_TIMEOUT and the server's output, not a bare "Test timed out".
    testTimeout: 40_000,
  },
});
