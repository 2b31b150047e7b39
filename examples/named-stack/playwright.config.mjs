import { defineConfig } from '@playwright/test';
import { findLease } from 'portlease';

// The stack runs in other processes (`pnpm run api`, `pnpm run web`): find both by name, in this
// project (the nearest directory with a package.json: each worktree has its own `api` and `web`).
const [api, web] = await Promise.all([findLease('api'), findLease('web')]);
if (api === undefined || web === undefined) {
  throw new Error(
    `No live lease named ${api === undefined ? 'api' : 'web'} in this project: start the stack first (pnpm run api, pnpm run web).`,
  );
}
process.env.API_PORT = String(api.port);

export default defineConfig({
  testDir: 'specs',
  workers: 1,
  reporter: process.env.CI ? 'line' : 'list',
  outputDir: process.env.OUTPUT_DIR ?? 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${web.port}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
});
