// `globalSetup: '@portlease/jest/global-setup'`: Jest calls the default export in its parent process.
import { globalSetup } from './global/setup.js';

export default globalSetup;
export {
  createGlobalSetup,
  type GlobalSetupContext,
  globalSetup,
  type JestGlobalHook,
  leaseGlobalPorts,
  type ProjectConfigLike,
} from './global/setup.js';
export type { GlobalServerOptions, PortleaseGlobalOptions } from './options.js';
export type { GlobalPortsInfo } from './shared.js';
