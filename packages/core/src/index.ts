/**
 * portlease: free TCP ports for tests, unique across workers, shards and processes. The product API;
 * adapters and tools find the option schema in `portlease/adapter`.
 */
export { PortleaseError, type PortleaseErrorCode } from './errors.js';
export { leasePort, leasePorts } from './lease/allocator.js';
export type { FindLeaseOptions, WaitForLeaseOptions } from './lease/find-lease.js';
export type { GcResult, InspectOptions, LeaseInfo } from './lease/inspect.js';
export type { PortLease } from './lease/lease.js';
// Loaded on first call (on-demand.ts): a process that only leases never compiles them.
export { collectGarbage, findLease, listLeases, startServer, waitForLease } from './on-demand.js';
export type { LeaseOptions, LeasePortsOptions } from './options/resolve.js';
export { parseRange } from './options/schema.js';
export { defaultLockDir } from './platform/default-lock-dir.js';
export { defaultRange, type EphemeralRange, ephemeralRange, UNSAFE_PORTS } from './platform/ports.js';
export type { Protocol } from './platform/probe-udp.js';
export type { RunningServer, StartServerOptions, Stoppable } from './server/start-server.js';
