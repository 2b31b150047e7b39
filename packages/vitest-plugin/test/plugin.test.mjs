// Vitest 4 (this machine's Node): the plugin and the fixtures in real runs with several workers.
import { describe, test } from 'node:test';
import {
  checkExhausted,
  checkExhaustedCount,
  checkPortsRun,
  checkProjects,
  checkTwoProcesses,
} from './scenarios.mjs';

const timeout = 120_000;

describe('@portlease/vitest with Vitest 4', { concurrency: 2 }, () => {
  test(
    'forks: run-wide ports reach every file; worker, test and server ports are unique; all released',
    { timeout },
    () => checkPortsRun('v4', 'forks'),
  );
  test('threads: the same, and every thread owns its leases though they share one pid', { timeout }, () =>
    checkPortsRun('v4', 'threads'),
  );
  test('two Vitest processes at once on one host share no port', { timeout }, () => checkTwoProcesses('v4'));
  test(
    'test.projects: inheriting projects share the run-wide ports, projects with their own plugin get their own',
    { timeout },
    () => checkProjects('v4'),
  );
  test('an exhausted range fails the run with the PortleaseError', { timeout }, () => checkExhausted('v4'));
  test('two names in a one-port range: the message says 2 were asked of a range holding 1', { timeout }, () =>
    checkExhaustedCount('v4'),
  );
});
