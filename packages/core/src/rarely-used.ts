/*
 * The one chunk on-demand.ts loads: the API a process that only leases never calls. One module, so
 * that the build cuts one chunk for them (esbuild makes a chunk per set of entry points using a piece
 * of code, dynamic imports included: three targets cut the lease core into four files, every
 * `import('portlease')` then reading and compiling each).
 */
export { findLease, waitForLease } from './lease/find-lease.js';
export { collectGarbage, listLeases } from './lease/inspect.js';
export { type NamedServers, startNamedServers } from './server/server-group.js';
export { startServer } from './server/start-server.js';
