import type * as ChildProcess from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { PortleaseError } from '../errors.js';
import { builtin } from '../platform/builtin.js';
import { withFrameworkPort, withFrameworkPortInShell } from './frameworks.js';
import { isAlive, type Member, signalTree, treeOf } from './process-tree.js';
import { delay, reachableHost } from './ready.js';
import type { OutputBuffer, Strategy } from './strategy.js';
import type { StartServerOptions } from './types.js';

const childProcess = builtin<typeof ChildProcess>('node:child_process');

const here = dirname(fileURLToPath(import.meta.url));

function supervisorPath(): string {
  for (const name of ['supervisor.js', 'supervisor.cjs']) {
    const path = join(here, name);
    if (existsSync(path)) return path;
  }
  throw new Error(`portlease: supervisor.js missing next to ${here}; reinstall portlease.`);
}

/** Waits until every member of the tree is gone, or `ms` passed; resolves whether they are gone. */
async function treeGone(members: ReturnType<typeof treeOf>, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (members.some(isAlive)) {
    if (performance.now() >= deadline) return false;
    await delay(50);
  }
  return true;
}

/**
 * The command under portlease's supervisor (supervisor.ts), which owns its process tree. `stop()`
 * asks the supervisor (SIGTERM; SIGKILL after stopTimeout + 1 s); if the supervisor is already dead
 * (it was SIGKILLed) it stops the command's tree itself; either way it resolves only once nothing
 * accepts connections on the port any more.
 */
export function startCommand(
  options: StartServerOptions & { command: string | readonly string[] },
  port: number,
  hosts: readonly string[],
  output: OutputBuffer,
): Strategy {
  const fill = (arg: string) => arg.replaceAll('{port}', String(port));
  const shell = typeof options.command === 'string';
  // Frameworks that ignore PORT (vite, astro, ng serve, …) get --port (frameworks.ts).
  // Port 0 (adopt): nothing to pass on; the framework's own default, or its config, decides.
  const command =
    port === 0
      ? typeof options.command === 'string'
        ? [fill(options.command)]
        : options.command.map(fill)
      : typeof options.command === 'string'
        ? [withFrameworkPortInShell(fill(options.command), port)]
        : withFrameworkPort(options.command.map(fill), port);
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  for (const name of [options.portEnv ?? 'PORT'].flat()) env[name] = String(port);
  const stopTimeout = options.stopTimeout ?? 5000;
  const spec = JSON.stringify({ command, shell, cwd: options.cwd, stopTimeout });
  const supervisor = childProcess().spawn(process.execPath, [supervisorPath(), spec], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  output.attach(supervisor.stdout);
  output.attach(supervisor.stderr);

  let ended: string | undefined;
  let appPid: number | undefined;
  /** The command as first seen (pid and start time), so a reused pid is never taken for it. */
  let app: Member | undefined;
  const exited = new Promise<void>((resolve) => {
    supervisor.once('exit', (code, signal) => {
      ended ??= signal ? `was killed by ${signal}` : `exited with code ${code}`;
      resolve();
    });
    // Without a listener a failed spawn (EAGAIN, ENOMEM, …) is an uncaught 'error' that ends this process.
    supervisor.once('error', (error) => {
      ended ??= `could not be started (${error.message})`;
      resolve();
    });
  });
  const lifeline = supervisor.stdio[3] as Readable;
  let report = '';
  lifeline.setEncoding('utf8');
  lifeline.on('data', (chunk: string) => {
    report += chunk;
    const newline = report.indexOf('\n');
    if (newline !== -1 && appPid === undefined) {
      appPid = (JSON.parse(report.slice(0, newline)) as { pid?: number }).pid;
      if (appPid !== undefined) app = treeOf(appPid).find((member) => member.pid === appPid);
    }
  });
  lifeline.on('error', () => {});

  const supervisorRunning = () =>
    supervisor.exitCode === null && supervisor.signalCode === null && ended === undefined;

  return {
    pid: supervisor.pid,
    appPid: () => appPid,
    ended: () => ended,
    detach() {
      supervisor.unref();
      for (const stream of [supervisor.stdout, supervisor.stderr, lifeline]) {
        (stream as { unref?: () => void } | null)?.unref?.();
      }
    },
    async stop() {
      if (supervisorRunning()) {
        supervisor.kill('SIGTERM');
        const timer = setTimeout(() => supervisor.kill('SIGKILL'), stopTimeout + 1000);
        await exited;
        clearTimeout(timer);
      }
      // The supervisor is gone. If it died without stopping the command (SIGKILL), the command and
      // what it started still run, orphaned: stop them here, with the same grace.
      if (app !== undefined && isAlive(app)) {
        const tree = treeOf(app.pid);
        signalTree(tree, app.pid, 'SIGTERM');
        if (!(await treeGone(tree, stopTimeout))) signalTree(tree, app.pid, 'SIGKILL');
        await treeGone(tree, 1000);
      }
      // Only a free port may be released: something the tree tracking missed still serves on it.
      const deadline = performance.now() + 2000;
      while ((await reachableHost(port, hosts)) !== undefined) {
        if (performance.now() >= deadline) {
          throw new PortleaseError(
            'SERVER_TIMEOUT',
            `The server on port ${port} was stopped, but something still accepts connections on the port (a process it started outside its tree?). The port's lease is kept; find the listener with \`ss -ltnp 'sport = :${port}'\`.`,
            { details: { port } },
          );
        }
        await delay(50);
      }
    },
  };
}
