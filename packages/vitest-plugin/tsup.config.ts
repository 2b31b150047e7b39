import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', 'global-setup': 'src/global-setup.ts', test: 'src/test.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node20',
  platform: 'node',
  shims: true,
  clean: true,
  sourcemap: false,
  splitting: false,
  // Peers and the core stay imports: the user's one copy of vitest, and core's shared lease state.
  external: ['vitest', 'vitest/config', 'vitest/node', 'portlease'],
});
