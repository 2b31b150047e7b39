// The README's snippets, run as written. Convention for every ```js/```ts block of README.md:
//   <!-- readme-test: <file> -->  before a block: this test writes it to <file> of a fresh project and
//                                 runs the real Vitest on it;
//   <!-- fragment -->             before a block: a piece of a larger program, not run.
// A block with neither fails the first test.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { describeRun, leftovers, makeProject, pkgDir, runVitest, testEnv } from './helpers.mjs';

const readme = readFileSync(join(pkgDir, 'README.md'), 'utf8');

function codeBlocks(markdown) {
  const pattern = /(?:<!--\s*([\w-]+)(?::\s*(\S+))?\s*-->\n\n)?```(js|ts|mjs|cjs)\n([\s\S]*?)```/g;
  return [...markdown.matchAll(pattern)].map((m) => ({ marker: m[1], file: m[2], code: m[4] }));
}

test('every README code block is run by a test or marked as a fragment', () => {
  const unmarked = codeBlocks(readme).filter((b) => b.marker !== 'readme-test' && b.marker !== 'fragment');
  assert.deepEqual(
    unmarked.map((b) => b.code.split('\n')[0]),
    [],
    'mark these <!-- readme-test: file --> (and run them here) or <!-- fragment -->',
  );
});

test('the plugin snippet, its test and the fixtures snippet with its server pass on the real Vitest', {
  timeout: 120_000,
}, async () => {
  const blocks = codeBlocks(readme).filter((b) => b.marker === 'readme-test');
  assert.deepEqual(
    blocks.map((b) => b.file),
    ['vitest.config.ts', 'api.spec.ts', 'server.spec.ts', 'server.mjs'],
  );
  const dir = makeProject('readme');
  for (const block of blocks) writeFileSync(join(dir, block.file), block.code);
  // 2 run-wide ports, then per worker (up to one per file) its port, the test's and two servers'.
  const env = await testEnv(12);
  // The snippet sets no range or lock directory: the environment's apply (the harness unsets them).
  const run = await runVitest(dir, ['run'], {
    env: { PORTLEASE_DIR: env.lockDir, PORTLEASE_RANGE: `${env.range[0]}-${env.range[1]}` },
  });
  assert.equal(run.code, 0, describeRun(run));
  assert.match(run.output, /2 passed/, describeRun(run));
  assert.deepEqual(await leftovers(env.lockDir), []);
});
