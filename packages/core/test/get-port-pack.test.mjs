// `portlease/get-port` as installed: the core package is packed (`pnpm pack`), unpacked into a fresh
// project's node_modules, and the subpath is imported from there with ESM `import`, CJS `require`
// and type-checked from TypeScript in both module kinds, as a user's project would.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { here, pnpm, reserveRange, tempLockDir } from './helpers.mjs';

const packageDir = join(here, '..');
const readme = readFileSync(join(here, '..', '..', '..', 'README.md'), 'utf8');
const migration = readme.slice(readme.indexOf('## Migrating from get-port'), readme.indexOf('## CLI'));

/** The code blocks of the README's migration section, in order: [language, text]. */
function migrationBlocks() {
  return [...migration.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => [m[1], m[2]]);
}
const require = createRequire(import.meta.url);

let installed;
/** One packed and unpacked copy of the package for this file's tests (packing takes seconds). */
function install() {
  installed ??= unpack();
  return installed;
}

function unpack() {
  const work = tempLockDir();
  pnpm(['pack', '--pack-destination', work], { cwd: packageDir, stdio: 'pipe' });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  assert.ok(tarball, 'pnpm pack wrote a tarball');
  const project = join(work, 'project');
  mkdirSync(join(project, 'node_modules'), { recursive: true });
  execFileSync('tar', ['-xzf', join(work, tarball), '-C', join(project, 'node_modules')]);
  renameSync(join(project, 'node_modules', 'package'), join(project, 'node_modules', 'portlease'));
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
  return project;
}

const program = (load) => `${load}
const first = await getPort({ port: portNumbers(MIN, MAX) });
const second = await getPort({ port: portNumbers(MIN, MAX) });
clearLockedPorts();
const again = await getPort({ port: portNumbers(MIN, MAX) });
console.log(JSON.stringify({ first, second, again }));
`;

test('the packed package serves portlease/get-port to import, require and TypeScript', async () => {
  const project = install();
  const [min, max] = await reserveRange(3);
  const bounds = (text) => text.replaceAll('MIN', String(min)).replaceAll('MAX', String(max));
  writeFileSync(
    join(project, 'esm.mjs'),
    bounds(program("import getPort, { portNumbers, clearLockedPorts } from 'portlease/get-port';")),
  );
  writeFileSync(
    join(project, 'cjs.cjs'),
    bounds(
      `(async () => {${program("const { default: getPort, portNumbers, clearLockedPorts } = require('portlease/get-port');")}})();`,
    ),
  );
  const env = { ...process.env, PORTLEASE_DIR: tempLockDir() };
  for (const file of ['esm.mjs', 'cjs.cjs']) {
    const run = spawnSync(process.execPath, [file], { cwd: project, env, encoding: 'utf8' });
    assert.equal(run.status, 0, `${file}: ${run.stderr}`);
    assert.deepEqual(JSON.parse(run.stdout), { first: min, second: min + 1, again: min }, file);
  }

  const typed = (load) => `${load}
export const port: Promise<number> = getPort({ port: portNumbers(3000, 3100), exclude: [3001], host: '::', ipv6Only: true });
export const options: Options = { reserve: true };
clearLockedPorts();
// @ts-expect-error port must be a number or an iterable of numbers
getPort({ port: 'x' });
`;
  writeFileSync(
    join(project, 'esm.mts'),
    typed("import getPort, { clearLockedPorts, type Options, portNumbers } from 'portlease/get-port';"),
  );
  writeFileSync(
    join(project, 'cjs.cts'),
    typed(`import gp = require('portlease/get-port');
const getPort = gp.default;
const { clearLockedPorts, portNumbers } = gp;
type Options = gp.Options;`),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  const typeRoots = join(require.resolve('@types/node/package.json'), '..', '..');
  const check = spawnSync(
    process.execPath,
    [
      tsc,
      '--noEmit',
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--typeRoots',
      typeRoots,
      '--types',
      'node',
      'esm.mts',
      'cjs.cts',
    ],
    { cwd: project, encoding: 'utf8' },
  );
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test("the README's migration snippet (importing portlease/get-port) works as written, installed", async () => {
  const project = install();
  const usage = migrationBlocks().find(([language]) => language === 'js');
  assert.ok(usage, 'the section holds a js snippet');
  const lockDir = tempLockDir();
  const env = { ...process.env, PORTLEASE_DIR: lockDir };
  writeFileSync(join(project, 'usage.mjs'), usage[1]);
  const run = spawnSync(process.execPath, ['usage.mjs'], { cwd: project, env, encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^\d+\n$/);
  // The package.json recipes (the @portlease/get-port alias and overrides) are installed and run by
  // packages/get-port-shim/test/recipes.test.mjs.
});
