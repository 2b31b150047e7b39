// The lowest @playwright/test of the peer range (installed as the `playwright-lower-bound` alias)
// runs the sharded ports check too. The built package is copied next to that Playwright, so it
// resolves the same single copy of @playwright/test as the fixture project does.
import { cpSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { fixture, tempDir } from './helpers.mjs';
import { checkShardedPorts } from './sharded-ports.mjs';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(pkg, 'package.json'));
const lower = dirname(require.resolve('playwright-lower-bound/package.json'));
const lowerVersion = JSON.parse(readFileSync(join(lower, 'package.json'), 'utf8')).version;
const peerRange = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).peerDependencies[
  '@playwright/test'
];

/** A project directory whose node_modules hold the lower-bound Playwright, core and this package. */
function lowerBoundProject() {
  const root = tempDir('pl-pw-peer-');
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@playwright'), { recursive: true });
  mkdirSync(join(modules, '@portlease', 'playwright'), { recursive: true });
  symlinkSync(realpathSync(lower), join(modules, '@playwright', 'test'));
  symlinkSync(realpathSync(dirname(require.resolve('portlease/package.json'))), join(modules, 'portlease'));
  for (const entry of ['package.json', 'dist']) {
    cpSync(join(pkg, entry), join(modules, '@portlease', 'playwright', entry), { recursive: true });
  }
  writeFileSync(join(root, 'package.json'), '{ "private": true, "type": "module" }\n');
  cpSync(fixture('.'), join(root, 'fixtures'), { recursive: true });
  return root;
}

test(`the lowest supported @playwright/test (${lowerVersion}, peer range ${peerRange}) passes the sharded ports check`, {
  timeout: 180_000,
}, () => {
  const root = lowerBoundProject();
  const cli = join(root, 'node_modules', '@playwright', 'test', 'cli.js');
  return checkShardedPorts(join(root, 'fixtures', 'ports'), { cli, playwrightVersion: lowerVersion });
});
