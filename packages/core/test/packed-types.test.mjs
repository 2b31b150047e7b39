// The published types of all four packages, as a new TypeScript user gets them: each package packed
// (`pnpm pack`), installed with npm outside the workspace beside the runners and `@types/node`, as
// the READMEs say, and type-checked by TypeScript 5.9 and 7 with a tsconfig that names no `types`.
// TypeScript 7 loads no @types package by default, so a .d.ts that uses Node's globals
// (`NodeJS.ProcessEnv`, `AsyncDisposable`) must reference them itself.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { here, pnpm, tempLockDir } from './helpers.mjs';

const packages = ['core', 'playwright-fixture', 'vitest-plugin', 'jest-env'];
/** What `npm install` gives a new project today (December 2026). */
const installs = [
  '@types/node@22',
  '@playwright/test@1.65.2',
  'vitest@5.1.2',
  'jest@30.5.2',
  'jest-environment-node@30.5.2',
  'ts5@npm:typescript@5.9.3',
  'ts7@npm:typescript@7',
];

/**
 * One program per package, each checked on its own: a program that also imports a package whose
 * types load @types/node (Vitest's do) would hide a .d.ts that needs it and does not say so.
 */
const programs = {
  'core.mts': `import { leasePort, startServer, type PortLease, type StartServerOptions } from 'portlease';
await using lease: PortLease = await leasePort({ range: [20000, 20010] });
export const port: number = lease.port;
export const options: StartServerOptions = { port, command: ['node', 'server.mjs'], env: process.env };
export const start = startServer;
`,
  'core.cts': `import core = require('portlease');
export const lease: Promise<core.PortLease> = core.leasePort();
`,
  'get-port.mts': `import getPort, { portNumbers } from 'portlease/get-port';
export const free: Promise<number> = getPort({ port: portNumbers(3000, 3100) });
`,
  'playwright.mts': `import { leaseRunPort, test, type PortleaseWorkerOptions } from '@portlease/playwright';
export const options: PortleaseWorkerOptions = { portlease: { sticky: true }, workerServer: { command: 'node server.mjs' } };
export const pieces = [leaseRunPort, test];
`,
  'vitest.mts': `import { portlease } from '@portlease/vitest';
export const plugin = portlease({ ports: ['api'] });
`,
  'jest.mts': `import type { PortleaseEnvironmentOptions } from '@portlease/jest';
export const options: PortleaseEnvironmentOptions = { range: [20000, 20010] };
`,
};

test('the packed packages type-check with TypeScript 5.9 and 7, @types/node installed, no "types" in tsconfig', {
  timeout: 600_000,
}, () => {
  const work = tempLockDir();
  const packs = join(work, 'packs');
  mkdirSync(packs);
  for (const name of packages) {
    pnpm(['pack', '--pack-destination', packs], { cwd: join(here, '..', '..', name), stdio: 'ignore' });
  }
  const tarballs = readdirSync(packs).map((file) => join(packs, file));
  assert.equal(tarballs.length, 4, 'one tarball per package');
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs, ...installs], {
    cwd: project,
    stdio: 'ignore',
  });
  const failures = [];
  for (const [file, code] of Object.entries(programs)) {
    writeFileSync(join(project, file), code);
    // A tsconfig as users keep it: strict, Node's module system, nothing about types.
    writeFileSync(
      join(project, `tsconfig.${file}.json`),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'nodenext',
          moduleResolution: 'nodenext',
          target: 'es2022',
          noEmit: true,
        },
        files: [file],
      }),
    );
    for (const ts of ['ts5', 'ts7']) {
      const tsc = join(project, 'node_modules', ts, 'bin', 'tsc');
      const version = spawnSync(process.execPath, [tsc, '--version'], { encoding: 'utf8' }).stdout.trim();
      const check = spawnSync(process.execPath, [tsc, '-p', `tsconfig.${file}.json`], {
        cwd: project,
        encoding: 'utf8',
      });
      if (check.status !== 0) failures.push(`${file}, ${version}:\n${check.stdout}${check.stderr}`);
    }
  }
  assert.deepEqual(failures, [], failures.join('\n'));
});
