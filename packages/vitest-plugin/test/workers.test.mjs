// Vitest 4: worker lifecycles (pool id reuse, dead threads), the global-setup module, watch mode.
import { describe, test } from 'node:test';
import { checkGlobalSetup, checkPoolIdReuse, checkThreadOwnership, checkWatch } from './scenarios.mjs';

const timeout = 120_000;

describe('@portlease/vitest workers with Vitest 4', { concurrency: 2 }, () => {
  test('forks: a file reusing the pool id of a still-stopping worker gets another port', { timeout }, () =>
    checkPoolIdReuse('v4', 'forks'),
  );
  test('threads: the same with worker threads', { timeout }, () => checkPoolIdReuse('v4', 'threads'));
  test("threads: a terminated thread's lease is reclaimed though the process lives", { timeout }, () =>
    checkThreadOwnership('v4'),
  );
  test('global-setup module: names from PORTLEASE_PORTS, options from test.provide', { timeout }, () =>
    checkGlobalSetup('v4'),
  );
  test('watch mode: a rerun keeps the run-wide ports; close releases them', { timeout }, () =>
    checkWatch('v4'),
  );
});
