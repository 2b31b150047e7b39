import { portlease } from '@portlease/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // One run-wide port, `auth`, leased once for the whole run (and the whole watch session).
  plugins: [portlease({ ports: ['auth'] })],
  test: {
    include: ['specs/**/*.spec.ts'],
    // Starts the auth stub on the run-wide port, before any test file.
    globalSetup: ['./specs/global-setup.ts'],
  },
});
