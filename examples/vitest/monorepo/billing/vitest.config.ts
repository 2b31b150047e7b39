// A second package of the monorepo, tested by its own Vitest process at the same time as the first.
import { portlease } from '@portlease/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [portlease({ ports: ['ledger'] })],
  test: {
    include: ['specs/**/*.spec.ts'],
    // Each test starts the API as a child process: seconds on a busy CI runner, more than Vitest's
    // default 5 s; above startServer's readyTimeout (30 s). See ../../vitest.config.ts.
    testTimeout: 40_000,
  },
});
