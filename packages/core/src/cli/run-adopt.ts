import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { PortleaseError } from '../errors.js';
import { adoptPort } from '../lease/adopt.js';
import type { PortLease } from '../lease/lease.js';
import { invalidOption } from '../options/errors.js';
import { listeningPorts } from '../server/listening-sockets.js';
import { signalTree, treeOf } from '../server/process-tree.js';
import { leaseOptions, type Parsed, text, usageError } from './args.js';
import { portPlan } from './port-plan.js';

/** The options `portlease run` takes for adopting; the other lease options are args.ts's. */
export const ADOPT_OPTIONS = {
  adopt: { type: 'boolean' },
  'adopt-timeout': { type: 'string' },
} as const;

const POLL_MS = 100;

function timeoutMs(parsed: Parsed): number {
  const value = text(parsed, 'adopt-timeout') ?? '60';
  if (!/^\d{1,5}(?:\.\d{1,3})?$/.test(value) || Number(value) <= 0) {
    throw invalidOption(
      '--adopt-timeout',
      `must be a number of seconds such as 60 or 2.5, got ${JSON.stringify(value)}.`,
    );
  }
  return Number(value) * 1000;
}

/**
 * `portlease run --name api --adopt -- <command>`: runs the command with PORT=0 (a server that reads
 * PORT lets the kernel choose), finds the one port its process tree listens on, and publishes a
 * lease for it under the name until the command exits. Exits with the command's code; 1 with
 * `TIMEOUT` (it never listened within --adopt-timeout, default 60 s) or `ADOPT_AMBIGUOUS` (several
 * ports), stopping the command.
 */
export async function runAdopted(parsed: Parsed, command: string, commandArgs: string[]): Promise<number> {
  const plan = portPlan(parsed);
  if (plan.names.length !== 1 || plan.count !== 1 || plan.sticky.length) {
    throw usageError(
      '--adopt takes one --name NAME (the port is the one the command listens on; it cannot be sticky)',
    );
  }
  const name = plan.names[0] as string;
  const timeout = timeoutMs(parsed);
  const options = {
    ...leaseOptions(parsed, `portlease run --adopt ${[command, ...commandArgs].join(' ')}`.slice(0, 200)),
    name,
    ...(plan.options.stickyScope === undefined ? {} : { stickyScope: plan.options.stickyScope }),
  };
  const fill = (arg: string) => arg.replace(/\{port(?::[A-Za-z0-9_-]+)?\}/g, '0');
  const child = spawn(fill(command), commandArgs.map(fill), {
    stdio: 'inherit',
    env: { ...process.env, PORT: '0' },
  });
  // SIGTERM / SIGHUP reach the command's whole tree: a server under a shell must not outlive the
  // lease of the port it listens on.
  const stopTree = (signal: NodeJS.Signals) =>
    child.pid === undefined ? child.kill(signal) : signalTree(treeOf(child.pid), undefined, signal);
  const handlers = [
    ...(['SIGTERM', 'SIGHUP'] as const).map((signal) => [signal, () => stopTree(signal)] as const),
    ...(['SIGINT', 'SIGQUIT'] as const).map((signal) => [signal, () => {}] as const),
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
  let exited = false;
  const code = new Promise<number>((resolve) => {
    child.once('error', (error) => {
      exited = true;
      process.stderr.write(`portlease run: cannot start ${JSON.stringify(command)}: ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (exitCode, signal) => {
      exited = true;
      resolve(signal ? 128 + (constants.signals[signal] ?? 0) : (exitCode ?? 1));
    });
  });
  let lease: PortLease | undefined;
  try {
    const deadline = performance.now() + timeout;
    let seen: number[] = [];
    while (!exited && child.pid !== undefined) {
      const ports = listeningPorts(child.pid);
      // Two looks in a row: a server that opens a second port right after the first is seen doing so.
      if (ports.length && ports.join() === seen.join()) {
        if (ports.length > 1) {
          throw new PortleaseError(
            'ADOPT_AMBIGUOUS',
            `${JSON.stringify(command)} listens on ${ports.length} ports (${ports.join(', ')}), so --adopt cannot tell which one is ${JSON.stringify(name)}. Make it listen on one port, or lease its ports with --name instead of adopting.`,
            { details: { ports } },
          );
        }
        lease = await adoptPort(ports[0] as number, options);
        break;
      }
      seen = ports;
      if (performance.now() > deadline) {
        throw new PortleaseError(
          'TIMEOUT',
          `${JSON.stringify(command)} did not listen on any TCP port within ${timeout / 1000} s, so there was nothing to adopt as ${JSON.stringify(name)}. Make it bind port 0 (or $PORT, which is 0 here), or raise --adopt-timeout.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    stopTree('SIGTERM');
    await code;
    for (const [signal, handler] of handlers) process.off(signal, handler);
    throw error;
  }
  const result = await code;
  for (const [signal, handler] of handlers) process.off(signal, handler);
  lease?.releaseSync();
  return result;
}
