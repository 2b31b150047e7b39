import { test as portleaseTest } from '@portlease/playwright';

export { expect } from '@portlease/playwright';

// The shards demo (examples/shards-demo) sets NAIVE_BASE_PORT to run this suite the common way,
// `base + parallelIndex`, and show it colliding across concurrent shards. Normally: a leased port.
const naiveBase = Number(process.env.NAIVE_BASE_PORT) || undefined;
const withPorts =
  naiveBase === undefined
    ? portleaseTest
    : portleaseTest.extend({
        serverPort: [
          // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
          async ({}, use, { parallelIndex }) => use(naiveBase + parallelIndex),
          { scope: 'worker' },
        ],
      });

export const test = withPorts.extend<{ notePort: undefined }>({
  // Relative URLs (`page.goto('/')`, `request.post('/api/reset')`) go to this worker's own server.
  baseURL: async ({ server }, use) => use(server.url),
  // Notes the worker's port in the report (the shards demo prints them).
  notePort: [
    async ({ serverPort }, use, testInfo) => {
      testInfo.annotations.push({ type: 'serverPort', description: String(serverPort) });
      await use(undefined);
    },
    { auto: true },
  ],
});
