/**
 * An owner label as `portlease list` shows it, the same shape on every surface: the first word, then
 * `key=value` parts for what tells concurrent holders apart (project, shard, worker, file). Parts
 * whose value is `undefined` or `''` are left out.
 *
 * @example
 * ```ts
 * ownerLabel('playwright', { project: 'chromium', shard: '2/3', worker: 1 });
 * //=> 'playwright project=chromium shard=2/3 worker=1'
 * ```
 */
export function ownerLabel(
  first: string,
  parts: Readonly<Record<string, string | number | undefined>> = {},
): string {
  const words = [first];
  for (const [key, value] of Object.entries(parts)) {
    if (value !== undefined && value !== '') words.push(`${key}=${value}`);
  }
  return words.join(' ');
}

/**
 * Lease options with `stickyScope` only where the lease is sticky: the API refuses a scope without
 * a sticky name (as the CLI refuses `--sticky-scope` without `--sticky`), so an adapter-wide scope
 * rides along to sticky leases only.
 *
 * @example
 * ```ts
 * scopedIfSticky({ stickyScope: 'app' }); //=> {}
 * scopedIfSticky({ sticky: 'web', stickyScope: 'app' }); //=> { sticky: 'web', stickyScope: 'app' }
 * ```
 */
export function scopedIfSticky<T extends { sticky?: unknown; stickyScope?: unknown }>(options: T): T {
  if ((options.sticky !== undefined && options.sticky !== null) || options.stickyScope === undefined)
    return options;
  const { stickyScope: _unused, ...plain } = options;
  return plain as T;
}
