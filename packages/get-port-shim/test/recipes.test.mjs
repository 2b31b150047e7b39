// The README's get-port migration recipes, end to end: `portlease` and `@portlease/get-port` packed as
// they would be published, served by a local registry (packages/test-harness/registry.mjs) beside a
// dependency written for get-port (`uses-get-port`, `"get-port": "^7.2.0"`), and installed with npm,
// pnpm (the pinned one) and yarn classic into projects where get-port is a direct dependency, a
// transitive one, and both. The package.json and pnpm-workspace.yaml lines are the README's, read from
// it. get-port itself is not served: a recipe that fails to replace it fails the install. In each
// project, TypeScript that imports get-port (and the dependency's types) passes `tsc --strict`, and the
// programs get leased ports: the test process leases the first port of their range without binding it,
// so a real get-port would return it and the drop-in must skip it.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { core, pnpm, reserveRange, startRegistryProcess, tempDir, yarn } from '@portlease/test-harness';

const here = dirname(fileURLToPath(import.meta.url));
const packages = join(here, '..', '..');
const require = createRequire(import.meta.url);
const readme = readFileSync(join(packages, '..', 'README.md'), 'utf8');

/** The code block after `<!-- recipe: name -->` in the README: [language, text]. */
function recipe(name) {
  const marker = readme.indexOf(`<!-- recipe: ${name} -->`);
  assert.notEqual(marker, -1, `README.md has the ${name} recipe`);
  const match = /```(\w+)\n([\s\S]*?)```/.exec(readme.slice(marker));
  assert.ok(match, `a code block follows the ${name} marker`);
  return [match[1], match[2]];
}

const json = (name) => {
  const [language, text] = recipe(name);
  assert.equal(language, 'json', name);
  return JSON.parse(text);
};

let work;
let registry;
before(async () => {
  work = tempDir('pl-recipes-');
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const dir of ['core', 'get-port-shim']) {
    pnpm(['pack', '--pack-destination', tarballs], { cwd: join(packages, dir), stdio: 'pipe' });
  }
  // A dependency written for get-port 7, with types that import get-port's.
  const dependent = join(work, 'uses-get-port', 'package');
  mkdirSync(dependent, { recursive: true });
  writeFileSync(
    join(dependent, 'package.json'),
    JSON.stringify({
      name: 'uses-get-port',
      version: '1.0.0',
      type: 'module',
      exports: { '.': { types: './index.d.ts', default: './index.js' } },
      dependencies: { 'get-port': '^7.2.0' },
    }),
  );
  writeFileSync(
    join(dependent, 'index.js'),
    "import getPort, { portNumbers } from 'get-port';\nexport const freePort = (from, to) => getPort({ port: portNumbers(from, to) });\n",
  );
  writeFileSync(
    join(dependent, 'index.d.ts'),
    "import type { Options } from 'get-port';\nexport declare function freePort(from: number, to: number): Promise<number>;\nexport type { Options };\n",
  );
  execFileSync('tar', [
    '-czf',
    join(tarballs, 'uses-get-port-1.0.0.tgz'),
    '-C',
    join(dependent, '..'),
    'package',
  ]);
  const [port] = await reserveRange(1);
  registry = await startRegistryProcess(
    readdirSync(tarballs).map((file) => join(tarballs, file)),
    port,
  );
});
after(() => registry?.close());

/** This environment without npm_config_* (a runner's would override the project's .npmrc), plus `extra`. */
function installEnv(extra) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_config_/i.test(key)));
  return { ...env, npm_config_registry: registry.url, ...extra };
}

const engineFlags = () => (Number(process.versions.node.split('.')[0]) < 22 ? ['--ignore-engines'] : []);

/** Installs `project` with `manager`, its caches inside `work` (fresh: tarballs change with each build). */
function install(manager, project) {
  const caches = join(work, 'caches', manager);
  const options = { cwd: project, stdio: 'pipe', encoding: 'utf8', timeout: 180_000 };
  if (manager === 'npm') {
    writeFileSync(join(project, '.npmrc'), `registry=${registry.url}\ncache=${caches}\n`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund'], {
      ...options,
      env: installEnv({}),
      shell: process.platform === 'win32',
    });
  } else if (manager === 'pnpm') {
    writeFileSync(
      join(project, '.npmrc'),
      `registry=${registry.url}\nstore-dir=${join(caches, 'store')}\ncache-dir=${join(caches, 'cache')}\n`,
    );
    pnpm(['install'], { ...options, env: installEnv({}) });
  } else {
    writeFileSync(join(project, '.yarnrc'), `registry "${registry.url}"\n`);
    // Node 20 is outside portlease's engines, which yarn classic enforces (the Node story is not this test's).
    yarn(['install', '--non-interactive', '--cache-folder', caches, ...engineFlags()], {
      ...options,
      env: installEnv({}),
    });
  }
}

/** A project for `manager` from the README's recipes: get-port `direct`, `transitive` or `both`. */
function project(manager, placement) {
  const dir = join(work, `${manager}-${placement}`);
  mkdirSync(dir);
  const manifest = { name: `fixture-${manager}-${placement}`, private: true, type: 'module' };
  if (placement !== 'transitive') Object.assign(manifest, json('direct'));
  if (placement !== 'direct') {
    manifest.dependencies = { 'uses-get-port': '^1.0.0' };
    if (manager === 'pnpm') {
      const [language, text] = recipe('pnpm');
      assert.equal(language, 'yaml');
      writeFileSync(join(dir, 'pnpm-workspace.yaml'), text);
    } else {
      Object.assign(manifest, json(manager));
    }
  }
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}

const PROGRAMS = {
  direct: {
    'direct.mjs': `import getPort, { clearLockedPorts, portNumbers } from 'get-port';
const first = await getPort({ port: portNumbers(MIN, MAX) });
const second = await getPort({ port: portNumbers(MIN, MAX) });
console.log(JSON.stringify([first, second]));
clearLockedPorts();
`,
    'require.cjs': `const { default: getPort, portNumbers } = require('get-port');
getPort({ port: portNumbers(MIN, MAX) }).then((port) => console.log(JSON.stringify([port])));
`,
    'typed.ts': `import getPort, { clearLockedPorts, type Options, portNumbers } from 'get-port';

const options: Options = { port: portNumbers(MIN, MAX), exclude: [MIN - 1], host: 'localhost' };
const port: number = await getPort(options);
console.log(JSON.stringify([port]));
clearLockedPorts();

export function neverCalled(): Promise<number> {
  // @ts-expect-error a port is a number or an iterable of numbers
  return getPort({ port: 'x' });
}
`,
  },
  transitive: {
    'transitive.mjs': `import { freePort } from 'uses-get-port';
console.log(JSON.stringify([await freePort(MIN, MAX)]));
`,
    'typed-dependency.ts': `import { freePort, type Options } from 'uses-get-port';

const options: Options = { reserve: true };
const port: number = await freePort(MIN, MAX);
console.log(JSON.stringify([port, options.reserve]));
`,
  },
  both: {
    'both.mjs': `import getPort, { portNumbers } from 'get-port';
import { freePort } from 'uses-get-port';
console.log(JSON.stringify([await freePort(MIN, MAX), await getPort({ port: portNumbers(MIN, MAX) })]));
`,
  },
};

/** What each program prints, with the range's first port leased by the test process. */
const EXPECTED = {
  'direct.mjs': (min) => [min + 1, min + 2],
  'require.cjs': (min) => [min + 1],
  'typed.js': (min) => [min + 1],
  'transitive.mjs': (min) => [min + 1],
  'typed-dependency.js': (min) => [min + 1, true],
  'both.mjs': (min) => [min + 1, min + 2],
};

function programsFor(placement) {
  if (placement === 'both') return { ...PROGRAMS.direct, ...PROGRAMS.transitive, ...PROGRAMS.both };
  return PROGRAMS[placement];
}

/** `tsc --strict` on the project's .ts files (library .d.ts files checked too), emitting into out/. */
function typecheck(dir, files) {
  const tsc = require.resolve('typescript/bin/tsc');
  const typeRoots = join(require.resolve('@types/node/package.json'), '..', '..');
  const check = spawnSync(
    process.execPath,
    [
      tsc,
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--typeRoots',
      typeRoots,
      '--types',
      'node',
      '--outDir',
      'out',
      ...files,
    ],
    { cwd: dir, encoding: 'utf8' },
  );
  assert.equal(check.status, 0, `tsc --strict in ${dir}:\n${check.stdout}${check.stderr}`);
}

for (const manager of ['npm', 'pnpm', 'yarn']) {
  for (const placement of ['direct', 'transitive', 'both']) {
    test(`${manager}, get-port ${placement === 'both' ? 'direct and transitive' : placement}: the README recipe installs the drop-in; TS and JS get leased ports`, async () => {
      const dir = project(manager, placement);
      install(manager, dir);
      assert.ok(!(await registry.requested()).includes('get-port'), 'get-port itself was never asked for');

      const [min, max] = await reserveRange(4);
      const programs = programsFor(placement);
      for (const [file, text] of Object.entries(programs)) {
        writeFileSync(join(dir, file), text.replaceAll('MIN', String(min)).replaceAll('MAX', String(max)));
      }
      const typed = Object.keys(programs).filter((file) => file.endsWith('.ts'));
      typecheck(dir, typed);

      const lockDir = tempDir('pl-recipes-locks-');
      // Leased, not bound: get-port would hand it out; the drop-in must not.
      const held = await core.leasePort({ range: [min, min], lockDir });
      try {
        const runs = Object.keys(programs).map((file) =>
          file.endsWith('.ts') ? join('out', file.replace(/\.ts$/, '.js')) : file,
        );
        for (const file of runs) {
          const run = spawnSync(process.execPath, [file], {
            cwd: dir,
            env: { ...process.env, PORTLEASE_DIR: lockDir },
            encoding: 'utf8',
            timeout: 60_000,
          });
          assert.equal(run.status, 0, `${file}: ${run.stderr}`);
          const name = file.replace(/^out[\\/]/, '');
          assert.deepEqual(JSON.parse(run.stdout), EXPECTED[name](min), `${manager} ${placement} ${name}`);
        }
      } finally {
        held.releaseSync();
      }
    });
  }
}

test("npm: an override alone, with get-port still a direct ^7 dependency, is npm's EOVERRIDE", async () => {
  const dir = join(work, 'npm-override-only');
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: 'fixture-npm-override-only',
      private: true,
      dependencies: { 'get-port': '^7.1.0', 'uses-get-port': '^1.0.0' },
      ...json('npm'),
    }),
  );
  const error = (() => {
    try {
      install('npm', dir);
    } catch (caught) {
      return caught;
    }
    return undefined;
  })();
  assert.ok(error, 'the install failed');
  assert.match(String(error.stderr), /EOVERRIDE/);
});
