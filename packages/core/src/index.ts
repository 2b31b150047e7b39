/**
 * portlease: free TCP ports for tests, unique across workers, shards and processes. The product API;
 * adapters and tools find the option schema in `portlease/adapter`.
 */
export { PortleaseError, type PortleaseErrorCode } from './errors.js';
export { leasePort, leasePorts } from './lease/allocator.js';
export {
  type FindLeaseOptions,
  findLease,
  type WaitForLeaseOptions,
  waitForLease,
} from './lease/find-lease.js';
export {
  collectGarbage,
  type GcResult,
  type InspectOptions,
  type LeaseInfo,
  listLeases,
} from './lease/inspect.js';
export type { PortLease } from './lease/lease.js';
export type { LeaseOptions, LeasePortsOptions } from './options/resolve.js';
export { parseRange } from './options/schema.js';
export { defaultLockDir } from './platform/default-lock-dir.js';
export { defaultRange, type EphemeralRange, ephemeralRange, UNSAFE_PORTS } from './platform/ports.js';
export type { Protocol } from './platform/probe-udp.js';
export {
  type RunningServer,
  type StartServerOptions,
  type Stoppable,
  startServer,
} from './server/start-server.js';
