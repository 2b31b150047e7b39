// Shared by the tests of @portlease/vitest: throwaway consumer projects that install the BUILT package
// the way npm would (a copy under node_modules, so its `vitest` import resolves to the project's own
// Vitest 4 or 5) and real Vitest CLI runs; the workspace's test harness gives the rest (re-exported).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { core, reserveRange, runProcess, tempDir } from '@portlease/test-harness';

export { reserveRange, tempDir } from '@portlease/test-harness';

export const here = dirname(fileURLToPath(import.meta.url));
export const pkgDir = join(here, '..');
export const { listLeases } = core;

/**
 * Vitest 5 needs Node >= 22.12: it runs under the Node running the tests when that one is new enough
 * (every supported line), else under the `node24` devDependency (a Linux x64 build).
 */
const [major, minor] = process.versions.node.split('.').map(Number);
const v5Node =
  major > 22 || (major === 22 && minor >= 12)
    ? process.execPath
    : join(pkgDir, 'node_modules', 'node24', 'bin', 'node');

/** Vitest installs: `v4` and `v5` (see above), each with the Node it runs under. */
export const VITEST = {
  v4: { dir: realpathSync(join(pkgDir, 'node_modules', 'vitest')), node: process.execPath },
  v5: { dir: realpathSync(join(pkgDir, 'node_modules', 'vitest5')), node: v5Node },
};

/**
 * A consumer project in a temp dir: the fixture folder's files, plus node_modules with `vitest` (the
 * chosen major), a copy of the built @portlease/vitest, and portlease.
 */
export function makeProject(fixture, version = 'v4') {
  const dir = tempDir(`pl-vitest-${fixture}-`);
  cpSync(join(here, 'fixtures', fixture), dir, { recursive: true });
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, '@portlease', 'vitest'), { recursive: true });
  symlinkSync(VITEST[version].dir, join(modules, 'vitest'));
  symlinkSync(realpathSync(join(pkgDir, 'node_modules', 'portlease')), join(modules, 'portlease'));
  for (const entry of ['package.json', 'dist']) {
    cpSync(join(pkgDir, entry), join(modules, '@portlease', 'vitest', entry), { recursive: true });
  }
  return dir;
}

/** A lock directory, an output directory for the fixtures' records, and a reserved range. */
export async function testEnv(rangeSize = 40) {
  return { lockDir: tempDir('pl-lock-'), outDir: tempDir('pl-out-'), range: await reserveRange(rangeSize) };
}

/**
 * Runs a command of the project's Vitest (`run` …) with the major's Node. The environment has no
 * PORTLEASE_RANGE unless given: the fixtures must get their range from the plugin's options.
 */
export function runVitest(cwd, args, { env = {}, version = 'v4', script } = {}) {
  const { dir, node } = VITEST[version];
  const base = { ...process.env };
  delete base.PORTLEASE_RANGE;
  delete base.PORTLEASE_DIR;
  const argv = script ? [script, ...args] : [join(dir, 'vitest.mjs'), ...args];
  return runProcess(node, argv, {
    cwd,
    env: { ...base, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...env },
  });
}

/** The JSON records the fixture tests wrote to `outDir`. */
export function readRecords(outDir) {
  return readdirSync(outDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(outDir, name), 'utf8')));
}

/** Lease records left in a lock directory, live or not (an absent directory holds none). */
export async function leftovers(lockDir) {
  if (!existsSync(lockDir)) return [];
  return listLeases({ lockDir });
}

/** Every port a fixture record holds at its barrier: run-wide, worker, test and server ports. */
export function heldPorts(record) {
  return [record.port, record.extra, record.server];
}

/** Asserts helper: a readable dump of a Vitest run for assertion messages. */
export function describeRun(run) {
  return `vitest exited ${run.code}${run.signal ? ` (${run.signal})` : ''}; output:\n${run.output}`;
}
