import type { Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { authStub } from '../src/auth-stub.mjs';
import { logPort } from '../src/port-log.mjs';

// Runs in Vitest's main process after the plugin leased the run-wide ports.
export default async function setup(project: TestProject) {
  const { auth } = project.getProvidedContext().portlease;
  const since = Date.now();
  const server: Server = await new Promise((resolve) => {
    const stub = authStub().listen(auth, '127.0.0.1', () => resolve(stub));
  });
  return async () => {
    logPort('auth stub', auth, since);
    await new Promise((resolve) => server.close(resolve));
  };
}
