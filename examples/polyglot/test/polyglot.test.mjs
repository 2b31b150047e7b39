// Runs the polyglot demo for real (Python and shell through `portlease get --json --hold-pid`, Node
// through the library, one lock directory, everyone binding at once) and checks the clients on their
// own: a port they hold is not leased to anyone else until their process dies, and they read both
// the CLI's current output and its v1 contract ({"v":1,"ports":…} / {"v":1,"error":…}).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as core from 'portlease';
import {
  example,
  fakeCli,
  lease,
  nodeHolder,
  nodeLease,
  noPython,
  python,
  reserveRange,
  tempDir,
  until,
} from './helpers.mjs';

test('the demo: Python, shell and Node all bind at once; portlease gives each its own ports, the naive way collides', {
  skip: noPython,
  timeout: 180_000,
}, async () => {
  const lockDir = tempDir();
  const [min, max] = await reserveRange(24); // 6 processes x 4 ports: every port of the range is used
  const result = spawnSync(process.execPath, [join(example, 'run.mjs'), '--json', '--ports', '4'], {
    encoding: 'utf8',
    env: { ...process.env, PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${min}-${max}` },
  });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  const report = JSON.parse(result.stdout);

  const { participants, listed, leftAfterExit } = report.portlease;
  assert.deepEqual(participants.map((p) => p.lang).sort(), [
    'node',
    'node',
    'python',
    'python',
    'shell',
    'shell',
  ]);
  const owners = new Map();
  for (const p of participants) {
    assert.equal(p.failure, undefined, `${p.who}: ${JSON.stringify(p.failure)}`);
    assert.equal(p.ports.length, 4, p.who);
    assert.deepEqual(
      p.results,
      p.ports.map((port) => ({ port, ok: true })),
      `${p.who} bound every port`,
    );
    for (const port of p.ports) {
      assert.ok(port >= min && port <= max, `${port} outside ${min}-${max}`);
      assert.equal(owners.get(port), undefined, `${port} given to ${owners.get(port)} and ${p.who}`);
      owners.set(port, p.who);
    }
  }
  assert.equal(owners.size, 24, 'zero collisions: 24 distinct ports');
  // While they held: one live record per port in the lock directory, owned by the process that bound it.
  assert.deepEqual(
    listed.map((l) => [l.port, l.status, l.owner]).sort((a, b) => a[0] - b[0]),
    [...owners].map(([port, who]) => [port, 'alive', who]).sort((a, b) => a[0] - b[0]),
  );
  assert.deepEqual(leftAfterExit, []);
  assert.deepEqual(await core.listLeases({ lockDir }), [], 'nothing left once everyone exited');

  // The naive way in the same range: ports chosen twice, and binds failing with EADDRINUSE.
  const naive = report.naive.participants;
  const chosen = naive.flatMap((p) => p.ports);
  assert.ok(new Set(chosen).size < chosen.length, `naive picks should collide: ${chosen}`);
  const failed = naive.flatMap((p) => p.results.filter((r) => !r.ok));
  assert.ok(failed.length > 0, 'the naive way should fail some binds');
  assert.ok(
    failed.every((r) => r.error === 'EADDRINUSE'),
    JSON.stringify(failed),
  );
});

for (const lang of ['python', 'shell']) {
  test(`${lang}: a port the client leased is held for its process: Node cannot lease it until that process dies`, {
    skip: lang === 'python' && noPython,
    timeout: 60_000,
  }, async () => {
    const lockDir = tempDir();
    const [port] = await reserveRange(1);
    const env = { PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${port}-${port}` };
    const { client, answer } = await lease(lang, 1, env);
    assert.deepEqual(answer.ports, [port], JSON.stringify(answer));
    // Longer than the holder's check of its process (every 500 ms): a lease held for the wrong pid
    // (the CLI's own, which has exited) would be gone by now.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await nodeLease(port, lockDir), 'RANGE_EXHAUSTED', 'Node got a port the client holds');
    const second = await lease(lang, 1, env);
    assert.equal(
      second.answer.code,
      'RANGE_EXHAUSTED',
      `a second ${lang} client: ${JSON.stringify(second.answer)}`,
    );
    second.client.child.kill('SIGKILL');

    client.child.kill('SIGKILL');
    await client.exited;
    const taken = await until(
      async () => {
        const result = await nodeLease(port, lockDir);
        return typeof result === 'object' ? result : undefined;
      },
      `the port of the killed ${lang} client to be free again`,
      { ms: 30_000 },
    );
    assert.equal(taken.port, port);
    await taken.release();
  });

  test(`${lang}: the client passes its own pid and reads the CLI's current and v1 answers`, {
    skip: lang === 'python' && noPython,
    timeout: 60_000,
  }, async () => {
    const dir = tempDir();
    const argvFile = join(dir, 'argv.json');
    const [a, b] = await reserveRange(2);
    const run = async (stdout, code = 0, stderr = '') => {
      const env = {
        PORTLEASE_CLI: fakeCli,
        FAKE_ARGV_FILE: argvFile,
        FAKE_STDOUT: stdout,
        FAKE_STDERR: stderr,
        FAKE_CODE: String(code),
      };
      const { client, answer } = await lease(lang, 2, env);
      client.child.kill();
      return { answer, argv: JSON.parse(readFileSync(argvFile, 'utf8')) };
    };

    const v1 = await run(`${JSON.stringify({ v: 1, ports: [a, b], holdPid: 1, holderPid: 2, extra: {} })}\n`);
    assert.deepEqual(v1.answer.ports, [a, b]);
    const at = v1.argv.indexOf('--hold-pid');
    assert.equal(v1.argv[0], 'get');
    assert.ok(v1.argv.includes('--json'));
    assert.equal(v1.argv[at + 1], String(v1.answer.pid), 'holds for the client process itself');
    assert.deepEqual(v1.argv.slice(v1.argv.indexOf('--count'), v1.argv.indexOf('--count') + 2), [
      '--count',
      '2',
    ]);

    assert.deepEqual(
      (await run(`${JSON.stringify({ ports: [a, b], holdPid: 1, holderPid: 2 })}\n`)).answer.ports,
      [a, b],
    );
    const error = { v: 1, error: { code: 'RANGE_EXHAUSTED', message: `No free port in ${a}-${b}` } };
    assert.equal((await run(JSON.stringify(error), 1)).answer.code, 'RANGE_EXHAUSTED');
    assert.equal(
      (await run(JSON.stringify(error), 0)).answer.code,
      'RANGE_EXHAUSTED',
      'an error object with exit 0',
    );
    const old = await run('', 1, 'portlease: [LOCK_DIR_UNSAFE] Lock directory /x is a symbolic link.\n');
    assert.equal(old.answer.code, 'LOCK_DIR_UNSAFE');
    assert.ok(!(await run('not json', 0)).answer.ports, 'garbage is a failure, not ports');
    assert.ok(!(await run(JSON.stringify({ v: 1, ports: [a] }), 0)).answer.ports, 'fewer ports than asked');
  });
}

test('a reader written from docs/protocol.md alone agrees with portlease list on layout, records and liveness', {
  skip: noPython,
  timeout: 60_000,
}, async () => {
  const lockDir = tempDir();
  const [min, max] = await reserveRange(6);
  const env = { PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: `${min}-${max}` };
  const live = await nodeHolder(2, 'live node', env);
  const killed = await nodeHolder(2, 'killed node', env);
  killed.holder.child.kill('SIGKILL');
  await killed.holder.exited;
  // A live owner's record with a corrupt body: still alive, since liveness comes from the name.
  const [first] = (await core.listLeases({ lockDir })).filter((l) => l.owner === 'live node');
  writeFileSync(first.path, '{"v": 1, "owner": tru');
  try {
    const fromNode = (await core.listLeases({ lockDir })).map((l) => ({
      port: l.port,
      token: l.token,
      status: l.status,
      ...(l.problem ? { problem: l.problem } : { owner: l.owner, pid: l.pid }),
    }));
    const read = spawnSync(python, [join(example, 'portlease_protocol.py'), lockDir], {
      encoding: 'utf8',
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    });
    assert.equal(read.status, 0, read.stderr);
    const byPort = (a, b) => a.port - b.port || a.token.localeCompare(b.token);
    assert.deepEqual(JSON.parse(read.stdout).sort(byPort), fromNode.sort(byPort));
    assert.deepEqual(
      fromNode.map((l) => l.status).sort(),
      ['alive', 'alive', 'stale', 'stale'],
      'two live records (one corrupt) and two of the killed owner',
    );
    assert.ok(fromNode.some((l) => l.status === 'alive' && l.problem === 'corrupt'));
    assert.deepEqual(
      fromNode
        .filter((l) => l.status === 'alive')
        .map((l) => l.port)
        .sort(),
      [...live.ports].sort(),
    );
  } finally {
    live.holder.child.stdin.end();
    await live.holder.exited;
  }
});

test("the README lists every keyword argument of the Python client's lease_ports", () => {
  const here = join(import.meta.dirname, '..');
  const source = readFileSync(join(here, 'portlease_client.py'), 'utf8');
  const signature = /def lease_ports\(([^)]*)\)/.exec(source)[1];
  const keywords = signature.split(',').map((part) => part.split('=')[0].trim());
  const readme = readFileSync(join(here, 'README.md'), 'utf8');
  const missing = keywords.filter((keyword) => !readme.includes(`| \`${keyword}\``));
  assert.deepEqual(missing, [], 'each keyword has a row in the README');
  assert.match(readme, /needs a built\s+workspace/, 'the demo says it needs a built workspace');
});
