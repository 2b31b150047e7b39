// The README's snippets, run as written. Convention for every ```js/```ts block of README.md:
//   <!-- readme-test: <file> -->  before a block: this test writes it to <file> of a fresh project (a
//                                 `jest.config.js` starts the next project) and runs the real Jest on it;
//   <!-- fragment -->             before a block: a piece of a larger program, not run.
// A block with neither fails the first test. A project must pass and Jest must exit by itself: the
// createGlobalSetup snippet once hung, its server keeping Jest alive with no global teardown.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { JEST, packageDir, recordsIn, tempDir } from './helpers.mjs';

const readme = readFileSync(join(packageDir, 'README.md'), 'utf8');

function codeBlocks(markdown) {
  const pattern = /(?:<!--\s*([\w-]+)(?::\s*(\S+))?\s*-->\n\n)?```(js|ts|mjs|cjs)\n([\s\S]*?)```/g;
  return [...markdown.matchAll(pattern)].map((m) => ({ marker: m[1], file: m[2], code: m[4] }));
}

/** The run snippets grouped into projects: each `jest.config.js` starts one. */
function projects() {
  const found = [];
  for (const block of codeBlocks(readme).filter((b) => b.marker === 'readme-test')) {
    if (block.file === 'jest.config.js') found.push({});
    found.at(-1)[block.file] = block.code;
  }
  return found;
}

/** A CommonJS project in a temp dir whose node_modules has this package (as a user's would). */
function makeProject(files) {
  const dir = tempDir('pl-jest-readme-');
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'readme', private: true, type: 'commonjs' }),
  );
  mkdirSync(join(dir, 'node_modules', '@portlease'), { recursive: true });
  symlinkSync(packageDir, join(dir, 'node_modules', '@portlease', 'jest'));
  for (const [file, code] of Object.entries(files)) writeFileSync(join(dir, file), code);
  return dir;
}

/** Runs Jest 30 in `dir`; a run that does not end by itself within a minute is killed and reported. */
function runJest(dir, lockDir) {
  const child = spawn(process.execPath, [JEST[30], '--ci', '--maxWorkers=2'], {
    cwd: dir,
    env: { ...process.env, PORTLEASE_DIR: lockDir, NODE_TEST_CONTEXT: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.setEncoding('utf8').on('data', (c) => (output += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output });
    }),
  );
}

test('every README code block is run by a test or marked as a fragment', () => {
  const unmarked = codeBlocks(readme).filter((b) => b.marker !== 'readme-test' && b.marker !== 'fragment');
  assert.deepEqual(
    unmarked.map((b) => b.code.split('\n')[0]),
    [],
    'mark these <!-- readme-test: file --> (and run them here) or <!-- fragment -->',
  );
});

const found = projects();
test('the README has the per-file and the createGlobalSetup projects', () => {
  assert.deepEqual(
    found.map((files) => Object.keys(files)),
    [
      ['jest.config.js', 'app.test.js', 'server.js'],
      ['jest.config.js', 'jest.global-setup.mjs', 'web.test.js'],
    ],
  );
});

for (const files of found) {
  const name = Object.keys(files).join(' + ');
  test(`${name}: passes on the real Jest, which exits by itself and leaves no lease`, {
    timeout: 90_000,
  }, async () => {
    const lockDir = tempDir();
    const run = await runJest(makeProject(files), lockDir);
    assert.equal(run.signal, null, `Jest did not exit by itself:\n${run.output}`);
    assert.equal(run.code, 0, run.output);
    assert.match(run.output, /Tests:\s+1 passed, 1 total/, run.output);
    assert.deepEqual(recordsIn(lockDir), []);
  });
}

test('app.test.js: a server that cannot start fails with its own error, not a TypeError from afterAll', {
  timeout: 90_000,
}, async () => {
  const lockDir = tempDir();
  const broken = "console.error('DATABASE_URL is not set'); process.exit(1);\n";
  const run = await runJest(makeProject({ ...found[0], 'server.js': broken }), lockDir);
  assert.notEqual(run.code, 0);
  assert.match(run.output, /SERVER_EXITED/, run.output);
  assert.match(run.output, /DATABASE_URL is not set/, run.output);
  assert.doesNotMatch(run.output, /TypeError: Cannot read properties of undefined/, run.output);
  assert.deepEqual(recordsIn(lockDir), []);
});
