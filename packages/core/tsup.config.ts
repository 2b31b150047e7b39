import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

export default defineConfig([
  {
    ...library,
    // One shared chunk for the entries: a process importing both portlease and portlease/get-port
    // loads the core once (issue 25).
    splitting: true,
    entry: {
      index: 'src/index.ts',
      adapter: 'src/adapter.ts',
      supervisor: 'src/server/supervisor.ts',
      'get-port': 'src/get-port/get-port.ts',
      // The workspace's tests read the lock directory through this (store/leftovers.ts); not exported.
      testing: 'src/store/leftovers.ts',
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
