import { settleAll } from '../settle.js';
import { startServer } from './start-server.js';
import type { RunningServer, StartServerOptions } from './types.js';

/** The servers of {@link startNamedServers}, by name, and how to stop them together. */
export interface NamedServers {
  /** Each started server under its key, in the order given. */
  readonly servers: Readonly<Record<string, RunningServer>>;
  /** Stops every server at once (each even when another fails; the first failure is thrown after). */
  stop(): Promise<void>;
}

/**
 * Starts servers at once, all or nothing: when one fails to start, the ones that did are stopped and
 * the first failure (in key order) is thrown with its code. Each server's `name` (the name its
 * messages use) defaults to its key.
 *
 * @example
 * ```ts
 * const { servers, stop } = await startNamedServers({
 *   api: { command: ['node', 'api.js'] },
 *   web: { command: ['node', 'web.js', '--port', '{port}'] },
 * });
 * console.log(servers.api.url);
 * await stop();
 * ```
 */
export async function startNamedServers(
  specs: Readonly<Record<string, StartServerOptions>>,
): Promise<NamedServers> {
  const entries = Object.entries(specs);
  const started = await Promise.allSettled(
    entries.map(([name, options]) => startServer({ name, ...options })),
  );
  const running = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const stop = () => settleAll(running.map((server) => server.stop()));
  const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) {
    // The start failure is what the caller must see; a stop failure on the way out would hide it.
    await stop().catch(() => {});
    throw failed.reason;
  }
  return {
    servers: Object.fromEntries(entries.map(([name], i) => [name, running[i] as RunningServer])),
    stop,
  };
}
