import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

// A re-export, never a copy: importers of get-port share the core's one lease state with importers
// of portlease/get-port (clearLockedPorts frees both).
const external = ['portlease', 'portlease/get-port'];

export default defineConfig([
  { ...library, format: ['esm'], entry: { index: 'src/index.ts' }, external },
  // CommonJS from its own source (see src/require.cts), with index.ts's types.
  {
    ...library,
    format: ['cjs'],
    entry: { index: 'src/require.cts' },
    dts: { entry: { index: 'src/index.ts' } },
    external,
    clean: false,
  },
]);
