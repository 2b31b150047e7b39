import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { leaseRunPort, type PortleaseWorkerOptions } from '@portlease/playwright';

const app = fileURLToPath(new URL('./app/server.mjs', import.meta.url));

// Leased once, in the runner's main process; workers evaluate this file again and get the same port.
// Held until the run ends. (Top-level await: this package is "type": "module".)
const sharedPort = await leaseRunPort({ name: 'shared' });
const sharedURL = `http://127.0.0.1:${sharedPort}`;

export default defineConfig<object, PortleaseWorkerOptions>({
  testDir: 'specs',
  fullyParallel: true,
  workers: Number(process.env.WORKERS ?? 4),
  reporter: process.env.CI ? 'line' : 'list',
  outputDir: process.env.OUTPUT_DIR ?? 'test-results',
  // One server for the whole run, on the leased port.
  webServer: {
    command: `node ${JSON.stringify(app)}`,
    env: { PORT: String(sharedPort) },
    url: `${sharedURL}/health`,
    reuseExistingServer: false,
  },
  use: {
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
    // One server per worker, on the worker's leased port ($PORT): the `server` fixture.
    workerServer: { command: ['node', app] },
  },
  projects: [
    { name: 'per-worker', testMatch: 'counter.spec.ts' },
    { name: 'shared', testMatch: 'shared.spec.ts', use: { baseURL: sharedURL } },
  ],
});
