// The README's core usage snippet, run exactly as written: extracted from README.md (the code block
// after the `readme-test` marker), saved inside this package so that `import … from 'portlease'`
// resolves to the built package by name, and run as a child process with a private lock directory.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { core, here, recordsIn, runProcess, tempLockDir } from './helpers.mjs';

const readme = readFileSync(join(here, '..', '..', '..', 'README.md'), 'utf8');

function markedSnippet() {
  const marker = readme.indexOf('<!-- readme-test');
  assert.notEqual(marker, -1, 'README.md has a readme-test marker');
  const match = /```js\n([\s\S]*?)```/.exec(readme.slice(marker));
  assert.ok(match, 'a ```js block follows the marker');
  return match[1];
}

test("the README's usage snippet runs as written, exits by itself and leaves no lease", async () => {
  const dir = join(here, '..', '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `readme-${process.pid}.mjs`);
  writeFileSync(file, markedSnippet());
  const lockDir = tempLockDir();
  try {
    // A hang (something holding the event loop open) is a failure, not a wait.
    const {
      code,
      signal,
      stdout: out,
      stderr: err,
    } = await runProcess(process.execPath, [file], {
      env: { ...process.env, PORTLEASE_DIR: lockDir },
      timeout: 30_000,
    });
    assert.equal(signal, null, `the snippet did not exit by itself: ${out}${err}`);
    assert.equal(code, 0, err);
    const [ok, ports, errorCode] = out.trim().split('\n');
    assert.equal(ok, 'ok', 'the server on the leased port answered');
    const numbers = ports.split(' ').map(Number);
    assert.equal(new Set(numbers).size, 3, `three distinct ports: ${ports}`);
    assert.equal(errorCode, 'INVALID_OPTIONS');
    assert.deepEqual(recordsIn(lockDir), [], 'every lease was released');
  } finally {
    rmSync(file, { force: true });
  }
});

test("the README's sticky snippet gives the same port on a second run and a consecutive block", async () => {
  const marker = readme.indexOf('<!-- readme-test: sticky');
  assert.notEqual(marker, -1, 'README.md has the sticky readme-test marker');
  const snippet = /```js\n([\s\S]*?)```/.exec(readme.slice(marker))[1];
  const dir = join(here, '..', '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `readme-sticky-${process.pid}.mjs`);
  writeFileSync(file, snippet);
  const lockDir = tempLockDir();
  const run = async () => {
    const { code, signal, stdout, stderr } = await runProcess(process.execPath, [file], {
      env: { ...process.env, PORTLEASE_DIR: lockDir },
      timeout: 30_000,
    });
    assert.ok(code === 0, `snippet failed (${code ?? signal}): ${stderr}`);
    return stdout.trim().split('\n');
  };
  try {
    const [port, block] = await run();
    const [again] = await run();
    assert.equal(again, port, 'the sticky name got its port back');
    const ports = block.split(' ').map(Number);
    assert.equal(ports.length, 5);
    assert.ok(
      ports.every((p, i) => i === 0 || p === ports[i - 1] + 1),
      `consecutive: ${block}`,
    );
    assert.deepEqual(await core.listLeases({ lockDir }), [], 'every lease was released (the memo stays)');
  } finally {
    rmSync(file, { force: true });
  }
});

/** The "## Named services" section of README.md. */
function namedSection() {
  const start = readme.indexOf('\n## Named services\n');
  assert.notEqual(start, -1, 'README.md has a "## Named services" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end);
}

test('every code block of "Named services" is run by a test or marked as a fragment', () => {
  const section = namedSection();
  const blocks = [...section.matchAll(/(<!--[^>]*-->\n)?```/g)].filter((_, i) => i % 2 === 0);
  assert.ok(blocks.length > 0);
  for (const block of blocks) {
    assert.match(
      block[1] ?? '',
      /readme-test|fragment/,
      `an unmarked block in Named services: ${block.index}`,
    );
  }
});

test("the README's named snippet finds the lease by name, waits for it, and forgets it at release", async () => {
  const section = namedSection();
  const marker = section.indexOf('<!-- readme-test: named');
  assert.notEqual(marker, -1, 'Named services has the named readme-test marker');
  const snippet = /```js\n([\s\S]*?)```/.exec(section.slice(marker))[1];
  const dir = join(here, '..', '.tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `readme-named-${process.pid}.mjs`);
  writeFileSync(file, snippet);
  const lockDir = tempLockDir();
  try {
    const { code, signal, stdout, stderr } = await runProcess(process.execPath, [file], {
      env: { ...process.env, PORTLEASE_DIR: lockDir },
      timeout: 30_000,
    });
    assert.equal(signal, null, `the snippet did not exit by itself: ${stdout}${stderr}`);
    assert.equal(code, 0, stderr);
    assert.deepEqual(stdout.trim().split('\n'), ['true true', 'undefined']);
    assert.deepEqual(recordsIn(lockDir), [], 'every lease was released');
  } finally {
    rmSync(file, { force: true });
  }
});

test("the README's framework table lists the frameworks of server/frameworks.ts", () => {
  const source = readFileSync(join(here, '..', 'src', 'server', 'frameworks.ts'), 'utf8');
  const table = source.slice(
    source.indexOf('export const FRAMEWORKS'),
    source.indexOf('\n];', source.indexOf('export const FRAMEWORKS')),
  );
  const inSource = [...table.matchAll(/\{\s*command: '([^']+)'/g)].map((m) => m[1]);
  const inReadme = [...namedSection().matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1]);
  assert.ok(inSource.length >= 9, `frameworks found in the source: ${inSource}`);
  assert.deepEqual(inReadme, inSource);
});
