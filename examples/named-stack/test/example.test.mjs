// Runs the named stack twice at once, in two project directories (as two worktrees of one project
// would be), sharing one lock directory: in each, `portlease run --name api` and `portlease run
// --name web` in two processes, then the Playwright suite (Chromium), which finds both by name with
// findLease in its config. Each run must pass against its own API and web, on four distinct ports.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cli, core, rangeText, reserveRange, runProcess, tempDir } from '@portlease/test-harness';

const example = join(dirname(fileURLToPath(import.meta.url)), '..');
const playwrightCli = createRequire(join(example, 'package.json')).resolve('@playwright/test/cli');

const children = [];
const made = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/**
 * A checkout of the example: its own directory with a package.json (so its own project), inside the
 * example so that `portlease` and `@playwright/test` resolve from the example's node_modules.
 */
function worktree() {
  const dir = mkdtempSync(join(example, '.worktree-'));
  made.push(dir);
  for (const part of ['api', 'web', 'specs', 'playwright.config.mjs']) {
    cpSync(join(example, part), join(dir, part), { recursive: true });
  }
  writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n');
  return realpathSync(dir);
}

function start(dir, name, env) {
  const child = spawn(
    process.execPath,
    [cli, 'run', '--name', name, '--', process.execPath, `${name}/server.mjs`],
    {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    output += chunk;
  });
  children.push(child);
  return { child, output: () => output };
}

async function runStack(dir, env) {
  // The web server first: it waits for its project's `api` by name.
  const web = start(dir, 'web', env);
  const api = start(dir, 'api', env);
  const port = async (name) => {
    const found = await runProcess(process.execPath, [cli, 'port', name, '--wait', '120'], { cwd: dir, env });
    assert.equal(found.code, 0, `${name}: ${found.output}\n${web.output()}\n${api.output()}`);
    return Number(found.stdout);
  };
  const ports = { api: await port('api'), web: await port('web') };
  const suite = await runProcess(process.execPath, [playwrightCli, 'test', '--reporter=line'], {
    cwd: dir,
    env: { ...env, CI: '1', FORCE_COLOR: '0', OUTPUT_DIR: join(tempDir(), 'results') },
    timeout: 240_000,
  });
  for (const { child } of [web, api]) child.kill('SIGTERM');
  await Promise.all([web, api].map(({ child }) => new Promise((resolve) => child.once('exit', resolve))));
  return { ports, suite };
}

test('two checkouts run the stack at once, each on its own ports, found by name', {
  timeout: 360_000,
}, async () => {
  const lockDir = tempDir();
  const range = await reserveRange(20);
  const env = { ...process.env, PORTLEASE_DIR: lockDir, PORTLEASE_RANGE: rangeText(range) };
  delete env.PORTLEASE_STICKY_SCOPE;
  const [a, b] = [worktree(), worktree()];
  const runs = await Promise.all([runStack(a, env), runStack(b, env)]);
  for (const { suite } of runs) {
    assert.equal(suite.code, 0, suite.output);
    assert.match(suite.output, /2 passed/);
  }
  const ports = runs.flatMap(({ ports }) => [ports.api, ports.web]);
  assert.equal(new Set(ports).size, 4, `ports: ${ports}`);
  for (const port of ports) assert.ok(port >= range[0] && port <= range[1]);
  assert.deepEqual(await core.listLeases({ lockDir }), [], 'every lease released when the stack stops');
});
