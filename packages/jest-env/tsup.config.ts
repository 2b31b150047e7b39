import { defineConfig } from 'tsup';
import { library } from '../../tsup.base.js';

export default defineConfig({
  ...library,
  entry: {
    // The environment (what `testEnvironment: '@portlease/jest'` loads) plus the test-side helpers.
    index: 'src/index.ts',
    // The test-side helpers alone: what test files get inside Jest's vm (the environment adds the
    // `portlease-jest-test` export condition), so tests do not load jest-environment-node again.
    ports: 'src/ports.ts',
    'global-setup': 'src/global/setup.ts',
    'global-teardown': 'src/global/teardown.ts',
  },
  // The core stays an import (one copy of its shared lease state); Jest's packages are loaded at
  // run time from the Jest that is running (see src/base.ts).
  external: ['portlease', 'jest-environment-node'],
});
