// Yarn classic (1.x) for the tests of package-manager recipes: installed with the machine's npm from
// the npm registry into a cache directory of its own, as scripts/pinned-pnpm.mjs installs pnpm, never
// globally, and called by its path (scripts/test.mjs shadows any `yarn` on PATH).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The yarn classic release the recipes are tested with. */
export const yarnVersion = '1.22.22';

/** `$PORTLEASE_TOOL_CACHE/yarn/<version>`, by default under `${XDG_CACHE_HOME:-~/.cache}/portlease-ci`. */
function yarnHome() {
  const cache =
    process.env.PORTLEASE_TOOL_CACHE ??
    join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'portlease-ci');
  return join(cache, 'yarn', yarnVersion);
}

/**
 * The path of yarn's entry script (`bin/yarn.js`), installed on first use. Concurrent first uses each
 * install into a directory of their own and rename it into place; the loser uses the winner's.
 */
export function yarnScript() {
  const home = yarnHome();
  const script = join(home, 'node_modules', 'yarn', 'bin', 'yarn.js');
  if (existsSync(script)) return script;
  if (existsSync(home)) rmSync(home, { recursive: true, force: true });
  const staging = `${home}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync(
      'npm',
      ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-fund', '--no-audit'].concat([
        '--loglevel=error',
        `yarn@${yarnVersion}`,
      ]),
      { stdio: ['ignore', 'ignore', 'pipe'], shell: process.platform === 'win32', timeout: 300_000 },
    );
    try {
      renameSync(staging, home);
    } catch (error) {
      if (!existsSync(script)) throw error;
    }
  } catch (error) {
    const detail = error.stderr ? `\n${String(error.stderr).trim()}` : ` (${error.message})`;
    throw new Error(`could not install yarn@${yarnVersion} with npm into ${home}${detail}`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return script;
}

/** Runs `yarn args` (yarn classic, {@link yarnVersion}) synchronously, with `execFileSync`'s options. */
export function yarn(args, options = {}) {
  return execFileSync(process.execPath, [yarnScript(), ...args], options);
}
