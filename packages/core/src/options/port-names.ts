import { invalidOption } from './errors.js';

/**
 * Checks an adapter's list of port names found at `path` (Vitest's `ports`, Jest's `names`): an array
 * of unique, non-empty strings, in the order the ports are leased. One rule for every adapter, so a
 * name list that one runner refuses is refused by every runner with the same message.
 *
 * @example
 * ```ts
 * checkPortNames(['api', 'web'], 'portlease() options.ports'); //=> ['api', 'web']
 * checkPortNames(['api', 'api'], 'portlease() options.ports');
 * // PortleaseError [INVALID_OPTIONS] portlease() options.ports lists "api" twice; names must be unique.
 * ```
 */
export function checkPortNames(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) {
    throw invalidOption(
      path,
      `must be an array of non-empty strings such as ['api', 'web'], got ${JSON.stringify(value)}.`,
    );
  }
  const seen = new Set<string>();
  for (const name of value) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw invalidOption(path, `must hold non-empty strings such as 'api', got ${JSON.stringify(name)}.`);
    }
    if (seen.has(name))
      throw invalidOption(path, `lists ${JSON.stringify(name)} twice; names must be unique.`);
    seen.add(name);
  }
  return [...seen];
}
