import { invalidOption } from './errors.js';

/**
 * Which of an adapter's named ports its `sticky` option makes sticky: none (`undefined`, `false`),
 * all (`true`), or the names listed, each of which must be one of `names` (a typo is reported, never
 * silently a plain lease). `list` names the option that holds the names (`ports`, `names`).
 *
 * @example
 * ```ts
 * stickyPorts(['web'], ['api', 'web'], 'portlease() options', 'ports'); //=> Set { 'web' }
 * stickyPorts(['wbe'], ['api', 'web'], 'portlease() options', 'ports');
 * // PortleaseError [INVALID_OPTIONS] portlease() options.sticky lists "wbe", which is not one of the ports ("api", "web"); …
 * ```
 */
export function stickyPorts(
  sticky: boolean | readonly string[] | undefined,
  names: readonly string[],
  path: string,
  list: string,
): ReadonlySet<string> {
  if (sticky === undefined || sticky === false) return new Set();
  if (sticky === true) return new Set(names);
  for (const name of sticky) {
    if (!names.includes(name)) {
      throw invalidOption(
        `${path}.sticky`,
        `lists ${JSON.stringify(name)}, which is not one of the ${list} (${names.map((n) => JSON.stringify(n)).join(', ') || 'none'}); add it to ${list} or drop it from sticky.`,
      );
    }
  }
  return new Set(sticky);
}
