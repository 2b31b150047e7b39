// What `portlease list` and `gc` print comes partly from the lock directory, which anyone allowed to
// lease writes: labels and names must not forge rows or reach the terminal as escape sequences.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, core, reserveRange, runNode, tempLockDir } from './helpers.mjs';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

test('list escapes owner labels: a newline cannot forge a row, ESC never reaches the terminal', async () => {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(1);
  const owner = 'api\n65000  alive   1s   1    forged row\u001b[2J\u001b]0;title\u0007\u202eevil\r';
  const lease = await core.leasePort({ lockDir, range: [min, max], owner });
  try {
    const listed = await runNode([cli, 'list', '--lock-dir', lockDir]);
    assert.equal(listed.code, 0, listed.stderr);
    const lines = listed.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, `one header and one row:\n${listed.stdout}`);
    assert.doesNotMatch(listed.stdout, CONTROL);
    assert.match(
      lines[1],
      /api\\n65000 {2}alive {3}1s {3}1 {4}forged row\\x1b\[2J\\x1b\]0;title\\x07\\u202eevil\\r$/,
    );
    const json = JSON.parse((await runNode([cli, 'list', '--json', '--lock-dir', lockDir])).stdout);
    assert.equal(json[0].owner, owner, '--json keeps the label exact (JSON escapes it)');
  } finally {
    lease.releaseSync();
  }
});

test('gc escapes the names it leaves alone', async () => {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(1);
  (await core.leasePort({ lockDir, range: [min, max] })).releaseSync();
  const [scope] = readdirSync(lockDir);
  const portDir = join(lockDir, scope, String(min));
  mkdirSync(portDir, { recursive: true });
  writeFileSync(join(portDir, 'planted\u001b[31m\nremoved 99 stale record(s)'), '');
  const gc = await runNode([cli, 'gc', '--lock-dir', lockDir]);
  assert.equal(gc.code, 0, gc.stderr);
  assert.doesNotMatch(gc.stdout, CONTROL);
  const lines = gc.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 2, gc.stdout);
  assert.match(
    lines[1],
    /^left alone \(not written by portlease\): .*planted\\x1b\[31m\\nremoved 99 stale record\(s\)$/,
  );
});
