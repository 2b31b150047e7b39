import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

export default defineConfig({
  ...library,
  entry: { index: 'src/index.ts', 'global-setup': 'src/global-setup.ts', test: 'src/test.ts' },
  // Peers and the core stay imports: the user's one copy of vitest, and core's shared lease state.
  external: ['vitest', 'vitest/config', 'vitest/node', 'portlease'],
});
