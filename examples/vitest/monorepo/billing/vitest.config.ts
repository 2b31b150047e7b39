// A second package of the monorepo, tested by its own Vitest process at the same time as the first.
import { portlease } from '@portlease/vitest';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [portlease({ ports: ['ledger'] })],
  test: { include: ['specs/**/*.spec.ts'] },
});
