// Unusable sticky options fail at once with INVALID_OPTIONS naming the option's path as written, in
// `use.portlease` on the real runner and in the config helpers; nothing is leased.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { leaseRunPort, leaseRunPortSync } from '@portlease/playwright';
import { core, fixture, rangeText, reserveRange, runPlaywright, tempDir } from './helpers.mjs';

test('mistyped use.portlease.sticky / stickyScope fail the tests with the option named', {
  timeout: 120_000,
}, async () => {
  const lockDir = tempDir();
  const range = { env: rangeText(await reserveRange(10)) };
  const { code, output } = await runPlaywright(fixture('bad-sticky'), [], {
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: range.env,
    FIXTURE_OUTPUT_DIR: join(tempDir(), 'results'),
  });
  assert.notEqual(code, 0, output);
  assert.match(output, /3 failed/, output);
  assert.match(
    output,
    /\[INVALID_OPTIONS\] use\.portlease\.sticky must be true, false or a name prefix[^\n]*got 5/,
    output,
  );
  assert.match(output, /\[INVALID_OPTIONS\] use\.portlease\.stickyScope must be a non-empty string/, output);
  // A prefix that cannot start a sticky name: refused by core's one name rule, at the option's path.
  assert.match(
    output,
    /\[INVALID_OPTIONS\] use\.portlease\.sticky must be true, false or a name prefix \(a sticky name of letters[^\n]*got "not a name"/,
    output,
  );
  assert.deepEqual(await core.listLeases({ lockDir }), []);
});

test('leaseRunPort and leaseRunPortSync refuse a sticky that is not true/false, and a bad stickyScope', async () => {
  const lockDir = tempDir();
  await assert.rejects(leaseRunPort({ lockDir, name: 'web', sticky: 'web' }), {
    code: 'INVALID_OPTIONS',
    message: /^\[INVALID_OPTIONS\] leaseRunPort options\.sticky must be true or false/,
  });
  await assert.rejects(leaseRunPort({ lockDir, name: 'web', sticky: true, stickyScope: 7 }), {
    code: 'INVALID_OPTIONS',
    message: /^\[INVALID_OPTIONS\] leaseRunPort options\.stickyScope must be a non-empty string/,
  });
  await assert.rejects(leaseRunPort({ lockDir, name: 'web', stiky: true }), {
    code: 'INVALID_OPTIONS',
    message: /has no option "stiky" \(did you mean "sticky"\?\)/,
  });
  assert.throws(() => leaseRunPortSync({ lockDir, name: 'api', sticky: 1 }), {
    code: 'INVALID_OPTIONS',
    message: /^\[INVALID_OPTIONS\] leaseRunPortSync options\.sticky must be true or false/,
  });
  assert.throws(() => leaseRunPortSync({ lockDir, name: 'api', stickyScope: '' }), {
    code: 'INVALID_OPTIONS',
    message: /^\[INVALID_OPTIONS\] leaseRunPortSync options\.stickyScope must be a non-empty string/,
  });
  assert.deepEqual(await core.listLeases({ lockDir }), []);
});

/** Leases `name` again in a fresh lock directory: there, with no memo, a sticky name prefers the
 * port derived from name and scope, so an equal port shows the scope reached core as given. */
async function derivedPort(options, name) {
  const again = await core.leasePort({ ...options, lockDir: tempDir(), sticky: name });
  await again.release();
  return again.port;
}

const scoped = async () => {
  const [min, max] = await reserveRange(200);
  return { lockDir: tempDir(), range: [min, max], stickyScope: `pw-sticky-options-${process.pid}` };
};

test('leaseRunPort({ sticky: true }) passes the name and stickyScope to core', async () => {
  const options = await scoped();
  const web = await leaseRunPort({ ...options, name: 'stickyweb', sticky: true });
  const plain = await leaseRunPort({ ...options, name: 'plain' });
  const byPort = new Map((await core.listLeases({ lockDir: options.lockDir })).map((l) => [l.port, l]));
  assert.equal(byPort.get(web)?.sticky, 'stickyweb');
  assert.equal(byPort.get(plain)?.sticky, undefined);
  assert.equal(await derivedPort(options, 'stickyweb'), web);
});

test('leaseRunPortSync({ sticky: true }) passes them as portlease get --sticky / --sticky-scope', async () => {
  const options = await scoped();
  const api = leaseRunPortSync({ ...options, name: 'stickyapi', sticky: true });
  const byPort = new Map((await core.listLeases({ lockDir: options.lockDir })).map((l) => [l.port, l]));
  assert.equal(byPort.get(api)?.sticky, 'stickyapi');
  assert.equal(await derivedPort(options, 'stickyapi'), api);
});
