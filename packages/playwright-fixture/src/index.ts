export { expect } from '@playwright/test';
export { portleaseFixtures, test } from './fixtures.js';
export { leaseRunPort, leaseRunPortSync, type RunPortOptions, type RunPortSyncOptions } from './run-port.js';
export type {
  PortleaseOptions,
  PortleaseTestFixtures,
  PortleaseWorkerFixtures,
  PortleaseWorkerOptions,
  WorkerServer,
  WorkerServerOptions,
} from './types.js';
