// PortleaseError keeps its name in the build: the bundler once renamed the class `_PortleaseError`
// (it refers to itself), and uncaught errors printed as `_PortleaseError: [INVALID_OPTIONS] …`.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { core, dist, runNode } from './helpers.mjs';

test('PortleaseError is named PortleaseError in the ESM and CJS builds', () => {
  const cjs = createRequire(import.meta.url)(join(dist, 'index.cjs'));
  for (const [build, { PortleaseError }] of [
    ['esm', core],
    ['cjs', cjs],
  ]) {
    const error = new PortleaseError('ABORTED', 'stopped');
    assert.equal(error.constructor.name, 'PortleaseError', build);
    assert.equal(PortleaseError.name, 'PortleaseError', build);
    assert.equal(error.name, 'PortleaseError', build);
    assert.match(error.stack, /^PortleaseError: \[ABORTED\] stopped\n/, build);
  }
});

test('an uncaught PortleaseError prints as PortleaseError on stderr', async () => {
  const program = `import { leasePort } from ${JSON.stringify(join(dist, 'index.js'))};\nawait leasePort({ range: '20000-20010' });\n`;
  const run = await runNode(['--input-type=module', '-e', program]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /\nPortleaseError: \[INVALID_OPTIONS\] /, run.stderr);
  assert.doesNotMatch(run.stderr, /_PortleaseError/);
});
