// Type tests of typed port names: augmenting the name interfaces narrows the helpers.
import { globalPort, globalUrl, type namedPorts, port } from '@portlease/jest';

declare module '@portlease/jest' {
  interface PortleaseJestPortNames {
    api: number;
    web: number;
  }
  interface PortleaseJestGlobalNames {
    registry: number;
  }
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T) => {};

port();
port('api');
port('web');
// @ts-expect-error not a declared name
port('db');
assertType<Equal<ReturnType<typeof namedPorts>, Record<'api' | 'web', number>>>(true);
globalUrl('registry');
globalPort('registry');
// @ts-expect-error not a declared global name
globalUrl('api');
