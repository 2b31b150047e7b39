// Type tests of the sticky options: the environment's and global setup's.
import type { PortleaseEnvironmentOptions, PortleaseGlobalOptions } from '@portlease/jest';
import { createGlobalSetup, leaseGlobalPorts } from '@portlease/jest/global-setup';

export const perFile: PortleaseEnvironmentOptions = {
  names: ['api', 'web'],
  sticky: ['api'],
  stickyScope: 'shop',
  global: { names: ['db'], sticky: true },
};
export const all: PortleaseEnvironmentOptions = { names: ['api'], sticky: true };
// @ts-expect-error sticky is true, false or a list of names
export const bad: PortleaseEnvironmentOptions = { names: ['api'], sticky: 'api' };
export const global: PortleaseGlobalOptions = { servers: { web: { command: 'x' } }, sticky: ['web'] };
export const setup = createGlobalSetup({ names: ['db'], sticky: true });
export const building = () => leaseGlobalPorts({ names: ['db'], sticky: ['db'], stickyScope: 'shop' });
