import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { withFrameworkPort } from '../server/frameworks.js';
import { LEASE_OPTIONS, leaseOptions, parseCommand, usageError } from './args.js';
import { RUN_HELP } from './help.js';
import { leaseForCli } from './lease.js';
import { envName, portPlan } from './port-plan.js';
import { ADOPT_OPTIONS, runAdopted } from './run-adopt.js';

/**
 * Signals passed on to the command. The command runs in our process group, in the terminal's
 * foreground, so that it can read the terminal and a CI runner's group kill reaches it. Ctrl-C
 * (SIGINT) and Ctrl-\ (SIGQUIT) come from the terminal to that whole group, and a `kill -INT -PGID`
 * too: the command already has them, and passing them on would deliver them twice (a second Ctrl-C
 * means "force quit" to many servers). SIGTERM and SIGHUP are what process managers, `timeout` and
 * `kill PID` send to one pid: those are passed on. (Which process sent a signal, and to whom, is not
 * visible to a Node process, so the rule goes by the signal.)
 */
const FORWARDED = ['SIGTERM', 'SIGHUP'] as const;
/** Not passed on (the group already has them), but they must not end us before the command. */
const GROUP_SIGNALS = ['SIGINT', 'SIGQUIT'] as const;

/**
 * `portlease run [--count N] [--name api] [--sticky web] [--contiguous] [--range A-B] -- <command…>`:
 * leases the ports (`--sticky`: named and sticky, `--contiguous`: consecutive),
 * runs the command with PORT (and PORT_API, …) set and `{port}` / `{port:api}` substituted in its
 * arguments, passes signals on, releases the ports when it ends and exits with its code.
 */
export async function run(args: string[]): Promise<number> {
  const parsed = parseCommand(args, { ...LEASE_OPTIONS, ...ADOPT_OPTIONS }, { command: true });
  if (parsed.help) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  const [command, ...commandArgs] = parsed.rest;
  if (command === undefined) throw usageError('portlease run needs a command after --');
  if (parsed.values.adopt === true) return runAdopted(parsed, command, commandArgs);
  const { count, names, options } = portPlan(parsed);
  const leases = await leaseForCli(count, {
    ...leaseOptions(parsed, `portlease run ${parsed.rest.join(' ')}`.slice(0, 200)),
    ...options,
  });
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

  // Frameworks that ignore PORT (vite, astro, ng serve, …) get --port (server/frameworks.ts).
  const [program, ...programArgs] = withFrameworkPort(
    [command, ...commandArgs].map(fill),
    ports[0] as number,
  );
  const child = spawn(program as string, programArgs, { stdio: 'inherit', env });
  const handlers = [
    ...FORWARDED.map((signal) => [signal, () => child.kill(signal)] as const),
    ...GROUP_SIGNALS.map((signal) => [signal, () => {}] as const),
  ];
  for (const [signal, handler] of handlers) process.on(signal, handler);
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
