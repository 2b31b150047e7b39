// How the package loads: the environment extends the jest-environment-node of the Jest that runs it
// (29 or 30, whatever copy the package manager gave this package), the CJS and ESM builds export it as
// Jest expects, and the export condition the environment adds gives tests the light helpers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { JEST, packageDir, VERSIONS } from './helpers.mjs';

/** Runs CommonJS `code` in a fresh node process inside this package; returns its stdout as JSON. */
function node(code, execArgv = []) {
  const result = spawnSync(process.execPath, [...execArgv, '-e', code], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout);
}

for (const version of VERSIONS) {
  test(`under Jest ${version}, the environment extends that Jest's own jest-environment-node`, () => {
    const answer = node(`
      const { createRequire } = require('node:module');
      // What Jest has loaded when it loads a test environment: its runner.
      const core = createRequire(${JSON.stringify(JEST[version])}).resolve('@jest/core');
      const runner = createRequire(core).resolve('jest-runner');
      require(runner);
      const fromRunner = createRequire(runner);
      const { default: Env } = require('@portlease/jest');
      console.log(JSON.stringify({
        same: Object.getPrototypeOf(Env) === fromRunner('jest-environment-node').TestEnvironment,
        version: fromRunner('jest-environment-node/package.json').version,
      }));
    `);
    assert.equal(answer.same, true);
    assert.equal(Number(answer.version.split('.')[0]), version);
  });
}

test('outside Jest it falls back to its own jest-environment-node', () => {
  const answer = node(`
    const Env = require('@portlease/jest').default;
    console.log(JSON.stringify({ same: Object.getPrototypeOf(Env) === require('jest-environment-node').TestEnvironment }));
  `);
  assert.equal(answer.same, true);
});

test('CJS and ESM builds: default export and TestEnvironment are the environment; helpers alongside', async () => {
  const cjs = node(`
    const m = require('@portlease/jest');
    console.log(JSON.stringify({
      esModule: m.__esModule, same: m.default === m.TestEnvironment && m.default === m.PortleaseEnvironment,
      helpers: ['port', 'ports', 'namedPorts', 'globalPort', 'globalUrl', 'startServer'].every((k) => typeof m[k] === 'function'),
      conditions: typeof m.default.prototype.exportConditions,
    }));
  `);
  assert.deepEqual(cjs, { esModule: true, same: true, helpers: true, conditions: 'function' });
  const esm = await import('@portlease/jest');
  assert.equal(esm.default, esm.TestEnvironment);
  assert.equal(typeof esm.port, 'function');
});

test('under the portlease-jest-test condition the package is the helpers alone', () => {
  const answer = node(
    `
    const m = require('@portlease/jest');
    console.log(JSON.stringify({ file: require.resolve('@portlease/jest'), keys: Object.keys(m).sort() }));
  `,
    ['--conditions=portlease-jest-test'],
  );
  assert.match(answer.file, /dist\/ports\.cjs$/);
  assert.ok(!answer.keys.includes('default') && !answer.keys.includes('TestEnvironment'));
  assert.ok(['port', 'ports', 'startServer', 'PortleaseError'].every((k) => answer.keys.includes(k)));
});
