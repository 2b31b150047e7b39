export { PortleaseError, type PortleaseErrorCode } from './errors.js';
export { leasePort, leasePorts } from './lease/allocator.js';
export {
  collectGarbage,
  type GcResult,
  type InspectOptions,
  type LeaseInfo,
  listLeases,
} from './lease/inspect.js';
export { PortLease } from './lease/lease.js';
export { assertKnownKeys, invalidOption } from './options/errors.js';
export {
  checkLeaseFields,
  DEFAULT_HOSTS,
  type LeaseOptions,
  parseRange,
  validateRange,
} from './options/resolve.js';
export { defaultLockDir } from './platform/default-lock-dir.js';
export { defaultRange, type EphemeralRange, ephemeralRange, UNSAFE_PORTS } from './platform/ports.js';
export {
  type RunningServer,
  type StartServerOptions,
  type Stoppable,
  startServer,
} from './server/start-server.js';
export { START_SERVER_OPTION_KEYS } from './server/validate.js';
