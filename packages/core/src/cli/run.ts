import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { leasePorts } from '../allocator.js';
import { envName, LEASE_FLAGS, leaseOptions, parseFlags, portNames, usageError } from './args.js';

/**
 * `portlease run [--count N | --name api --name web] [--range A-B] -- <command…>`: leases the ports,
 * runs the command with PORT (and PORT_API, …) set and `{port}` / `{port:api}` substituted in its
 * arguments, forwards signals, releases the ports when it ends and exits with its code.
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseFlags(args, LEASE_FLAGS);
  const [command, ...commandArgs] = parsed.rest;
  if (command === undefined) throw usageError('portlease run needs a command after --');
  const { count, names } = portNames(parsed);
  const leases = await leasePorts(
    count,
    leaseOptions(parsed, `portlease run ${parsed.rest.join(' ')}`.slice(0, 200)),
  );
  const ports = leases.map((lease) => lease.port);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(ports[0]), PORTLEASE_PORTS: ports.join(',') };
  names.forEach((name, i) => {
    env[envName(name)] = String(ports[i]);
  });
  const fill = (arg: string) =>
    arg.replace(/\{port(?::([A-Za-z0-9_-]+))?\}/g, (whole, name?: string) => {
      if (name === undefined) return String(ports[0]);
      const index = names.indexOf(name);
      return index === -1 ? whole : String(ports[index]);
    });

  const child = spawn(fill(command), commandArgs.map(fill), { stdio: 'inherit', env });
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((signal) => {
    const handler = forward(signal);
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  const code = await new Promise<number>((resolve) => {
    child.once('error', (error) => {
      process.stderr.write(`portlease run: cannot start ${JSON.stringify(command)}: ${error.message}\n`);
      resolve(127);
    });
    child.once('exit', (exitCode, signal) => {
      resolve(signal ? 128 + (constants.signals[signal] ?? 0) : (exitCode ?? 1));
    });
  });
  for (const [signal, handler] of handlers) process.off(signal, handler);
  for (const lease of leases) lease.releaseSync();
  return code;
}
