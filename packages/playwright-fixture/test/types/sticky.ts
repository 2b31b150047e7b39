// Type tests of the sticky options: checked by `tsc -p test/types` (the package's typecheck script).
import { defineConfig } from '@playwright/test';
import {
  leaseRunPort,
  leaseRunPortSync,
  type PortleaseOptions,
  type PortleaseWorkerOptions,
  type RunPortOptions,
  test,
} from '@portlease/playwright';

const web: Promise<number> = leaseRunPort({ name: 'web', sticky: true, stickyScope: 'shop' });
const api: number = leaseRunPortSync({ name: 'api', sticky: false, stickyScope: '/src/shop' });
// @ts-expect-error the run port's sticky name is its `name`: sticky is true or false
leaseRunPort({ name: 'web', sticky: 'web' });
// @ts-expect-error leasePorts' per-port form is not an option here
leaseRunPort({ sticky: ['web'] });

const worker: PortleaseOptions = { sticky: true, stickyScope: 'shop' };
const prefixed: PortleaseOptions = { sticky: 'admin' };
// @ts-expect-error contiguous blocks are not a worker option
const block: PortleaseOptions = { contiguous: true };
const run: RunPortOptions = { name: 'web', sticky: true };

test.use({ portlease: { sticky: true } });
// @ts-expect-error sticky is true, false or a prefix
test.use({ portlease: { sticky: 1 } });

export default defineConfig<object, PortleaseWorkerOptions>({
  use: { portlease: { sticky: 'serverPort', stickyScope: 'shop' } },
});
export { api, block, prefixed, run, web, worker };
