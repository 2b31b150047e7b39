// Type tests of the public API without augmentation: checked by `tsc -p test/types` (the package's
// typecheck script). test/types/named checks the typed port names.
import http from 'node:http';
import type Environment from '@portlease/jest';
import {
  type FilePorts,
  type GlobalServerOptions,
  type globalPort,
  type globalPorts,
  globalUrl,
  type namedPorts,
  PortleaseEnvironment,
  type PortleaseEnvironmentOptions,
  PortleaseError,
  port,
  type ports,
  type RunningServer,
  startServer,
  type TestEnvironment,
} from '@portlease/jest';
import globalSetup, {
  createGlobalSetup,
  type GlobalPortsInfo,
  leaseGlobalPorts,
} from '@portlease/jest/global-setup';
import type globalTeardown from '@portlease/jest/global-teardown';
import { releaseGlobalPorts } from '@portlease/jest/global-teardown';
import type { Config } from 'jest';
import type { TestEnvironment as NodeEnvironment } from 'jest-environment-node';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_: T) => {};

// The helpers: numbers, fresh arrays, any name without augmentation.
assertType<Equal<ReturnType<typeof port>, number>>(true);
assertType<Equal<ReturnType<typeof ports>, number[]>>(true);
assertType<Equal<ReturnType<typeof namedPorts>, Record<string, number>>>(true);
port();
port('api');
// @ts-expect-error a name is a string
port(1);
assertType<Equal<ReturnType<typeof globalPort>, number>>(true);
assertType<Equal<ReturnType<typeof globalPorts>, number[]>>(true);
assertType<Equal<ReturnType<typeof globalUrl>, string>>(true);
// @ts-expect-error globalUrl needs the server's name
globalUrl();

// The environment: default export, TestEnvironment and PortleaseEnvironment are one class, a
// jest-environment-node subclass that users may extend.
assertType<Equal<typeof Environment, typeof PortleaseEnvironment>>(true);
assertType<Equal<typeof TestEnvironment, typeof PortleaseEnvironment>>(true);
const asNode: InstanceType<typeof NodeEnvironment> = {} as PortleaseEnvironment;
void asNode;
export class WithServer extends PortleaseEnvironment {
  server: RunningServer | undefined;
  override async setup(): Promise<void> {
    await super.setup();
    const value: FilePorts | undefined = this.portlease;
    this.server = await startServer({ command: ['node', 'server.js'], port: value?.ports[0] });
    this.global.serverUrl = this.server.url;
  }
  override async teardown(): Promise<void> {
    await this.server?.stop();
    await super.teardown();
  }
}

// Options fit Jest's own config type.
const portlease: PortleaseEnvironmentOptions = {
  names: ['api', 'web'],
  count: 3,
  range: [20000, 29999],
  global: { names: ['db'], servers: { api: { command: ['node', 'server.js'], readyTimeout: 10_000 } } },
};
export const config: Config = {
  testEnvironment: '@portlease/jest',
  globalSetup: '@portlease/jest/global-setup',
  globalTeardown: '@portlease/jest/global-teardown',
  testEnvironmentOptions: { portlease },
};
// @ts-expect-error count is a number
export const badCount: PortleaseEnvironmentOptions = { count: '2' };
const badServer = { command: 'x', port: 1 };
// @ts-expect-error global setup leases the servers' ports itself
export const noPort: GlobalServerOptions = badServer;

// Global setup and teardown: Jest hooks, a factory and the building blocks.
assertType<Equal<ReturnType<typeof globalSetup>, Promise<void>>>(true);
assertType<Equal<ReturnType<typeof globalTeardown>, Promise<void>>>(true);
export const custom = createGlobalSetup({
  servers: { web: { start: (p: number) => http.createServer().listen(p) } },
});
export const fromProject = createGlobalSetup((project) => ({ names: [project.rootDir] }));
export async function mine(): Promise<number | undefined> {
  const info: GlobalPortsInfo = await leaseGlobalPorts({ names: ['db'] }, { rootDir: '/x' });
  await releaseGlobalPorts();
  return info.named.db;
}
export const isError = (e: unknown) => e instanceof PortleaseError && e.code === 'INVALID_OPTIONS';
