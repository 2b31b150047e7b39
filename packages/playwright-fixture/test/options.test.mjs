// Misspelt and mistyped options fail at once with INVALID_OPTIONS naming the option's path (and the
// closest known key), on the real runner and in the config helpers: never ignored, never a wait for
// a default timeout, never a TypeError from deep inside core.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { leaseRunPort, leaseRunPortSync } from '@portlease/playwright';
import { core, fixture, rangeText, reserveRange, runPlaywright, tempDir } from './helpers.mjs';

test('unknown or mistyped `use` options fail the tests with the option named', {
  timeout: 120_000,
}, async () => {
  const lockDir = tempDir();
  const range = await reserveRange(10);
  const { code, output } = await runPlaywright(fixture('bad-options'), [], {
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: rangeText(range),
    FIXTURE_OUTPUT_DIR: join(tempDir(), 'results'),
  });
  assert.notEqual(code, 0, output);
  assert.match(output, /5 failed/, output);
  // The same code and message core as leasePort({ exclude: '80' }): one schema for every surface.
  const api = await core.leasePort({ exclude: '80' }).catch((error) => error);
  assert.equal(api.code, 'INVALID_OPTIONS');
  assert.ok(
    output.includes(
      `[INVALID_OPTIONS] use.portlease.exclude ${api.message.slice('[INVALID_OPTIONS] exclude '.length)}`,
    ),
    output,
  );
  assert.match(
    output,
    /\[INVALID_OPTIONS\] use\.workerServer has no option "readytimeout" \(did you mean "readyTimeout"\?\)/,
    output,
  );
  assert.match(
    output,
    /\[INVALID_OPTIONS\] use\.workerServer\.readyTimeout must be a positive number of milliseconds, got "5s"/,
    output,
  );
  assert.match(
    output,
    /\[INVALID_OPTIONS\] use\.portlease has no option "rnage" \(did you mean "range"\?\)/,
    output,
  );
  assert.match(
    output,
    /\[INVALID_OPTIONS\] use\.portlease\.range \[29999, 20000\] has min above max/,
    output,
  );
  assert.doesNotMatch(output, /\[INVALID_OPTIONS\][^\n]*\[INVALID_OPTIONS\]/, 'the code is said once');
  assert.deepEqual(await core.listLeases({ lockDir }), []);
});

test('leaseRunPort and leaseRunPortSync name a misspelt or mistyped option', async () => {
  const lockDir = tempDir();
  await assert.rejects(leaseRunPort({ lockDir, nmae: 'web' }), {
    code: 'INVALID_OPTIONS',
    message: /^\[INVALID_OPTIONS\] leaseRunPort options has no option "nmae" \(did you mean "name"\?\)/,
  });
  await assert.rejects(leaseRunPort({ lockDir, range: [29999, 20000] }), {
    code: 'INVALID_OPTIONS',
    message: /^\[INVALID_OPTIONS\] leaseRunPort options\.range \[29999, 20000\] has min above max/,
  });
  assert.throws(() => leaseRunPortSync({ lockDir, rnage: [20000, 29999] }), {
    code: 'INVALID_OPTIONS',
    message: /^\[INVALID_OPTIONS\] leaseRunPortSync options has no option "rnage" \(did you mean "range"\?\)/,
  });
  assert.throws(() => leaseRunPortSync({ lockDir, hosts: ['127.0.0.1'] }), {
    code: 'INVALID_OPTIONS',
    message: /leaseRunPortSync options\.hosts is not supported/,
  });
  assert.deepEqual(await core.listLeases({ lockDir }), []);
});
