// Adopting a port the kernel chose (Linux: the process tree's sockets read from /proc), in real
// processes: `portlease run --name api --adopt` finds the one port its server bound on port 0 and
// leases it under the name (others find it, the allocator never hands it out), released when the
// command exits; several ports or none are coded errors. startServer({ adopt: true }) the same.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { tempDir } from '@portlease/test-harness';
import { cli, core, fixture, runProcess, tempLockDir, until } from './helpers.mjs';

const server = fixture('http-on-port.mjs');
const children = [];
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

function project() {
  const dir = join(tempDir('pl-adopt-'), 'app');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), '{"private":true}');
  return dir;
}

const cliIn = (args, cwd, env, timeout = 60_000) =>
  runProcess(process.execPath, [cli, ...args], { cwd, env: { ...process.env, ...env }, timeout });

test('run --adopt leases the port its server bound on port 0, under the name, until it exits', async () => {
  const lockDir = tempLockDir();
  const env = { PORTLEASE_DIR: lockDir };
  const cwd = project();
  // Through a shell, so the listener is a grandchild: the whole tree is searched.
  const child = spawn(
    process.execPath,
    [cli, 'run', '--name', 'api', '--adopt', '--', 'sh', '-c', `"${process.execPath}" "${server}"`],
    {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.push(child);
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (c) => {
    out += c;
  });
  const found = await cliIn(['port', 'api', '--wait', '30'], cwd, env);
  assert.equal(found.code, 0, found.stderr);
  const port = Number(found.stdout);
  await until(() => out.includes('listening'), 'the server to print its port');
  assert.equal(JSON.parse(out).listening, port, 'the adopted port is the one the kernel gave the server');
  assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), 'ok');
  // No portlease user is handed it: a lease confined to that one port finds it held.
  await assert.rejects(core.leasePort({ lockDir, range: [port, port] }), { code: 'RANGE_EXHAUSTED' });
  const [listed] = (await core.listLeases({ lockDir })).filter((l) => l.port === port);
  assert.equal(listed.name, 'api');
  assert.equal(listed.status, 'alive');
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  assert.deepEqual(await core.listLeases({ lockDir }), [], 'released when the command exits');
});

test('run --adopt: several ports is ADOPT_AMBIGUOUS naming them, none is TIMEOUT; the command is stopped', async () => {
  const lockDir = tempLockDir();
  const env = { PORTLEASE_DIR: lockDir };
  const cwd = project();
  const two = await cliIn(['run', '--name', 'api', '--adopt', '--', process.execPath, server], cwd, {
    ...env,
    EXTRA_PORT: '1',
  });
  assert.equal(two.code, 1, two.output);
  const ports = JSON.parse(/\{"listening":\d+\}/.exec(two.stdout)[0]).listening;
  assert.match(two.stderr, new RegExp(`\\[ADOPT_AMBIGUOUS\\] .* listens on 2 ports \\(.*${ports}.*\\)`));
  const none = await cliIn(
    [
      'run',
      '--name',
      'api',
      '--adopt',
      '--adopt-timeout',
      '1',
      '--',
      process.execPath,
      '-e',
      'setTimeout(() => {}, 60000)',
    ],
    cwd,
    env,
  );
  assert.equal(none.code, 1, none.output);
  assert.match(none.stderr, /\[TIMEOUT\] .* did not listen on any TCP port within 1 s/);
  const usage = await cliIn(['run', '--adopt', '--', 'true'], cwd, env);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /--adopt takes one --name NAME/);
  assert.deepEqual(await core.listLeases({ lockDir }), []);
});

test('startServer({ adopt: true }) leases the port the command chose, found by name, released at stop', async () => {
  const lockDir = tempLockDir();
  const stickyScope = 'adopt-start-server';
  const running = await core.startServer({
    command: [process.execPath, server],
    adopt: true,
    lease: { lockDir, name: 'svc', stickyScope },
  });
  try {
    assert.equal(await (await fetch(`${running.url}/`)).text(), 'ok');
    assert.equal((await core.findLease('svc', { lockDir, stickyScope }))?.port, running.port);
  } finally {
    await running.stop();
  }
  assert.equal(await core.findLease('svc', { lockDir, stickyScope }), undefined);
  await assert.rejects(core.startServer({ start: () => {}, adopt: true }), /adopt needs a `command`/);
});
