// Checked by `tsc` against the built declarations, with Vitest 4 (tsconfig.json) and Vitest 5
// (tsconfig.v5.json). Port names are declared: every access is a number, unknown names do not compile.
import { type PortleaseVitestOptions, portlease } from '@portlease/vitest';
import setup from '@portlease/vitest/global-setup';
import { providedPort } from '@portlease/vitest/test';
import { inject } from 'vitest';
import { defineConfig } from 'vitest/config';
import type { TestProject } from 'vitest/node';

declare module '@portlease/vitest' {
  interface PortleasePorts {
    api: number;
    web: number;
  }
}

const ports = inject('portlease');
const api: number = ports.api;
const web: number = providedPort('web');
// @ts-expect-error not a declared port name
ports.db;
// @ts-expect-error not a declared port name
providedPort('db');
// @ts-expect-error provided values are read-only
ports.api = api + web;

const options: PortleaseVitestOptions = inject('portleaseOptions');
const min: number | undefined = options.range?.[0];

export default defineConfig({
  plugins: [portlease({ ports: ['api', 'web'], range: [20000, 20999], lockDir: '/tmp/locks' })],
  test: {
    globalSetup: ['@portlease/vitest/global-setup'],
    provide: { portleaseOptions: { ports: ['api', 'web'], range: [20000, 20999] } },
  },
});

// @ts-expect-error a range is an inclusive [min, max] pair
portlease({ range: [20000] });
// @ts-expect-error port names are strings
portlease({ ports: [3000] });
// @ts-expect-error provided options have the plugin's shape
defineConfig({ test: { provide: { portleaseOptions: { ports: 'api' } } } });

const globalSetup: (project: TestProject) => Promise<() => Promise<void>> = setup;

export { globalSetup, min };
