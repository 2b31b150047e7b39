// `globalTeardown: '@portlease/jest/global-teardown'`: Jest calls the default export in its parent
// process after the last test file.
import { globalTeardown } from './global/teardown.js';

export default globalTeardown;
export { globalTeardown, releaseGlobalPorts } from './global/teardown.js';
