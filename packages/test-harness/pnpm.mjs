// The pinned pnpm for tests that pack or install: never the one on PATH (a new machine has none, and
// scripts/test.mjs shadows package managers on PATH so that a test calling one fails everywhere alike).
import { execFileSync } from 'node:child_process';
import { envWithPnpm, pnpmBinDir, pnpmVersion } from '../../scripts/pinned-pnpm.mjs';

export { pnpmVersion };

/**
 * Runs the pinned `pnpm args` synchronously (`execFileSync`'s options: `cwd`, `stdio`, `encoding`, …)
 * and returns what it does; its children see the same pnpm first on PATH.
 */
export function pnpm(args, options = {}) {
  const bin = pnpmBinDir();
  return execFileSync(`${bin}/pnpm`, args, {
    ...options,
    env: envWithPnpm(options.env ?? process.env),
    shell: process.platform === 'win32',
  });
}
