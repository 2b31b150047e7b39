// Unusable sticky options fail with INVALID_OPTIONS naming the option's path as written: in the
// plugin's options (at once, in the config), in the global-setup module's provided options, and in
// the fixtures' leasePort({ sticky }) on the real runner. Nothing is leased.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { optionProblem } from '@portlease/test-harness';
import { describeRun, leftovers, listLeases, makeProject, pkgDir, runVitest, testEnv } from './helpers.mjs';

const { portlease } = await import(join(pkgDir, 'dist', 'index.js'));
const { setup } = await import(join(pkgDir, 'dist', 'global-setup.js'));

test('portlease(): sticky and stickyScope of the wrong type or naming no port', () => {
  const cases = [
    [
      { ports: ['api'], sticky: 'api' },
      /portlease\(\) options\.sticky must be true, false or an array of names/,
    ],
    [{ ports: ['api'], sticky: [''] }, /portlease\(\) options\.sticky must be true, false or an array/],
    [
      { ports: ['api', 'web'], sticky: ['wbe'] },
      /portlease\(\) options\.sticky lists "wbe", which is not one of the ports \("api", "web"\)/,
    ],
    [{ ports: ['api'], stickyScope: 3 }, /portlease\(\) options\.stickyScope must be a non-empty string/],
    [
      { ports: ['api'], stiky: true },
      /portlease\(\) options has no option "stiky" \(did you mean "sticky"\?\)/,
    ],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => portlease(options), { code: 'INVALID_OPTIONS', message }, JSON.stringify(options));
  }
});

test('global-setup: a sticky name that is not among the PORTLEASE_PORTS names', async () => {
  const env = await testEnv(4);
  // Vitest's TestProject as far as setup reads it: the check fails before anything is leased.
  const project = {
    name: 'p',
    config: { root: env.outDir },
    getProvidedContext: () => ({
      portleaseOptions: { sticky: ['wbe'], range: env.range, lockDir: env.lockDir },
    }),
    provide: () => assert.fail('nothing is provided'),
  };
  process.env.PORTLEASE_PORTS = 'web';
  try {
    await assert.rejects(setup(project), {
      code: 'INVALID_OPTIONS',
      message: /test\.provide\.portleaseOptions\.sticky lists "wbe", which is not one of the ports \("web"\)/,
    });
  } finally {
    delete process.env.PORTLEASE_PORTS;
  }
  assert.deepEqual(await leftovers(env.lockDir), []);
});

test('leasePort({ sticky: 3 }) fails the test and names the option', { timeout: 120_000 }, async () => {
  const env = await testEnv(4);
  const run = await runVitest(makeProject('bad-sticky'), ['run'], {
    env: { PL_RANGE: JSON.stringify(env.range), PL_LOCK_DIR: env.lockDir },
  });
  assert.notEqual(run.code, 0, describeRun(run));
  assert.match(
    run.output,
    /\[INVALID_OPTIONS\] leasePort\(\) options\.sticky must be a sticky name [^\n]*got 3/,
    describeRun(run),
  );
  assert.deepEqual(await leftovers(env.lockDir), []);
});

test('global-setup: sticky lists the names that are sticky, the others stay plain leases', async () => {
  const env = await testEnv(20);
  const provided = {};
  // Vitest's TestProject as far as setup reads it; the leases are real, in a private lock directory.
  const project = {
    name: 'p',
    config: { root: env.outDir },
    getProvidedContext: () => ({
      portleaseOptions: { ports: ['api', 'web'], sticky: ['web'], range: env.range, lockDir: env.lockDir },
    }),
    provide: (key, value) => {
      provided[key] = value;
    },
  };
  const teardown = await setup(project);
  try {
    const { api, web } = provided.portlease;
    const sticky = new Map((await listLeases({ lockDir: env.lockDir })).map((l) => [l.port, l.sticky]));
    assert.equal(sticky.get(web), 'web');
    assert.equal(sticky.get(api), undefined);
    assert.ok(sticky.has(api));
  } finally {
    await teardown();
  }
  assert.deepEqual(await leftovers(env.lockDir), []);
});

test("portlease(): ports follows the one rule of every adapter's port-name list (portlease/adapter)", async () => {
  const { checkPortNames } = await import('portlease/adapter');
  for (const ports of [['api', 'api'], ['api', ' '], 'api']) {
    const expected = optionProblem((path) => checkPortNames(ports, path));
    assert.throws(() => portlease({ ports }), {
      code: 'INVALID_OPTIONS',
      message: `[INVALID_OPTIONS] portlease() options.ports ${expected}`,
    });
  }
});
