// Yarn classic (1.x) for the tests of package-manager recipes: installed with the machine's npm from
// the npm registry into a cache directory of its own, as scripts/pinned-pnpm.mjs installs pnpm, never
// globally, and called by its path (scripts/test.mjs shadows any `yarn` on PATH).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { npmInstalledTool } from '../../scripts/pinned-pnpm.mjs';

/** The yarn classic release the recipes are tested with. */
export const yarnVersion = '1.22.22';

/** The path of yarn's entry script (`bin/yarn.js`), installed on first use. */
export function yarnScript() {
  return npmInstalledTool('yarn', yarnVersion, join('node_modules', 'yarn', 'bin', 'yarn.js'));
}

/** Runs `yarn args` (yarn classic, {@link yarnVersion}) synchronously, with `execFileSync`'s options. */
export function yarn(args, options = {}) {
  return execFileSync(process.execPath, [yarnScript(), ...args], options);
}
