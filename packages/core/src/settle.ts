/**
 * Waits for every promise, each running to its end even when another fails, then throws the first
 * failure in the order given. For giving back several things at once (stopping servers, releasing
 * leases): one that fails must not leave the others held. `undefined` entries are skipped.
 *
 * @example
 * ```ts
 * await settleAll([...servers.map((server) => server.stop()), ...leases.map((lease) => lease.release())]);
 * ```
 */
export async function settleAll(tasks: Iterable<Promise<unknown> | undefined>): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}
