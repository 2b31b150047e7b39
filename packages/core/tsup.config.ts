import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: { index: 'src/index.ts', supervisor: 'src/server/supervisor.ts', 'get-port': 'src/get-port.ts' },
    format: ['esm', 'cjs'],
    dts: { entry: { index: 'src/index.ts', 'get-port': 'src/get-port.ts' } },
    target: 'node20',
    platform: 'node',
    shims: true,
    clean: true,
    sourcemap: false,
    splitting: false,
  },
  {
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    clean: false,
    splitting: false,
  },
]);
