// The README's snippets, run as written. Convention for every ```js/```ts block of README.md:
//   <!-- readme-test: <file> -->  before a block: this test writes it to <file> in a fresh project and
//                                 runs it with the real runner;
//   <!-- fragment -->             before a block: a piece of a larger program, not run.
// A block with neither fails the first test, so a new snippet is either tested or says it is a piece.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { core, rangeText, reserveRange, runPlaywright, tempDir } from './helpers.mjs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(pkg, 'README.md'), 'utf8');

/** Every js/ts code block with the marker comment before it (`undefined` if none). */
function codeBlocks(markdown) {
  return [
    ...markdown.matchAll(/(?:<!--\s*([\w-]+)(?::\s*(\S+))?\s*-->\n\n)?```(js|ts|mjs|cjs)\n([\s\S]*?)```/g),
  ].map((m) => ({ marker: m[1], file: m[2], lang: m[3], code: m[4] }));
}

test('every README code block is run by a test or marked as a fragment', () => {
  const unmarked = codeBlocks(readme).filter((b) => b.marker !== 'readme-test' && b.marker !== 'fragment');
  assert.deepEqual(
    unmarked.map((b) => b.code.split('\n')[0]),
    [],
    'mark these <!-- readme-test: file --> (and run them here) or <!-- fragment -->',
  );
});

test('the Usage snippets (config and spec) pass on the real runner in Chromium', {
  timeout: 180_000,
}, async () => {
  // Inside the package, so that '@portlease/playwright' and '@playwright/test' resolve as for a user.
  const project = join(pkg, '.tmp', `readme-${process.pid}`);
  mkdirSync(project, { recursive: true });
  after(() => rmSync(project, { recursive: true, force: true }));
  const blocks = codeBlocks(readme).filter((b) => b.marker === 'readme-test');
  assert.deepEqual(
    blocks.map((b) => b.file),
    ['playwright.config.ts', 'tests/counter.spec.ts', 'app/server.mjs'],
  );
  for (const block of blocks) {
    const file = block.file === 'playwright.config.ts' ? 'readme.config.ts' : block.file;
    mkdirSync(dirname(join(project, file)), { recursive: true });
    writeFileSync(join(project, file), block.code);
  }
  // The one thing this machine adds: Debian's Chromium (Playwright's own download is unreachable).
  writeFileSync(
    join(project, 'playwright.config.ts'),
    `import config from './readme.config';
export default {
  ...config,
  reporter: 'line',
  outputDir: ${JSON.stringify(join(tempDir(), 'results'))},
  use: {
    ...config.use,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
};
`,
  );
  const lockDir = tempDir();
  const range = await reserveRange(10);
  const { code, output } = await runPlaywright(project, [], {
    PORTLEASE_DIR: lockDir,
    PORTLEASE_RANGE: rangeText(range),
  });
  assert.equal(code, 0, output);
  assert.match(output, /1 passed/, output);
  assert.deepEqual(await core.listLeases({ lockDir }), []);
});

test("every snippet starts app/server.mjs as the README's server reads its port: from $PORT", () => {
  const server = codeBlocks(readme).find((b) => b.file === 'app/server.mjs');
  assert.match(server.code, /process\.env\.PORT/);
  assert.doesNotMatch(server.code, /process\.argv/, 'the inline server reads no --port');
  const starts = codeBlocks(readme).filter(
    (b) => b.file !== 'app/server.mjs' && b.code.includes('app/server.mjs'),
  );
  assert.ok(starts.length >= 3, 'the worker server, webServer and sticky snippets');
  for (const block of starts) {
    assert.doesNotMatch(block.code, /app\/server\.mjs[^'"`\n]*--port/, `passes --port: ${block.code}`);
    if (block.code.includes('webServer')) {
      assert.match(block.code, /env: \{ PORT: String\(port\) \}/, `webServer sets PORT: ${block.code}`);
    }
  }
});
