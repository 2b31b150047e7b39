import { PortleaseError } from '../errors.js';
import { leasePort } from '../lease/allocator.js';
import type { PortLease } from '../lease/lease.js';
import { startAdopted } from './adopt-server.js';
import { startCommand } from './command-strategy.js';
import { startInProcess } from './in-process-strategy.js';
import { delay, reachableHost } from './ready.js';
import { ServerRun } from './server-run.js';
import { outputTail, runningServer } from './strategy.js';
import type { RunningServer, StartServerOptions } from './types.js';
import { validateServerOptions } from './validate.js';

export type { RunningServer, StartServerOptions, Stoppable } from './types.js';

function describe(options: StartServerOptions): string {
  if (options.name) return options.name;
  if (options.command === undefined) return 'in-process server';
  return typeof options.command === 'string' ? options.command : options.command.join(' ');
}

/**
 * Starts a server on a leased (or given) port, waits until it accepts TCP connections, and returns
 * its `port` and `url`. A command runs under a small supervisor in its own process group, so stopping
 * it, or the death of this process (even by SIGKILL), takes down the whole process tree.
 *
 * @throws {PortleaseError} `SERVER_EXITED` (with the server's output) if it exits before listening,
 * `SERVER_TIMEOUT` if it does not listen within `readyTimeout`, `INVALID_OPTIONS` for bad options.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  validateServerOptions(options);
  const name = describe(options);
  if (options.adopt === true)
    return startAdopted({ ...options, command: options.command as string | readonly string[] }, name);
  const lease: PortLease | undefined =
    options.port === undefined ? await leasePort({ owner: `server: ${name}`, ...options.lease }) : undefined;
  const port = options.port ?? (lease as PortLease).port;
  const run = new ServerRun(options, lease);
  const { output, hosts, readyTimeout, stop } = run;
  try {
    const strategy =
      options.command !== undefined
        ? startCommand({ ...options, command: options.command }, port, hosts, output)
        : await startInProcess(options.start as NonNullable<StartServerOptions['start']>, port);
    run.strategy = strategy;
    const deadline = performance.now() + readyTimeout;
    for (;;) {
      const host = await reachableHost(port, hosts);
      const ended = strategy.ended();
      if (host !== undefined && ended === undefined) {
        return runningServer(strategy, port, host, output, stop);
      }
      if (ended !== undefined) {
        throw new PortleaseError(
          'SERVER_EXITED',
          `Server ${JSON.stringify(name)} ${ended} before it accepted connections on port ${port}. Check the command and that it listens on $${[options.portEnv ?? 'PORT'].flat()[0]}.${outputTail(output.text)}`,
          { details: { port, output: output.text } },
        );
      }
      if (performance.now() > deadline) {
        throw new PortleaseError(
          'SERVER_TIMEOUT',
          `Server ${JSON.stringify(name)} did not accept connections on port ${port} (hosts ${hosts.join(', ')}) within ${readyTimeout} ms. Make it listen on the port it is given, or raise readyTimeout.${outputTail(output.text)}`,
          { details: { port, output: output.text } },
        );
      }
      await delay(50);
    }
  } catch (error) {
    return run.fail(error);
  }
}
