// Shared by this package's tests: real Jest CLI runs (Jest 29 and 30, installed side by side) on the
// fixture projects, each with its own lock directory and a fresh Jest cache, and what they leave; the
// workspace's test harness gives the rest (re-exported).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, tempDir } from '@portlease/test-harness';
import { listLeases } from 'portlease';

export { isAlive, leftovers, recordsIn, reserveRange, tempDir } from '@portlease/test-harness';

export const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = join(here, '..');
const require = createRequire(import.meta.url);

/** The Jest CLIs under test, by major version (`jest` and the `jest29` npm alias). */
export const JEST = {
  30: join(dirname(require.resolve('jest/package.json')), 'bin', 'jest.js'),
  29: join(dirname(require.resolve('jest29/package.json')), 'bin', 'jest.js'),
};
export const VERSIONS = [30, 29];

/** The config file of a fixture project under test/fixtures. */
export function fixtureConfig(name) {
  const dir = join(here, 'fixtures', name);
  const file = ['jest.config.cjs', 'jest.config.mjs'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file) throw new Error(`fixture ${name} has no jest.config`);
  return file;
}

/**
 * Runs the real Jest CLI of `version` on a fixture: `--ci`, a fresh cache directory (no timings, so
 * Jest decides in band or not from the file count alone) and the given lock directory. Resolves with
 * the exit code, Jest's output (stdout + stderr) and the pid of the Jest process.
 */
export async function runJest(version, fixture, { args = [], env = {}, lockDir, timeout = 150_000 } = {}) {
  const childEnv = { ...process.env, PL_CACHE_DIR: tempDir('pl-jest-cache-'), ...env };
  if (lockDir) childEnv.PORTLEASE_DIR = lockDir;
  delete childEnv.NODE_TEST_CONTEXT;
  const argv = [JEST[version], '--config', fixtureConfig(fixture), '--ci', ...args];
  const result = await runProcess(process.execPath, argv, { cwd: packageDir, env: childEnv, timeout });
  if (result.timedOut) {
    throw new Error(`jest ${version} on ${fixture} did not finish in ${timeout} ms:\n${result.output}`);
  }
  return result;
}

/** Parsed JSON records the fixture tests wrote to `dir`. */
export function readRecords(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
}

/** Leases in a lock directory whose owner is still alive. */
export async function aliveLeases(lockDir) {
  return (await listLeases({ lockDir })).filter((l) => l.status === 'alive');
}
