// The README's core usage snippet, run exactly as written: extracted from README.md (the code block
// after the `readme-test` marker), saved inside this package so that `import … from 'portlease'`
// resolves to the built package by name, and run as a child process with a private lock directory.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { core, here, recordsIn, tempLockDir } from './helpers.mjs';

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
    const child = spawn(process.execPath, [file], {
      env: { ...process.env, PORTLEASE_DIR: lockDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c) => {
      out += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c) => {
      err += c;
    });
    // A hang (something holding the event loop open) is a failure, not a wait.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const [code, signal] = await new Promise((resolve) => child.once('close', (...r) => resolve(r)));
    clearTimeout(timer);
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
  const run = () =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [file], {
        env: { ...process.env, PORTLEASE_DIR: lockDir },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (c) => {
        out += c;
      });
      child.stderr.setEncoding('utf8').on('data', (c) => {
        err += c;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve(out.trim().split('\n'));
        else reject(new Error(`snippet failed (${code ?? signal}): ${err}`));
      });
    });
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
