import type { LeaseOptions, StartServerOptions } from 'portlease';

/**
 * Where the fixtures lease their ports. Set it in the config's `use` (or `test.use`); every field is
 * optional and wins over the environment (`PORTLEASE_DIR`, `PORTLEASE_RANGE`).
 *
 * @example
 * ```ts
 * // playwright.config.ts
 * export default defineConfig<object, PortleaseWorkerOptions>({
 *   use: { portlease: { range: [20000, 29999], owner: 'shop e2e' } },
 * });
 * ```
 */
export interface PortleaseOptions
  extends Omit<LeaseOptions, 'signal' | 'owner' | 'sticky' | 'contiguous' | 'protocol' | 'name'> {
  /**
   * First word of the owner labels `portlease list` shows, followed by project, shard and worker:
   * `shop e2e project=chromium shard=2/3 worker=1`. Default `playwright`.
   */
  owner?: string;
  /**
   * Makes each worker's `serverPort` sticky: worker `parallelIndex` 0 gets the same port run after
   * run (a preference: another port when that one is taken, never a wait). `true` keys it
   * `serverPort.<parallelIndex>`; a string replaces the `serverPort` prefix (`'shop.'`-style names
   * keep two suites of one project apart). A sharded run adds `.shard<current>`, so concurrent shards
   * on one host do not compete for the same preferred port. Per `parallelIndex` and not per worker:
   * the index is stable across runs and worker restarts, and no two live workers of a run share it.
   * `leasePort()` in tests is never sticky. Default `false`.
   */
  sticky?: boolean | string;
}

/**
 * The per-worker server: how core's `startServer` runs it, minus the port, which is always the
 * worker's {@link PortleaseWorkerFixtures.serverPort}. A `command` gets the port as `$PORT` (or the
 * `portEnv` names) and in place of `{port}` in its arguments; it also inherits the worker's
 * environment, so `TEST_PARALLEL_INDEX` can name a per-worker database. `start` runs in the worker.
 *
 * @example
 * ```ts
 * use: { workerServer: { command: ['node', 'server.js', '--port', '{port}'], readyTimeout: 20_000 } }
 * ```
 */
export type WorkerServerOptions = Omit<StartServerOptions, 'port' | 'lease'>;

/**
 * A running per-worker server, as the {@link PortleaseWorkerFixtures.server} fixture gives it.
 *
 * @example
 * ```ts
 * test('health', async ({ server }) => {
 *   const response = await fetch(`${server.url}/health`);
 *   expect(response.ok, server.output()).toBe(true);
 * });
 * ```
 */
export interface WorkerServer {
  /** The worker's leased port (the same number as `serverPort`). */
  readonly port: number;
  /** `http://127.0.0.1:<port>` (or `[::1]`, whichever host accepted the connection first). */
  readonly url: string;
  /** The server's pid (its supervisor's, for a command); `undefined` for an in-process `start`. */
  readonly pid: number | undefined;
  /** The last 64 KiB of the server's stdout and stderr. */
  output(): string;
}

/**
 * Options settable from the config's `use`, typed through `defineConfig`'s second type argument.
 *
 * @example
 * ```ts
 * export default defineConfig<object, PortleaseWorkerOptions>({
 *   use: { workerServer: { command: ['node', 'app/server.mjs'] }, portlease: { range: [20000, 29999] } },
 * });
 * ```
 */
export interface PortleaseWorkerOptions {
  /** Lease settings for every port this package takes. Default `{}`. */
  portlease: PortleaseOptions;
  /** The per-worker server to start on `serverPort`; `undefined` (default) starts none. */
  workerServer: WorkerServerOptions | undefined;
}

/**
 * Worker-scoped fixtures: one value per worker process, kept across its tests.
 *
 * @example
 * ```ts
 * test('own port', async ({ serverPort, server }) => {
 *   expect(server.port).toBe(serverPort);
 * });
 * ```
 */
export interface PortleaseWorkerFixtures extends PortleaseWorkerOptions {
  /**
   * A port leased for this worker when first used, unique across workers, concurrent shards and every
   * other portlease user sharing the lock directory. Released at worker teardown; if the worker is
   * killed, the next lease attempt reclaims it.
   */
  serverPort: number;
  /**
   * The `workerServer` started on `serverPort` and ready to accept connections; stopped (whole
   * process tree) at worker teardown. Fails with a `PortleaseError` if no `workerServer` is set, or
   * with `SERVER_EXITED` / `SERVER_TIMEOUT` and the server's output if it does not start.
   */
  server: WorkerServer;
}

/**
 * Test-scoped fixtures.
 *
 * @example
 * ```ts
 * test('two fakes', async ({ leasePort }) => {
 *   const [mail, payments] = [await leasePort('mail'), await leasePort('payments')];
 * });
 * ```
 */
export interface PortleaseTestFixtures {
  /**
   * Leases one more port for this test; each call returns a new one. Released after the test. The
   * optional `label` is added to the owner label `portlease list` shows.
   */
  leasePort: (label?: string) => Promise<number>;
}
