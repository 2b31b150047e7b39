// Misspelt and mistyped options fail the real Vitest run with INVALID_OPTIONS naming the option's
// path (and the closest known key), in the plugin, in the global-setup module's provided options and
// in the fixtures: never silently ignored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { leasePort } from 'portlease';
import { describeRun, leftovers, makeProject, runVitest, testEnv } from './helpers.mjs';

const literal = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** What leasePort says of `options` after the option's name. */
async function apiMessageCore(options, key) {
  const error = await leasePort(options).catch((e) => e);
  assert.equal(error.code, 'INVALID_OPTIONS');
  return error.message.slice(`[INVALID_OPTIONS] ${key} `.length);
}

const cases = {
  'plugin-typo': /\[INVALID_OPTIONS\] portlease\(\) options has no option "prots" \(did you mean "ports"\?\)/,
  // The same message core as leasePort({ exclude: '3000' }) (one schema, core/src/options/schema.ts).
  'plugin-type': new RegExp(
    `\\[INVALID_OPTIONS\\] portlease\\(\\) options\\.exclude ${literal(await apiMessageCore({ exclude: '3000' }, 'exclude'))}`,
  ),
  'plugin-range': /\[INVALID_OPTIONS\] portlease\(\) options\.range \[\d+, \d+\] has min above max/,
  'provide-typo':
    /\[INVALID_OPTIONS\] test\.provide\.portleaseOptions has no option "rnage" \(did you mean "range"\?\)/,
  'fixture-typo':
    /\[INVALID_OPTIONS\] leasePort\(\) options has no option "rnage" \(did you mean "range"\?\)/,
};

describe('@portlease/vitest option checks with Vitest 4', { concurrency: 2 }, () => {
  for (const [name, expected] of Object.entries(cases)) {
    test(`${name}: the run fails and says which option`, { timeout: 120_000 }, async () => {
      const env = await testEnv(4);
      const run = await runVitest(makeProject('bad-options'), ['run'], {
        env: { PL_CASE: name, PL_RANGE: JSON.stringify(env.range), PL_LOCK_DIR: env.lockDir },
      });
      assert.notEqual(run.code, 0, describeRun(run));
      assert.match(run.output, expected, describeRun(run));
      assert.doesNotMatch(
        run.output,
        /\[INVALID_OPTIONS\][^\n]*\[INVALID_OPTIONS\]/,
        'the code is said once',
      );
      assert.deepEqual(await leftovers(env.lockDir), []);
    });
  }
});
