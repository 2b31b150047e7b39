// `portlease get` as a user runs it: the packed package installed with npm into a fresh project,
// called through a real `npx` and a real npm script. The ports must be held for the shell that ran
// the command, not for npm's short-lived `sh -c` (gone as soon as the command returns).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { core, here, pnpm, recordsIn, tempLockDir, until } from './helpers.mjs';

let project;

before(() => {
  const packDir = tempLockDir();
  pnpm(['pack', '--pack-destination', packDir], { cwd: join(here, '..'), stdio: 'ignore' });
  const tarball = join(
    packDir,
    readdirSync(packDir).find((name) => name.endsWith('.tgz')),
  );
  project = tempLockDir();
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({
      name: 'fresh-project',
      private: true,
      scripts: {
        ports: 'portlease get --json',
        'ports-then-use':
          'portlease get --json && node -e "console.log(JSON.stringify({ scriptShell: process.ppid }))"',
      },
    }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
    cwd: project,
    stdio: 'ignore',
  });
});

/**
 * Runs `script` in bash in the project; it prints `{"shell": $$}` first. Resolves its JSON lines once
 * it prints `{"done":…}`; bash then waits for its stdin to close (so its leases stay held meanwhile).
 */
function bash(script, env) {
  const child = spawn(
    'bash',
    ['-c', `echo "{\\"shell\\": $$}"; ${script}; echo '{"done":true}'; read -r _`],
    {
      cwd: project,
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (err += chunk));
  const lines = new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      out += chunk;
      if (out.includes('{"done":true}'))
        resolve(
          out
            .trim()
            .split('\n')
            .map((line) => JSON.parse(line)),
        );
    });
    child.once('exit', (code) => reject(new Error(`bash exited ${code} early:\n${out}\n${err}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return { lines, end: () => child.stdin.end(), exited };
}

/** After the wrappers are gone the holder has had many polls (250 ms) to notice a wrong hold pid. */
const afterWrappersAreGone = 'sleep 1.5';

for (const [how, command] of [
  ['npx portlease get', 'npx portlease get --json'],
  ['npm run (a script that is just portlease get)', 'npm run -s ports'],
  [
    'eval "$(npx portlease get --name api)"',
    'eval "$(npx portlease get --name api)"; echo "{\\"api\\": $PORT_API}"',
  ],
]) {
  test(`${how} holds the ports for the calling shell`, async () => {
    const lockDir = tempLockDir();
    const run = bash(`${command}; ${afterWrappersAreGone}`, { PORTLEASE_DIR: lockDir });
    try {
      const [{ shell }, printed] = await run.lines;
      const leases = await core.listLeases({ lockDir });
      assert.equal(
        leases.length,
        1,
        `the lease is still held after npm/npx returned: ${JSON.stringify(printed)}`,
      );
      assert.equal(leases[0].status, 'alive');
      if (printed.holdPid !== undefined) {
        assert.equal(printed.v, 1);
        assert.equal(printed.holdPid, shell, 'held for the shell, past npm/npx and sh -c');
        assert.equal(leases[0].port, printed.ports[0]);
      } else assert.equal(leases[0].port, printed.api);
    } finally {
      run.end();
    }
    await run.exited;
    await until(() => recordsIn(lockDir).length === 0, 'the lease to be released once the shell exited');
  });
}

test('an npm script with more than the command holds for the script shell, which lives while it runs', async () => {
  const lockDir = tempLockDir();
  const run = bash('npm run -s ports-then-use', { PORTLEASE_DIR: lockDir });
  try {
    const [, printed, { scriptShell }] = await run.lines;
    assert.equal(printed.holdPid, scriptShell);
  } finally {
    run.end();
  }
  await run.exited;
  await until(() => recordsIn(lockDir).length === 0, 'the lease to be released after the script');
});
