import type { PortLease } from '../lease/lease.js';
import { OutputBuffer, type Strategy } from './strategy.js';
import type { StartServerOptions } from './types.js';

/**
 * One server while startServer (or its adopt form) starts it: its output, the hosts probed, the ready
 * timeout, and the one `stop()` both forms hand out. `stop()` stops the strategy first and releases the
 * lease only then — a port something still serves on must not go to the next caller — and runs once.
 */
export class ServerRun {
  readonly output: OutputBuffer;
  readonly hosts: readonly string[];
  readonly readyTimeout: number;
  strategy: Strategy | undefined;
  lease: PortLease | undefined;
  #stopped: Promise<void> | undefined;

  constructor(options: StartServerOptions, lease?: PortLease) {
    this.output = new OutputBuffer(options.log ?? false);
    this.hosts = options.hosts ?? ['127.0.0.1', '::1'];
    this.readyTimeout = options.readyTimeout ?? 30_000;
    this.lease = lease;
  }

  readonly stop = (): Promise<void> => {
    this.#stopped ??= (async () => {
      await this.strategy?.stop();
      await this.lease?.release();
    })();
    return this.#stopped;
  };

  /** Stops whatever was started, then rethrows `error`: a failed start leaves nothing behind. */
  async fail(error: unknown): Promise<never> {
    await this.stop().catch(() => {});
    throw error;
  }
}
