import { invalidOption } from '../option-errors.js';
import { STICKY_NAME } from '../sticky.js';

/*
 * Names of leases: a lease taken with `name` (or `sticky`, which names it too) records its name and
 * its project in its record, so `findLease` / `portlease port NAME` in another process can find it.
 * A name belongs to a project by the same rule as sticky keys (sticky.ts `projectOf`,
 * `stickyScope`, `PORTLEASE_STICKY_SCOPE`), so two worktrees of one project have two `web`s.
 * Nothing here runs for a lease without a name.
 */

function checkName(value: unknown, source: string): string {
  if (typeof value !== 'string' || !STICKY_NAME.test(value)) {
    throw invalidOption(
      source,
      `must be a name of letters, digits and . _ : - (starting with a letter or digit, up to 100), such as 'api', got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

/**
 * The name of each port of a call, in port order, from the `name` option merged with the sticky
 * names (a sticky port is named by its sticky name). leasePort: one name; leasePorts: an array of
 * `count` entries (`undefined` for an unnamed port), or with `contiguous` one name for the block's
 * base port. A name given both ways must agree.
 */
export function resolveNames(
  name: unknown,
  sticky: readonly (string | undefined)[],
  api: string,
  count: number,
  contiguous: boolean,
): (string | undefined)[] {
  if (name === undefined || name === null) return [...sticky];
  let names: (string | undefined)[];
  if (typeof name === 'string' && (api === 'leasePort' || contiguous)) names = [checkName(name, 'name')];
  else if (Array.isArray(name) && api !== 'leasePort') {
    if (name.length !== count) {
      throw invalidOption(
        'name',
        `must hold one entry per port: ${count} asked, ${name.length} names given.`,
      );
    }
    const seen = new Set<string>();
    names = name.map((entry: unknown, i) => {
      if (entry === undefined || entry === null) return undefined;
      const checked = checkName(entry, `name[${i}]`);
      if (seen.has(checked)) {
        throw invalidOption(
          `name[${i}]`,
          `repeats ${JSON.stringify(checked)}: each port needs its own name.`,
        );
      }
      seen.add(checked);
      return checked;
    });
  } else {
    throw invalidOption(
      'name',
      api === 'leasePort'
        ? `must be a name such as 'api', got ${JSON.stringify(name)}.`
        : `of leasePorts must be an array of ${count} names (undefined for an unnamed port), or one name with contiguous: true, got ${JSON.stringify(name)}.`,
    );
  }
  sticky.forEach((stickyName, i) => {
    if (stickyName === undefined) return;
    if (names[i] === undefined) names[i] = stickyName;
    else if (names[i] !== stickyName) {
      throw invalidOption(
        Array.isArray(name) ? `name[${i}]` : 'name',
        `is ${JSON.stringify(names[i])} but the same port is sticky as ${JSON.stringify(stickyName)}; a sticky port is named by its sticky name: leave name out for it.`,
      );
    }
  });
  return names;
}
