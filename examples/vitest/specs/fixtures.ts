import { fileURLToPath } from 'node:url';
import { test as base, type RunningServer, startServer } from '@portlease/vitest/test';
import { logPort } from '../src/port-log.mjs';

const apiScript = fileURLToPath(new URL('../src/api.mjs', import.meta.url));

/**
 * `test` with an `api` fixture: the API started once per test file on a port leased for it, talking to
 * the run-wide auth stub. Stopped (and its port released) after the file's last test.
 */
export const test = base.extend<{ api: RunningServer }>({
  api: [
    async ({ ports, leaseOptions }, use) => {
      const api = await startServer({
        command: [process.execPath, apiScript],
        env: { AUTH_URL: `http://127.0.0.1:${ports.auth}` },
        lease: { ...leaseOptions, owner: 'example api' },
      });
      const since = Date.now();
      await use(api);
      logPort('api', api.port, since);
      await api.stop();
    },
    { scope: 'file' },
  ],
});

export { expect } from '@portlease/vitest/test';
