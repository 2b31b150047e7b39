// packages/core/README.md, the npm registry page: every js block runs as written (each marked
// `<!-- readme-test: <file> -->`, saved inside this package so `portlease` resolves to the build by
// name), exits by itself and leaves no lease; and the page tells the package's whole story.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { core, here, reserveRange, runProcess, tempLockDir } from './helpers.mjs';

const readme = readFileSync(join(here, '..', 'README.md'), 'utf8');
const blocks = [
  ...readme.matchAll(/(?:<!--\s*([\w-]+)(?::\s*(\S+))?\s*-->\n\n)?```(js|ts|mjs|cjs)\n([\s\S]*?)```/g),
].map((m) => ({ marker: m[1], file: m[2], code: m[4] }));

test('the npm README tells the whole story: leases, sticky ports and blocks, startServer, CLI, get-port', () => {
  for (const heading of [
    '## Leases',
    '## Sticky ports and blocks',
    '## A server on a leased port: `startServer`',
    '## CLI',
    '## From get-port: `portlease/get-port`',
    '## With a test runner',
  ]) {
    assert.ok(readme.includes(`\n${heading}\n`), `a section ${heading}`);
  }
  assert.match(readme, /#migrating-from-get-port/, 'links the migration');
  assert.deepEqual(
    blocks.filter((b) => b.marker !== 'readme-test').map((b) => b.code.split('\n')[0]),
    [],
    'every js block is run below',
  );
});

for (const block of blocks.filter((b) => b.marker === 'readme-test')) {
  test(`${block.file}: runs as written, exits by itself, leaves no lease`, async () => {
    const dir = join(here, '..', '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `npm-readme-${process.pid}-${block.file}`);
    // get-port's snippet asks for 3000-3100 as a user would; the test's zone keeps it off other tests.
    const [min, max] = await reserveRange(101);
    writeFileSync(file, block.code.replace('portNumbers(3000, 3100)', `portNumbers(${min}, ${max})`));
    const lockDir = tempLockDir();
    try {
      const run = await runProcess(process.execPath, [file], {
        env: { ...process.env, PORTLEASE_DIR: lockDir },
        timeout: 30_000,
      });
      assert.equal(run.signal, null, `did not exit by itself: ${run.output}`);
      assert.equal(run.code, 0, run.output);
      assert.deepEqual(await core.listLeases({ lockDir }), [], 'every lease was released');
    } finally {
      rmSync(file, { force: true });
    }
  });
}
