import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

export default defineConfig([
  {
    ...library,
    // Shared chunks for the public entries: a process importing both portlease and portlease/get-port
    // loads the core once (issue 25). Only they split: every other entry sharing code would cut the
    // chunks finer (esbuild makes one per set of entries using a piece of code), and each chunk is
    // one more file an import resolves, reads and compiles.
    splitting: true,
    entry: {
      index: 'src/index.ts',
      adapter: 'src/adapter.ts',
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
    // Whole files, no chunks: the supervisor runs in a process of its own (server/command-strategy.ts
    // starts it), and the workspace's tests read the lock directory through testing
    // (store/leftovers.ts; not exported). Neither shares state with the entries above.
    entry: { supervisor: 'src/server/supervisor.ts', testing: 'src/store/leftovers.ts' },
    dts: false,
    clean: false,
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
