// Which jest-environment-node to extend. The environment must match the Jest that runs it (29 or 30),
// but a package manager may give this package another copy than the project's Jest uses (a workspace
// link, pnpm's strict layout, or an auto-installed peer). Jest has already loaded its runner when it
// loads a test environment, so the jest-environment-node that runner depends on is the right one.
import { createRequire } from 'node:module';
import type { TestEnvironment } from 'jest-environment-node';

/** The class every Jest node environment extends. */
export type NodeEnvironmentClass = typeof TestEnvironment;

const ownRequire = createRequire(import.meta.url);

/** Files of Jest's own packages that depend on jest-environment-node, most specific first. */
const JEST_PACKAGES = [/[\\/]jest-runner[\\/]build[\\/]/, /[\\/]jest-config[\\/]build[\\/]/];

/** A loaded file of the running Jest (from the module cache), or undefined outside Jest. */
export function runningJestFile(
  cache: Record<string, unknown> | undefined = ownRequire.cache,
): string | undefined {
  const files = Object.keys(cache ?? {});
  for (const pattern of JEST_PACKAGES) {
    const file = files.find((f) => pattern.test(f));
    if (file) return file;
  }
  return undefined;
}

function classOf(mod: unknown): NodeEnvironmentClass | undefined {
  const exports = mod as { TestEnvironment?: unknown; default?: unknown } | undefined;
  const found = exports?.TestEnvironment ?? exports?.default;
  return typeof found === 'function' ? (found as NodeEnvironmentClass) : undefined;
}

/**
 * Loads `jest-environment-node`: the running Jest's own copy if Jest is running, else this package's
 * (peer) dependency.
 */
export function loadNodeEnvironment(): NodeEnvironmentClass {
  const jestFile = runningJestFile();
  const requires = jestFile ? [createRequire(jestFile), ownRequire] : [ownRequire];
  let lastError: unknown;
  for (const load of requires) {
    try {
      const found = classOf(load('jest-environment-node'));
      if (found) return found;
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(
    `@portlease/jest could not load jest-environment-node${jestFile ? ` for the Jest at ${jestFile}` : ''}. Install the version matching your Jest, e.g. \`npm i -D jest-environment-node@30\`.`,
    { cause: lastError },
  );
}
