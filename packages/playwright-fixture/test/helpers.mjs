// Shared by this package's tests: private lock directories, a port range reserved for one test file,
// and real Playwright runs of the fixture projects in ./fixtures.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const core = await import('portlease');
const playwrightCli = createRequire(import.meta.url).resolve('@playwright/test/cli');

/** The workspace's test harness directory: test files reserve port blocks there (see core's tests). */
const HARNESS_DIR = join(tmpdir(), `portlease-test-harness-${process.getuid?.() ?? 'user'}`);
/** Reserved blocks live below the range tests use by default (scripts/test.mjs sets 16000-32767). */
const BLOCK_ZONE = [10000, 15999];

const tempDirs = [];
process.on('exit', () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh private directory (mkdtemp makes it 0700), removed when the process exits. */
export function tempDir(prefix = 'pl-pw-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/**
 * `size` consecutive ports no other test file uses, held in the harness directory until this process
 * exits, as a `PORTLEASE_RANGE` string. Test files with different lock directories then never hand
 * out the same port.
 */
export async function reserveRange(size) {
  for (let attempt = 0; attempt < 50; attempt++) {
    const min = BLOCK_ZONE[0] + Math.floor(Math.random() * (BLOCK_ZONE[1] - BLOCK_ZONE[0] + 1 - size));
    try {
      await core.leasePorts(size, {
        lockDir: HARNESS_DIR,
        range: [min, min + size - 1],
        owner: 'test range',
      });
      return { min, max: min + size - 1, env: `${min}-${min + size - 1}` };
    } catch (error) {
      if (error.code !== 'RANGE_EXHAUSTED') throw error;
    }
  }
  throw new Error(`could not reserve ${size} consecutive free ports`);
}

/** The directory of the fixture project `name`. */
export const fixture = (name) => join(here, 'fixtures', name);

/**
 * Runs `playwright test` in `cwd` (a project directory) with `args` and extra `env`, by default with
 * the installed @playwright/test's CLI; resolves with its exit code and combined output. Never rejects
 * on a failing run: tests assert on the result.
 */
export function runPlaywright(cwd, args = [], env = {}, cli = playwrightCli) {
  const child = spawn(process.execPath, [cli, 'test', ...args], {
    cwd,
    env: { ...process.env, CI: '1', FORCE_COLOR: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      output += chunk;
    });
  }
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

/** JSON records the fixture tests wrote into `dir`. */
export function records(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
}

/** Whether `pid` is a running process (a zombie waiting for its parent counts as gone). */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

/** Polls `check` until it returns true; false after `timeout` ms. For conditions, not for timing. */
export async function eventually(check, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Pids the fixture servers wrote into `dir` (one empty file per server process). */
export function serverPids(dir) {
  return readdirSync(dir).map(Number);
}
