// `testEnvironment: '@portlease/jest'` loads this module: the environment is its default export (Jest
// requires that of an ESM environment) and `TestEnvironment`. Tests importing `@portlease/jest` get
// the helpers alone (./ports.ts, through the environment's export condition); they are re-exported
// here too for the types and for other environments.
import { PortleaseEnvironment } from './environment.js';

export default PortleaseEnvironment;
export type {
  GlobalServerOptions,
  PortleaseEnvironmentOptions,
  PortleaseGlobalOptions,
  PortleaseLeaseOptions,
} from './options.js';
export * from './ports.js';
export { PortleaseEnvironment, PortleaseEnvironment as TestEnvironment };
