// Ports stay unique across workers and concurrent shards, with the installed @playwright/test.
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fixture } from './helpers.mjs';
import { checkShardedPorts } from './sharded-ports.mjs';

const { version } = createRequire(import.meta.url)('@playwright/test/package.json');

test(
  `ports are unique across workers and concurrent shards on @playwright/test ${version}`,
  { timeout: 180_000 },
  () => checkShardedPorts(fixture('ports'), { playwrightVersion: version }),
);
