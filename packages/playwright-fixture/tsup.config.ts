import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  target: 'node20',
  platform: 'node',
  shims: true,
  clean: true,
  sourcemap: false,
  splitting: false,
  // Peers and the core stay imports: one copy of @playwright/test, and core's shared lease state.
  external: ['@playwright/test', 'portlease'],
});
