// Named services on one host, in real processes: a named lease records its name and project, so
// `portlease port NAME`, findLease and waitForLease in other processes find it; two project
// directories (two worktrees) each have their own `web`; `--wait` returns only once the port
// accepts connections; `list` shows names.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '@portlease/test-harness';
import { cli, core, fixture, reserveRange, runProcess, tempLockDir, until } from './helpers.mjs';

const server = fixture('http-on-port.mjs');

/** A directory that is a project of its own (it holds a package.json), as one worktree is. */
function project(name) {
  const dir = join(tempDir('pl-names-'), name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{"private":true}');
  return dir;
}

const children = [];
// A failed test must not leave a server holding the test process open.
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts `node cli.js …args` in `cwd`; `listening()` resolves the port its server printed. */
function start(args, { cwd, env }) {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    exited,
    output: () => out + err,
    async listening() {
      await until(() => /"listening":\d+/.test(out), `the server to listen: ${out}${err}`, { ms: 20_000 });
      return JSON.parse(/\{"listening":\d+\}/.exec(out)[0]).listening;
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

const portCmd = (args, { cwd, env }) =>
  runProcess(process.execPath, [cli, 'port', ...args], {
    cwd,
    env: { ...process.env, ...env },
    timeout: 60_000,
  });

test('two worktrees each find their own `web` by name; list and list --json show the name', async () => {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(20);
  const env = { PORTLEASE_DIR: lockDir };
  const a = project('a');
  const b = project('b');
  const run = (cwd) =>
    start(['run', '--name', 'web', '--range', `${min}-${max}`, '--', process.execPath, server], { cwd, env });
  const webA = run(a);
  const webB = run(b);
  try {
    const [portA, portB] = await Promise.all([webA.listening(), webB.listening()]);
    assert.notEqual(portA, portB);
    for (const [cwd, expected] of [
      [a, portA],
      [b, portB],
    ]) {
      const found = await portCmd(['web'], { cwd, env });
      assert.equal(found.code, 0, found.stderr);
      assert.equal(found.stdout, `${expected}\n`, `portlease port web in ${cwd}`);
      const viaApi = await core.findLease('web', { lockDir, stickyScope: cwd });
      assert.equal(viaApi?.port, expected);
    }
    const listed = await runProcess(process.execPath, [cli, 'list'], { env: { ...process.env, ...env } });
    assert.match(listed.stdout, /^PORT\s+STATUS\s+AGE\s+PID\s+NAME\s+OWNER\n/);
    assert.match(
      listed.stdout,
      new RegExp(`^${portA}\\s+alive\\s+\\S+\\s+\\d+\\s+web\\s+portlease run`, 'm'),
    );
    const json = JSON.parse(
      (await runProcess(process.execPath, [cli, 'list', '--json'], { env: { ...process.env, ...env } }))
        .stdout,
    );
    const entry = json.find((l) => l.port === portA);
    assert.equal(entry.name, 'web');
    assert.equal(entry.project, a, 'the project is the directory holding the package.json');
    const asJson = await portCmd(['web', '--json'], { cwd: a, env });
    assert.deepEqual(JSON.parse(asJson.stdout), entry, 'port --json prints the lease as list --json does');
  } finally {
    await Promise.all([webA.stop(), webB.stop()]);
  }
  // Released with the command: not found any more.
  const gone = await portCmd(['web'], { cwd: a, env });
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /\[NOT_FOUND\] No live lease named "web" in this project/);
  assert.equal(gone.stdout, '');
});

test('port --wait waits for the lease and for its port to accept connections; TIMEOUT past it', async () => {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(20);
  const env = { PORTLEASE_DIR: lockDir };
  const cwd = project('wait');
  // Asked before the service exists: it is leased later, and listens 1.5 s after that.
  const waiting = portCmd(['api', '--wait', '60'], { cwd, env });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const api = start(['run', '--name', 'api', '--range', `${min}-${max}`, '--', process.execPath, server], {
    cwd,
    env: { ...env, LISTEN_DELAY: '1500' },
  });
  try {
    const found = await waiting;
    assert.equal(found.code, 0, found.stderr);
    const port = Number(found.stdout);
    // It returned only once the port accepted: the server has printed, and answers.
    assert.equal(await api.listening(), port);
    assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), 'ok');
  } finally {
    await api.stop();
  }
  const late = await portCmd(['api', '--wait', '0.5'], { cwd, env });
  assert.equal(late.code, 1);
  assert.match(late.stderr, /\[TIMEOUT\] No live lease named "api" appeared/);
  const bad = await portCmd(['api', '--wait', 'soon'], { cwd, env });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--wait must be a number of seconds/);
});

test('the name and sticky lease options record names; findLease and waitForLease find them across processes', async () => {
  const lockDir = tempLockDir();
  const [min, max] = await reserveRange(20);
  const stickyScope = 'names-api';
  const script = `
    import { leasePort, leasePorts } from ${JSON.stringify(join(fixture('..'), '..', 'dist', 'index.js'))};
    const range = [${min}, ${max}];
    const one = await leasePort({ range, name: 'api', stickyScope: ${JSON.stringify(stickyScope)} });
    const many = await leasePorts(3, { range, name: ['db', undefined, undefined], sticky: [undefined, undefined, 'web'], stickyScope: ${JSON.stringify(stickyScope)} });
    const plain = await leasePort({ range });
    console.log(JSON.stringify({ api: one.toJSON(), many: many.map((l) => l.toJSON()), plain: plain.toJSON() }));
    process.stdin.resume();
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PORTLEASE_DIR: lockDir },
  });
  children.push(child);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => {
    out += c;
  });
  await until(() => out.includes('\n'), 'the leases');
  const got = JSON.parse(out);
  assert.equal(got.api.name, 'api');
  assert.deepEqual(
    got.many.map((l) => l.name),
    ['db', undefined, 'web'],
    'a sticky port is named by its sticky name',
  );
  assert.equal(got.plain.name, undefined);
  const options = { lockDir, stickyScope };
  assert.equal((await core.findLease('api', options))?.port, got.api.port);
  assert.equal((await core.findLease('db', options))?.port, got.many[0].port);
  assert.equal((await core.findLease('web', options))?.port, got.many[2].port);
  assert.equal(await core.findLease('api', { lockDir, stickyScope: 'another project' }), undefined);
  const listed = await core.listLeases({ lockDir });
  assert.equal(
    listed.find((l) => l.port === got.plain.port).name,
    undefined,
    'an unnamed lease records no name',
  );
  // Leased, nothing listening: waitForLease with listening: false returns it, the default times out.
  assert.equal(
    (await core.waitForLease('api', { ...options, listening: false, timeout: 5000 })).port,
    got.api.port,
  );
  await assert.rejects(core.waitForLease('api', { ...options, timeout: 300 }), (error) => {
    assert.equal(error.code, 'TIMEOUT');
    assert.match(
      error.message,
      new RegExp(`holds port ${got.api.port} .*but nothing accepted a TCP connection`),
    );
    return true;
  });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 200).unref();
  await assert.rejects(core.waitForLease('nobody', { ...options, signal: controller.signal }), {
    code: 'ABORTED',
  });
  child.kill('SIGKILL');
  // Killed: its leases are dead, so they are not found, whatever their records say.
  await until(
    async () => (await core.findLease('api', options)) === undefined,
    'the dead lease to be ignored',
  );
});

test('bad names and options are coded errors', async () => {
  const lockDir = tempLockDir();
  await assert.rejects(
    core.leasePort({ lockDir, name: 'has space' }),
    /\[INVALID_OPTIONS\] name must be a name/,
  );
  await assert.rejects(
    core.leasePorts(2, { lockDir, name: ['a'] }),
    /name must hold one entry per port: 2 asked, 1/,
  );
  await assert.rejects(core.leasePorts(2, { lockDir, name: ['a', 'a'] }), /name\[1\] repeats "a"/);
  await assert.rejects(
    core.leasePort({ lockDir, name: 'a', sticky: 'b' }),
    /is "a" but the same port is sticky as "b"/,
  );
  await assert.rejects(
    core.findLease('', { lockDir }),
    /\[INVALID_OPTIONS\] findLease name must be a name of/,
  );
  await assert.rejects(core.findLease('x', { lockDir, nmae: 1 }), /has no option "nmae"/);
  await assert.rejects(
    core.waitForLease('x', { lockDir, timeout: -1 }),
    /timeout must be a number of milliseconds/,
  );
  const usage = await portCmd([], { env: { PORTLEASE_DIR: lockDir } });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /portlease port needs a name/);
});
