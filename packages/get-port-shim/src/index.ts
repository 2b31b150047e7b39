// `@portlease/get-port`: portlease/get-port under a package of its own, so it can be installed in the
// place of get-port ("get-port": "npm:@portlease/get-port@^0.1.0", or an override for dependencies
// that import get-port) and every `import getPort from 'get-port'` gets leased ports, with types.
export { clearLockedPorts, default, type Options, portNumbers } from 'portlease/get-port';
