import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

export default defineConfig([
  {
    ...library,
    entry: {
      index: 'src/index.ts',
      adapter: 'src/adapter.ts',
      supervisor: 'src/server/supervisor.ts',
      'get-port': 'src/get-port/get-port.ts',
    },
    // The public types use Node's (`NodeJS.ProcessEnv`, `AsyncDisposable`, `Symbol.asyncDispose`):
    // the reference makes a consumer's TypeScript load @types/node even where its tsconfig does not
    // (TypeScript 7 includes no @types package unless told to by "types").
    dts: {
      entry: { index: 'src/index.ts', adapter: 'src/adapter.ts', 'get-port': 'src/get-port/get-port.ts' },
      banner: '/// <reference types="node" />',
    },
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
