import { readFileSync } from 'node:fs';

/** The Node lines this repository's CI runs every test on (README, Platforms). */
export const TESTED_NODE_LINES = [22, 24, 26] as const;

/** What portlease says about a Node version: inside `engines` and tested, best effort, or outside. */
export interface NodeSupport {
  status: 'tested' | 'best effort' | 'outside engines';
  /** One line for `portlease doctor`: where the line stands against `engines`, and what that means. */
  text: string;
}

/** Whether `version` (`22.12.0`) satisfies one `^major.minor.patch` part of `engines`. */
function satisfiesCaret(version: number[], range: string): boolean {
  const match = /^\^(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!match) return false;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const [vMajor = 0, vMinor = 0, vPatch = 0] = version;
  if (vMajor !== major) return false;
  return vMinor > minor || (vMinor === minor && vPatch >= patch);
}

/**
 * `engines.node` of the installed package (`^20.11.0 || ^22.12.0 || …`), read next to the build (the
 * CLI is `dist/cli.js`, the manifest `../package.json`); undefined when it cannot be read.
 */
export function installedEngines(
  from: URL = new URL('../package.json', import.meta.url),
): string | undefined {
  try {
    const pkg = JSON.parse(readFileSync(from, 'utf8')) as { engines?: { node?: string } };
    return pkg.engines?.node;
  } catch {
    return undefined;
  }
}

/**
 * Where `version` (default: the running Node) stands against `engines`:
 *
 * @example
 * ```ts
 * nodeSupport('v20.20.2', '^20.11.0 || ^22.12.0 || ^24.0.0 || ^26.0.0').status; //=> 'best effort'
 * nodeSupport('v23.1.0', '^20.11.0 || ^22.12.0 || ^24.0.0 || ^26.0.0').status; //=> 'outside engines'
 * ```
 */
export function nodeSupport(version = process.version, engines = installedEngines()): NodeSupport {
  const parts = version.replace(/^v/, '').split('.').map(Number);
  const line = parts[0] ?? 0;
  if (engines === undefined)
    return { status: 'best effort', text: 'engines unknown (package.json not found beside the build)' };
  const inside = engines.split('||').some((range) => satisfiesCaret(parts, range));
  if (!inside) {
    return {
      status: 'outside engines',
      text: `Node ${version} is outside engines (${engines}): not supported, not tested; use Node ${TESTED_NODE_LINES.join(', ')}`,
    };
  }
  if ((TESTED_NODE_LINES as readonly number[]).includes(line)) {
    return { status: 'tested', text: `Node ${line} is inside engines (${engines}) and tested` };
  }
  return {
    status: 'best effort',
    text: `Node ${line} is inside engines (${engines}) but past end of life and not tested: it installs and should work, best effort (tested: Node ${TESTED_NODE_LINES.join(', ')})`,
  };
}
