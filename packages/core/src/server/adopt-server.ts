import { PortleaseError } from '../errors.js';
import { adoptPort } from '../lease/adopt.js';
import { startCommand } from './command-strategy.js';
import { listeningPorts } from './listening-sockets.js';
import { delay, reachableHost } from './ready.js';
import { ServerRun } from './server-run.js';
import { outputTail, runningServer } from './strategy.js';
import type { RunningServer, StartServerOptions } from './types.js';

/**
 * startServer with `adopt: true`: runs the command with PORT=0 (and `{port}` as 0), so the kernel
 * picks its port; finds the one port its process tree listens on (platform/listening-sockets.ts),
 * publishes a lease for it (named by `lease.name`, so others find it), and resolves once it accepts
 * connections. `stop()` stops the tree, then releases the lease.
 */
export async function startAdopted(
  options: StartServerOptions & { command: string | readonly string[] },
  name: string,
): Promise<RunningServer> {
  const run = new ServerRun(options);
  const { output, hosts, readyTimeout, stop } = run;
  try {
    const strategy = startCommand(options, 0, hosts, output);
    run.strategy = strategy;
    const deadline = performance.now() + readyTimeout;
    let seen = '';
    for (;;) {
      const ended = strategy.ended();
      if (ended !== undefined) {
        throw new PortleaseError(
          'SERVER_EXITED',
          `Server ${JSON.stringify(name)} ${ended} before it listened on a port to adopt.${outputTail(output.text)}`,
          { details: { output: output.text } },
        );
      }
      const ports = strategy.pid === undefined ? [] : listeningPorts(strategy.pid);
      if (ports.length && ports.join() === seen) {
        if (ports.length > 1) {
          throw new PortleaseError(
            'ADOPT_AMBIGUOUS',
            `Server ${JSON.stringify(name)} listens on ${ports.length} ports (${ports.join(', ')}), so adopt cannot tell which is its port. Make it listen on one, or leave adopt out and give it a leased port.`,
            { details: { ports } },
          );
        }
        const port = ports[0] as number;
        run.lease ??= await adoptPort(port, { owner: `server: ${name}`, ...options.lease });
        const host = await reachableHost(port, hosts);
        if (host !== undefined) {
          return runningServer(strategy, port, host, output, stop);
        }
      }
      seen = ports.join();
      if (performance.now() > deadline) {
        throw new PortleaseError(
          'SERVER_TIMEOUT',
          `Server ${JSON.stringify(name)} did not listen on a port (hosts ${hosts.join(', ')}) within ${readyTimeout} ms, so there was nothing to adopt. Make it bind port 0 (or $PORT, which is 0), or raise readyTimeout.${outputTail(output.text)}`,
          { details: { output: output.text } },
        );
      }
      await delay(50);
    }
  } catch (error) {
    return run.fail(error);
  }
}
