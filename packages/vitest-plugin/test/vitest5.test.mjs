// Vitest 5 (needs Node >= 22.12: this Node, or the `node24` devDependency under an older one, see
// helpers.mjs): the same scenarios as with Vitest 4.
import { describe, test } from 'node:test';
import { VITEST } from './helpers.mjs';
import {
  checkExhausted,
  checkGlobalSetup,
  checkPoolIdReuse,
  checkPortsRun,
  checkProjects,
  checkThreadOwnership,
  checkWatch,
} from './scenarios.mjs';

const timeout = 120_000;

const node = VITEST.v5.node === process.execPath ? process.version : '24 (devDependency)';

describe(`@portlease/vitest with Vitest 5 on Node ${node}`, { concurrency: 2 }, () => {
  test('forks: provided, unique, released', { timeout }, () => checkPortsRun('v5', 'forks'));
  test('threads: provided, unique, one owner per thread, released', { timeout }, () =>
    checkPortsRun('v5', 'threads'),
  );
  test('a file reusing the pool id of a still-stopping worker gets another port', { timeout }, () =>
    checkPoolIdReuse('v5', 'forks'),
  );
  test("a terminated thread's lease is reclaimed though the process lives", { timeout }, () =>
    checkThreadOwnership('v5'),
  );
  test('global-setup module', { timeout }, () => checkGlobalSetup('v5'));
  test('watch mode: a rerun keeps the run-wide ports; close releases them', { timeout }, () =>
    checkWatch('v5'),
  );
  test('test.projects: inheriting projects share the run-wide ports', { timeout }, () => checkProjects('v5'));
  test('an exhausted range fails the run with the PortleaseError', { timeout }, () => checkExhausted('v5'));
});
