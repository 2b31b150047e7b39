import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

export default defineConfig({
  ...library,
  entry: { index: 'src/index.ts' },
  // Peers and the core stay imports: one copy of @playwright/test, and core's shared lease state.
  external: ['@playwright/test', 'portlease'],
});
