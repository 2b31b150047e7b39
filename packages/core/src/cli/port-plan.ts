import type { LeaseOptions } from '../options/resolve.js';
import { checkStickyName, checkStickyScope } from '../options/schema.js';
import { has, type Parsed, text, usageError } from './args.js';

/**
 * What `run` and `get` were asked to lease: how many ports, their names in port order, which are
 * sticky, and the lease options that say so.
 *
 * @example
 * ```ts
 * // portlease get --name api --sticky web
 * portPlan(parsed); //=> { count: 2, names: ['api', 'web'], sticky: ['web'],
 * //                      options: { sticky: [undefined, 'web'] } }
 * // portlease get --count 5 --contiguous --sticky redis
 * portPlan(parsed); //=> { count: 5, names: ['redis'], sticky: ['redis'],
 * //                      options: { sticky: 'redis', contiguous: true } }
 * ```
 */
export interface PortPlan {
  count: number;
  /**
   * The names of the ports, in port order: one per port, none, or (a block: `--contiguous` with one
   * name and `--count N`) one that names the block's base port.
   */
  names: string[];
  /** The names given with `--sticky` (a subset of `names`), in port order. */
  sticky: string[];
  options: Pick<LeaseOptions, 'sticky' | 'stickyScope' | 'contiguous' | 'name'>;
}

/** `api` → `PORT_API`; `web-ui` → `PORT_WEB_UI`. */
export function envName(name: string): string {
  return `PORT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

interface Named {
  name: string;
  option: '--name' | '--sticky';
}

/** `--name` and `--sticky` in the order given: that order is the port order. */
function namedPorts(parsed: Parsed): Named[] {
  const named: Named[] = [];
  for (const [option, value] of parsed.order) {
    if (option !== 'name' && option !== 'sticky') continue;
    const flag = option === 'name' ? '--name' : '--sticky';
    // One name rule for the API and the CLI, so a test and a shell step can share a sticky name.
    const name = checkStickyName(value ?? '', flag);
    named.push({ name, option: flag });
  }
  const byEnv = new Map<string, Named>();
  for (const port of named) {
    const other = byEnv.get(envName(port.name));
    if (other === undefined) {
      byEnv.set(envName(port.name), port);
      continue;
    }
    if (other.name !== port.name) {
      throw usageError(
        `${other.option} ${other.name} and ${port.option} ${port.name} would both print ${envName(port.name)}; rename one`,
      );
    }
    throw usageError(
      other.option === port.option
        ? `${port.option} ${port.name} is given twice; each name is one port`
        : `${port.name} is given both as --name and as --sticky; each name is one port: give it once (--sticky ${port.name} for a sticky port)`,
    );
  }
  return named;
}

function countOf(parsed: Parsed, named: number): number {
  const countText = text(parsed, 'count');
  if (countText === undefined) return Math.max(named, 1);
  const count = Number(countText);
  if (!/^[0-9]+$/.test(countText) || !Number.isInteger(count) || count < 1 || count > 1000) {
    throw usageError(`--count must be a whole number from 1 to 1000, got ${JSON.stringify(countText)}`);
  }
  return count;
}

function scopeOf(parsed: Parsed, named: number): string | undefined {
  const scope = text(parsed, 'sticky-scope');
  if (scope === undefined) return undefined;
  if (named === 0) {
    throw usageError(
      '--sticky-scope applies only to --sticky ports and --name ports (the project their names belong to): add --sticky NAME or --name NAME, or leave it out',
    );
  }
  return checkStickyScope(scope, '--sticky-scope');
}

/**
 * The ports `run` and `get` lease, from `--count`, `--name`, `--sticky`, `--sticky-scope` and
 * `--contiguous`. Contradictions are usage errors (`INVALID_OPTIONS`) that say what to give instead.
 */
export function portPlan(parsed: Parsed): PortPlan {
  const named = namedPorts(parsed);
  const count = countOf(parsed, named.length);
  const contiguous = has(parsed, 'contiguous');
  const sticky = named.filter((p) => p.option === '--sticky').map((p) => p.name);
  const stickyScope = scopeOf(parsed, named.length);
  if (contiguous && sticky.length > 1) {
    throw usageError(
      `--contiguous leases one block with one sticky key, held by its first port: give one --sticky NAME (got ${sticky.map((s) => `--sticky ${s}`).join(', ')}) and name the other ports with --name`,
    );
  }
  if (contiguous && sticky.length === 1 && named[0]?.option !== '--sticky') {
    throw usageError(
      `with --contiguous only the block's first port can be sticky (its base port carries the key): put --sticky ${sticky[0]} before the --name options`,
    );
  }
  // With --contiguous, one name and --count N name the block by its base port.
  const block = contiguous && named.length === 1;
  if (named.length && count !== named.length && !block) {
    throw usageError(
      sticky.length && !contiguous
        ? `--count ${count} and ${named.length} --name/--sticky port(s) disagree: each --sticky NAME is one port; leave --count out, or for a block of ${count} consecutive ports with one sticky key add --contiguous and give one --sticky NAME`
        : 'give either --count or --name/--sticky, or matching numbers',
    );
  }
  const options: PortPlan['options'] = {};
  if (sticky.length) {
    options.sticky = contiguous
      ? sticky[0]
      : named.map((p) => (p.option === '--sticky' ? p.name : undefined));
  }
  // Every named port records its name (and project), so `portlease port NAME` finds it.
  if (named.length) options.name = block ? named[0]?.name : named.map((p) => p.name);
  if (stickyScope !== undefined) options.stickyScope = stickyScope;
  if (contiguous) options.contiguous = true;
  return { count, names: named.map((p) => p.name), sticky, options };
}
