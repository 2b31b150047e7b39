// `portlease get` and `run` with --sticky, --sticky-scope and --contiguous, in real processes: a
// sticky name gets its port back run after run, a holder (or a listener) of it forces another one
// without a wait, a block is consecutive, `list` shows the key and contradictions are refused.
// Ports are drawn at random from a range of RANGE, so "the same port again" by chance is 1 in RANGE
// per lease: the repeats below make a CLI that drops --sticky fail.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memoDirOf } from '@portlease/test-harness';
import { bind, cli, core, reserveRange, runNode, tempLockDir, until } from './helpers.mjs';

const RANGE = 40;

/** A lock directory and a range of its own; `get(args)` holds for a sleeper until `release()`. */
async function setup() {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(RANGE);
  const sleepers = [];
  const env = { PORTLEASE_DIR: lockDir };
  const range = ['--range', `${min}-${max}`];
  /** `portlease get --json …`, held for a new `sleep`; resolves the parsed JSON, with `release()`. */
  async function get(args, { cwd } = {}) {
    const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    sleepers.push(sleeper);
    const result = await runIn(
      [cli, 'get', '--json', ...range, '--hold-pid', String(sleeper.pid), ...args],
      env,
      cwd,
    );
    const out = JSON.parse(result.stdout || '{}');
    assert.equal(result.code, 0, `get ${args.join(' ')}: ${result.stdout}${result.stderr}`);
    return {
      ...out,
      async release() {
        sleeper.kill('SIGKILL');
        await until(
          async () => !(await core.listLeases({ lockDir })).some((l) => out.ports.includes(l.port)),
          'the holder to release',
        );
      },
    };
  }
  const done = () => {
    for (const sleeper of sleepers) sleeper.kill('SIGKILL');
  };
  return { lockDir, min, max, env, range, get, done };
}

/** runNode with a working directory (the default sticky scope comes from it). */
function runIn(args, env, cwd) {
  if (cwd === undefined) return runNode(args, { env });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

test('get --sticky web: the same port run after run; a holder or a listener forces another, then it comes back', async () => {
  const s = await setup();
  try {
    const first = await s.get(['--sticky', 'web']);
    assert.deepEqual(first.sticky, ['web']);
    const port = first.names.web;
    assert.deepEqual(first.ports, [port]);

    // Held: a second process of the same project gets another port at once, and `list` shows both keys.
    const second = await s.get(['--sticky', 'web']);
    assert.notEqual(second.names.web, port);
    const listed = await runNode([cli, 'list'], { env: s.env });
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^PORT\s+STATUS\s+AGE\s+PID\s+NAME\s+STICKY\s+OWNER\n/);
    for (const p of [port, second.names.web]) {
      assert.match(
        listed.stdout,
        new RegExp(`^${p}\\s+alive\\s+\\S+\\s+\\d+\\s+web\\s+web\\s+portlease get`, 'm'),
      );
    }
    await second.release();
    await first.release();

    for (let run = 0; run < 3; run++) {
      const again = await s.get(['--sticky', 'web']);
      assert.equal(again.names.web, port, `run ${run + 2} got its sticky port back`);
      await again.release();
    }

    // Busy (a listener that is not portlease's): another port, never a wait; then back once it closes.
    const listener = await bind(port);
    assert.ok(listener.server, `bind ${port}: ${listener.error}`);
    const busy = await s.get(['--sticky', 'web']);
    assert.notEqual(busy.names.web, port);
    await busy.release();
    await new Promise((resolve) => listener.server.close(resolve));
    const back = await s.get(['--sticky', 'web']);
    assert.equal(back.names.web, port, 'the preferred port once free again');
    await back.release();
  } finally {
    s.done();
  }
});

test('--sticky mixes with --name in the order given; each sticky name keeps its own port', async () => {
  const s = await setup();
  try {
    const alone = await s.get(['--sticky', 'web', '--sticky', 'db']);
    await alone.release();
    const mixed = await s.get(['--name', 'api', '--sticky', 'web', '--name', 'hmr', '--sticky', 'db']);
    assert.deepEqual(Object.keys(mixed.names), ['api', 'web', 'hmr', 'db']);
    assert.deepEqual(mixed.ports, [mixed.names.api, mixed.names.web, mixed.names.hmr, mixed.names.db]);
    assert.deepEqual(mixed.sticky, ['web', 'db']);
    assert.equal(mixed.names.web, alone.names.web, 'web, the 2nd port, is sticky');
    assert.equal(mixed.names.db, alone.names.db, 'db, the 4th port, is sticky');
    const leases = await core.listLeases({ lockDir: s.lockDir });
    const key = (p) => leases.find((l) => l.port === p)?.sticky;
    assert.deepEqual(mixed.ports.map(key), [undefined, 'web', undefined, 'db']);
    await mixed.release();

    // run: PORT is the first port given, PORT_<NAME> each, the sticky one its port again.
    const script =
      'const e = process.env; console.log(JSON.stringify([e.PORT, e.PORT_WEB, e.PORT_API, e.PORTLEASE_PORTS]))';
    const ran = await runNode(
      [cli, 'run', ...s.range, '--sticky', 'web', '--name', 'api', '--', 'node', '-e', script],
      {
        env: s.env,
      },
    );
    assert.equal(ran.code, 0, ran.stderr);
    const [port, web, api, all] = JSON.parse(ran.stdout);
    assert.equal(port, web);
    assert.equal(Number(web), alone.names.web);
    assert.equal(all, `${web},${api}`);
  } finally {
    s.done();
  }
});

test('--sticky-scope names the project: the same port from two directories that share it', async () => {
  const s = await setup();
  const dirs = [mkdtempSync(join(tmpdir(), 'pl-scope-a-')), mkdtempSync(join(tmpdir(), 'pl-scope-b-'))];
  try {
    const ports = [];
    for (const cwd of [...dirs, ...dirs]) {
      const got = await s.get(['--sticky', 'web', '--sticky-scope', 'shared project'], { cwd });
      ports.push(got.names.web);
      await got.release();
    }
    assert.deepEqual(ports, [ports[0], ports[0], ports[0], ports[0]]);
  } finally {
    s.done();
  }
});

test('--contiguous: a block of consecutive ports; with one --sticky name the block comes back', async () => {
  const s = await setup();
  try {
    const consecutive = (ports) => ports.every((p, i) => p === ports[0] + i);
    const plain = await s.get(['--count', '5', '--contiguous']);
    assert.equal(plain.ports.length, 5);
    assert.ok(consecutive(plain.ports), `consecutive: ${plain.ports}`);
    assert.deepEqual(plain.sticky, []);
    await plain.release();

    const blocks = [];
    for (let run = 0; run < 3; run++) {
      const block = await s.get(['--count', '4', '--contiguous', '--sticky', 'redis']);
      assert.ok(consecutive(block.ports), `consecutive: ${block.ports}`);
      assert.deepEqual(block.names, { redis: block.ports[0] });
      assert.deepEqual(block.sticky, ['redis']);
      blocks.push(block.ports[0]);
      await block.release();
    }
    assert.deepEqual(blocks, [blocks[0], blocks[0], blocks[0]], 'the sticky block starts at the same port');

    // Without --json, a block named by its base prints the name and every port.
    const sleeper = spawn('sleep', ['600'], { stdio: 'ignore' });
    try {
      const text = await runNode(
        [
          cli,
          'get',
          ...s.range,
          '--count',
          '3',
          '--contiguous',
          '--sticky',
          'redis',
          '--hold-pid',
          String(sleeper.pid),
        ],
        { env: s.env },
      );
      assert.equal(text.code, 0, text.stderr);
      const base = blocks[0];
      assert.equal(text.stdout, `PORT_REDIS=${base}\nPORTLEASE_PORTS=${base},${base + 1},${base + 2}\n`);
    } finally {
      sleeper.kill('SIGKILL');
    }

    // run: the dev server and its HMR port next to it, the pair sticky by its base.
    const script = 'const e = process.env; console.log(JSON.stringify([e.PORT_WEB, e.PORT_HMR]))';
    await until(async () => (await core.listLeases({ lockDir: s.lockDir })).length === 0, 'the release');
    const pairs = [];
    for (let run = 0; run < 2; run++) {
      const ran = await runNode(
        [
          cli,
          'run',
          ...s.range,
          '--contiguous',
          '--sticky',
          'web',
          '--name',
          'hmr',
          '--',
          'node',
          '-e',
          script,
        ],
        { env: s.env },
      );
      assert.equal(ran.code, 0, ran.stderr);
      pairs.push(JSON.parse(ran.stdout).map(Number));
    }
    assert.equal(pairs[0][1], pairs[0][0] + 1);
    assert.deepEqual(pairs[1], pairs[0]);
  } finally {
    s.done();
  }
});

test('contradictory or bad --sticky, --sticky-scope and --contiguous combinations are coded usage errors', async () => {
  const lockDir = tempLockDir();
  const cases = [
    [['--name', 'web', '--sticky', 'web'], /web is given both as --name and as --sticky.*give it once/],
    [['--sticky', 'web', '--sticky', 'web'], /--sticky web is given twice/],
    [
      ['--sticky', 'web-ui', '--name', 'web_ui'],
      /--sticky web-ui and --name web_ui would both print PORT_WEB_UI/,
    ],
    [
      ['--contiguous', '--sticky', 'a', '--sticky', 'b'],
      /give one --sticky NAME \(got --sticky a, --sticky b\)/,
    ],
    [
      ['--contiguous', '--name', 'a', '--sticky', 'b'],
      /only the block's first port can be sticky.*put --sticky b before/,
    ],
    [
      ['--count', '3', '--sticky', 'web'],
      /--count 3 and 1 --name\/--sticky port\(s\) disagree.*add --contiguous/,
    ],
    [
      ['--count', '3', '--contiguous', '--sticky', 'a', '--name', 'b'],
      /give either --count or --name\/--sticky/,
    ],
    [['--sticky-scope', 'x'], /--sticky-scope applies only to --sticky ports/],
    [
      ['--sticky', 'web', '--sticky-scope', ''],
      /--sticky-scope must be a non-empty string of up to 1000 characters/,
    ],
    // One sticky-name rule with the API (9lives and web.ui are names there and here).
    [
      ['--sticky', 'has space'],
      /--sticky must be a sticky name of letters, digits and \. _ : - .*got "has space"/,
    ],
    [['--sticky', `w${'x'.repeat(100)}`], /--sticky must be a sticky name .*up to 100/],
    [['--sticky'], /--sticky needs a value/],
  ];
  for (const [args, message] of cases) {
    const got = await runNode([cli, 'get', '--json', ...args], { env: { PORTLEASE_DIR: lockDir } });
    assert.equal(got.code, 2, `get ${args.join(' ')}: ${got.stdout}${got.stderr}`);
    const { v, error } = JSON.parse(got.stdout);
    assert.equal(v, 1);
    assert.equal(error.code, 'INVALID_OPTIONS', args.join(' '));
    assert.match(error.message, message, args.join(' '));
    const ran = await runNode([cli, 'run', ...args, '--', 'true'], { env: { PORTLEASE_DIR: lockDir } });
    assert.equal(ran.code, 2, `run ${args.join(' ')}: ${ran.stderr}`);
    assert.match(ran.stderr, /^portlease: \[INVALID_OPTIONS\] /);
    assert.match(ran.stderr, message, `run ${args.join(' ')}`);
  }
  assert.deepEqual(await core.listLeases({ lockDir }), [], 'nothing was leased');
});

test('list shows no STICKY column without a sticky lease; gc reports the memos it removed', async () => {
  const s = await setup();
  try {
    const plain = await s.get(['--count', '2']);
    const listed = await runNode([cli, 'list'], { env: s.env });
    assert.match(listed.stdout, /^PORT\s+STATUS\s+AGE\s+PID\s+OWNER\n/);
    await plain.release();

    // Two keys leave two memos; one of them last used 31 days ago is the one gc removes.
    for (const name of ['old', 'recent']) await (await s.get(['--sticky', name])).release();
    const memos = readdirSync(s.lockDir).flatMap((scope) => {
      const dir = memoDirOf(s.lockDir, scope);
      return existsSync(dir) ? readdirSync(dir).map((file) => join(dir, file)) : [];
    });
    const age = (name) => {
      const files = memos.filter(
        (file) => existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).name === name,
      );
      assert.equal(files.length, 1, `one memo of ${name} among ${memos}`);
      const memo = JSON.parse(readFileSync(files[0], 'utf8'));
      writeFileSync(files[0], JSON.stringify({ ...memo, used: Date.now() - 31 * 24 * 3600 * 1000 }));
    };
    age('old');
    const gc = await runNode([cli, 'gc', '--json'], { env: s.env });
    assert.equal(gc.code, 0, gc.stderr);
    assert.equal(JSON.parse(gc.stdout).memos, 1, 'the recent memo stays');
    age('recent');
    const text = await runNode([cli, 'gc'], { env: s.env });
    assert.match(text.stdout, /, 1 sticky memo\(s\) unused for 30 days\n$/);
  } finally {
    s.done();
  }
});
