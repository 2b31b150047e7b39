import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

export default defineConfig([
  {
    ...library,
    entry: { index: 'src/index.ts', supervisor: 'src/server/supervisor.ts', 'get-port': 'src/get-port/get-port.ts' },
    dts: { entry: { index: 'src/index.ts', 'get-port': 'src/get-port/get-port.ts' } },
  },
  {
    ...library,
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
    clean: false,
  },
]);
