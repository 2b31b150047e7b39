// Shared by this package's tests: real Jest CLI runs (Jest 29 and 30, installed side by side) on the
// fixture projects, each with its own lock directory and a fresh Jest cache, and what they leave.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leasePorts, listLeases } from 'portlease';

export const here = dirname(fileURLToPath(import.meta.url));
export const packageDir = join(here, '..');
const require = createRequire(import.meta.url);

/** The Jest CLIs under test, by major version (`jest` and the `jest29` npm alias). */
export const JEST = {
  30: join(dirname(require.resolve('jest/package.json')), 'bin', 'jest.js'),
  29: join(dirname(require.resolve('jest29/package.json')), 'bin', 'jest.js'),
};
export const VERSIONS = [30, 29];

const tempDirs = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh private directory (mkdtemp: mode 0700), removed when this process exits. */
export function tempDir(prefix = 'pl-jest-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

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
export function runJest(version, fixture, { args = [], env = {}, lockDir, timeout = 150_000 } = {}) {
  const childEnv = { ...process.env, PL_CACHE_DIR: tempDir('pl-jest-cache-'), ...env };
  if (lockDir) childEnv.PORTLEASE_DIR = lockDir;
  delete childEnv.NODE_TEST_CONTEXT;
  const child = spawn(
    process.execPath,
    [JEST[version], '--config', fixtureConfig(fixture), '--ci', ...args],
    {
      cwd: packageDir,
      env: childEnv,
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
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`jest ${version} on ${fixture} did not finish in ${timeout} ms:\n${output}`));
    }, timeout);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output, pid: child.pid });
    });
  });
}

/** Parsed JSON records the fixture tests wrote to `dir`. */
export function readRecords(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
}

/** Lease records (and staged ones) left in a lock directory. */
export function recordsIn(lockDir) {
  const found = [];
  if (!existsSync(lockDir)) return found;
  for (const scope of readdirSync(lockDir)) {
    for (const entry of readdirSync(join(lockDir, scope))) {
      // A port directory removed between the two readdirs was being released: it holds nothing.
      let inner;
      try {
        inner = readdirSync(join(lockDir, scope, entry));
      } catch (error) {
        if (error.code === 'ENOENT') continue;
        throw error;
      }
      if (entry === '.staging') found.push(...inner);
      else found.push(`${entry}/`, ...inner.map((n) => `${entry}/${n}`));
    }
  }
  return found;
}

/** Leases in a lock directory whose owner is still alive. */
export async function aliveLeases(lockDir) {
  return (await listLeases({ lockDir })).filter((l) => l.status === 'alive');
}

const HARNESS_DIR = join(tmpdir(), `portlease-test-harness-${process.getuid?.() ?? 'user'}`);
/** Blocks are reserved below the range tests use by default (scripts/test.mjs sets 16000-32767). */
const BLOCK_ZONE = [10000, 15999];

/**
 * `size` consecutive ports no other test file of this run uses, held (in a harness lock directory
 * shared by the whole test run) until this process exits. A narrow range makes a coordination bug
 * show up as a duplicate port instead of hiding in a wide range. Returns `[min, max]`.
 */
export async function reserveRange(size) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = BLOCK_ZONE[0] + Math.floor(Math.random() * (BLOCK_ZONE[1] - BLOCK_ZONE[0] + 1 - size));
    try {
      await leasePorts(size, {
        lockDir: HARNESS_DIR,
        range: [min, min + size - 1],
        owner: 'jest-env test range',
      });
      return [min, min + size - 1];
    } catch (error) {
      if (error.code !== 'RANGE_EXHAUSTED') throw error;
    }
  }
  throw new Error(`could not reserve ${size} consecutive free ports`);
}

/** Whether a process is alive. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
