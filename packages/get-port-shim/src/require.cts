// The CommonJS build's source (its types are index.ts's): portlease/get-port's CommonJS exports,
// taken one by one with `require`. Bundled from index.ts instead, the bundler's ESM interop would set
// `default` to portlease/get-port's whole exports object rather than getPort.
import getPortModule = require('portlease/get-port');

export default getPortModule.default;
export const portNumbers = getPortModule.portNumbers;
export const clearLockedPorts = getPortModule.clearLockedPorts;
