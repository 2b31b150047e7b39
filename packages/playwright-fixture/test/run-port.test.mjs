// The run-wide port handoff without a runner: one lease per name in the process that leases, the
// same port in its children (Playwright's workers), a port of their own for grandchildren (a run
// started inside another run's worker), and errors that keep portlease's codes.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { leaseRunPort, leaseRunPortSync } from '@portlease/playwright';
import { core, reserveRange, tempDir } from './helpers.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const lockDir = tempDir();
const [min, max] = await reserveRange(6);
const options = { lockDir, range: [min, max] };

/** Runs `leaseRunPort` for `name` in a child node process (`depth` 2: in a child of a child). */
function portInChild(name, depth = 1) {
  const script = `import('@portlease/playwright').then(async ({ leaseRunPort }) => console.log(await leaseRunPort(${JSON.stringify({ ...options, name })})))`;
  const inner = ['--input-type=module', '-e', script];
  const args =
    depth === 1
      ? inner
      : [
          '-e',
          `process.stdout.write(require('node:child_process').execFileSync(process.execPath, ${JSON.stringify(inner)}, { cwd: ${JSON.stringify(here)} }))`,
        ];
  return Number(execFileSync(process.execPath, args, { cwd: here, encoding: 'utf8' }).trim());
}

test('leaseRunPort: one port per name, the same in children, another in grandchildren', async () => {
  const web = await leaseRunPort({ ...options, name: 'web' });
  assert.equal(await leaseRunPort({ ...options, name: 'web' }), web);
  const api = await leaseRunPort({ ...options, name: 'api' });
  assert.notEqual(api, web);

  assert.equal(portInChild('web'), web);
  const nested = portInChild('web', 2);
  assert.ok(nested !== web && nested !== api, `a nested run reused ${nested}`);

  const owners = (await core.listLeases({ lockDir })).filter((l) => l.status === 'alive').map((l) => l.owner);
  assert.deepEqual(owners.sort(), ['playwright run port=api', 'playwright run port=web']);
});

test('leaseRunPortSync: a held port, handed down the same way; errors keep their code', async () => {
  const port = leaseRunPortSync({ ...options, name: 'sync', owner: 'shop e2e' });
  assert.equal(leaseRunPortSync({ ...options, name: 'sync' }), port);
  assert.equal(portInChild('sync'), port);
  const record = (await core.listLeases({ lockDir })).find((l) => l.port === port);
  assert.equal(record?.owner, 'shop e2e run port=sync');
  assert.equal(record?.status, 'alive');

  assert.throws(
    () => leaseRunPortSync({ lockDir, range: [port, port], name: 'taken' }),
    (error) =>
      error.name === 'PortleaseError' &&
      error.code === 'RANGE_EXHAUSTED' &&
      // Context first, the code once: the same format whether the CLI reported JSON or (older) prose.
      error.message.startsWith('[RANGE_EXHAUSTED] leaseRunPortSync could not lease the run port "taken": ') &&
      error.message.split('[RANGE_EXHAUSTED]').length === 2,
  );
  await assert.rejects(leaseRunPort({ ...options, name: 'not a name' }), { code: 'INVALID_OPTIONS' });
});
