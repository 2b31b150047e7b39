export { leasePort, leasePorts } from './allocator.js';
export { defaultLockDir } from './default-lock-dir.js';
export { PortleaseError, type PortleaseErrorCode } from './errors.js';
export { collectGarbage, type GcResult, type InspectOptions, type LeaseInfo, listLeases } from './inspect.js';
export {
  type FindLeaseOptions,
  findLease,
  type WaitForLeaseOptions,
  waitForLease,
} from './lease/find-lease.js';
export { PortLease } from './lease.js';
export { assertKnownKeys, invalidOption } from './option-errors.js';
export { checkLeaseFields, DEFAULT_HOSTS, type LeaseOptions, parseRange, validateRange } from './options.js';
export { defaultRange, type EphemeralRange, ephemeralRange, UNSAFE_PORTS } from './ports.js';
export {
  type RunningServer,
  type StartServerOptions,
  type Stoppable,
  startServer,
} from './server/start-server.js';
export { START_SERVER_OPTION_KEYS } from './server/validate.js';
