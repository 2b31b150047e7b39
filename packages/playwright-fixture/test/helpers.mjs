// Shared by this package's tests: real Playwright runs of the fixture projects in ./fixtures and what
// they leave behind; the workspace's test harness gives the rest (re-exported).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from '@portlease/test-harness';

export { core, isAlive, rangeText, reserveRange, tempDir } from '@portlease/test-harness';

const here = dirname(fileURLToPath(import.meta.url));
const playwrightCli = createRequire(import.meta.url).resolve('@playwright/test/cli');

/** The directory of the fixture project `name`. */
export const fixture = (name) => join(here, 'fixtures', name);

/**
 * Runs `playwright test` in `cwd` (a project directory) with `args` and extra `env`, by default with
 * the installed @playwright/test's CLI; resolves with its exit code and combined output. Never rejects
 * on a failing run: tests assert on the result.
 */
export async function runPlaywright(cwd, args = [], env = {}, cli = playwrightCli) {
  const { code, output } = await runProcess(process.execPath, [cli, 'test', ...args], {
    cwd,
    env: { ...process.env, CI: '1', FORCE_COLOR: '0', ...env },
  });
  return { code, output };
}

/** JSON records the fixture tests wrote into `dir`. */
export function records(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')));
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
