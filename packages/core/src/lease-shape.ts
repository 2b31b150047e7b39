import { resolveNames } from './lease/names.js';
import { invalidOption } from './option-errors.js';
import { projectOf, STICKY_NAME } from './sticky.js';

/** What one leasePort / leasePorts call asks for beyond "free ports": stickiness and contiguity. */
export interface LeaseShape {
  /** Ports wanted. */
  count: number;
  /** The ports are to be consecutive. */
  contiguous: boolean;
  /** Per port, in order, its sticky name or undefined; for a contiguous block, only the first. */
  sticky: readonly (string | undefined)[];
  /** Per port, in order, its name (the `name` option or its sticky name) or undefined. */
  names: readonly (string | undefined)[];
  /** The project sticky names and names belong to; undefined when no port is named. */
  project: string | undefined;
}

const MAX_SCOPE = 1000;

function checkScope(value: unknown, source: string): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_SCOPE || value.includes('\0')) {
    throw invalidOption(
      source,
      `must be a non-empty string of up to ${MAX_SCOPE} characters naming the project (a path or any id), got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function checkName(value: unknown, source: string): string {
  if (typeof value !== 'string' || !STICKY_NAME.test(value)) {
    throw invalidOption(
      source,
      `must be a sticky name of letters, digits and . _ : - (starting with a letter or digit, up to 100), such as 'web', got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * Reads `sticky`, `stickyScope` and `contiguous` of a call asking for `count` ports; `api` names the
 * function, so leasePort (one port) refuses what only leasePorts can do.
 */
export function resolveShape(
  options: { sticky?: unknown; stickyScope?: unknown; contiguous?: unknown; name?: unknown },
  env: NodeJS.ProcessEnv,
  api: string,
  count: number,
): LeaseShape {
  const { sticky, stickyScope, contiguous: wantsBlock } = options;
  if (wantsBlock !== undefined && typeof wantsBlock !== 'boolean') {
    throw invalidOption('contiguous', `must be true or false, got ${JSON.stringify(wantsBlock)}.`);
  }
  const contiguous = wantsBlock === true;
  if (contiguous && api === 'leasePort') {
    throw invalidOption(
      'contiguous',
      'is an option of leasePorts (a block of consecutive ports): use leasePorts(n, { contiguous: true }).',
    );
  }
  let names: (string | undefined)[] = [];
  if (sticky !== undefined && sticky !== null) {
    if (typeof sticky === 'string' && (api === 'leasePort' || contiguous)) {
      names = [checkName(sticky, 'sticky')];
    } else if (Array.isArray(sticky) && api !== 'leasePort') {
      if (sticky.length !== count) {
        throw invalidOption(
          'sticky',
          `must hold one entry per port: ${count} asked, ${sticky.length} sticky entries given.`,
        );
      }
      const seen = new Set<string>();
      names = sticky.map((name: unknown, i) => {
        if (name === undefined || name === null) return undefined;
        const checked = checkName(name, `sticky[${i}]`);
        if (seen.has(checked)) {
          throw invalidOption(
            `sticky[${i}]`,
            `repeats ${JSON.stringify(checked)}: each port needs its own name.`,
          );
        }
        seen.add(checked);
        return checked;
      });
      if (contiguous && names.slice(1).some((name) => name !== undefined)) {
        throw invalidOption(
          'sticky',
          'of a contiguous block is one name for the whole block (its first port): pass a string.',
        );
      }
    } else {
      throw invalidOption(
        'sticky',
        api === 'leasePort'
          ? `must be a sticky name such as 'web', got ${JSON.stringify(sticky)}.`
          : `of leasePorts must be an array of ${count} names (undefined for a port that is not sticky), or one name with contiguous: true, got ${JSON.stringify(sticky)}.`,
      );
    }
  }
  const scope =
    stickyScope !== undefined && stickyScope !== null
      ? checkScope(stickyScope, 'stickyScope')
      : env.PORTLEASE_STICKY_SCOPE
        ? checkScope(env.PORTLEASE_STICKY_SCOPE, 'PORTLEASE_STICKY_SCOPE')
        : undefined;
  const named =
    options.name === undefined && names.length === 0
      ? names
      : resolveNames(options.name, names, api, count, contiguous);
  const anyNamed = named.some((name) => name !== undefined);
  return {
    count,
    contiguous,
    sticky: names,
    names: named,
    project: anyNamed ? (scope ?? projectOf()) : undefined,
  };
}
