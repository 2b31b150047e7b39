import { fileURLToPath } from 'node:url';
import { expect, test } from '@portlease/vitest/test';
import { logPort } from '../../../src/port-log.mjs';

const apiScript = fileURLToPath(new URL('../../../src/api.mjs', import.meta.url));

test.for(['first', 'second'])(
  'the %s test gets a fresh API on its own port',
  async (_name, { startServer }) => {
    const since = Date.now();
    const api = await startServer({ command: [process.execPath, apiScript] });
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
    logPort('billing api', api.port, since);
  },
);
