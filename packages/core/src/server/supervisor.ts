/**
 * Runs one server command in its own process group and makes sure the whole group dies with it:
 * when the parent asks (SIGTERM/SIGINT), and when the parent itself dies, even by SIGKILL (the
 * lifeline pipe on fd 3 closes). Started by startServer; not a public entry point.
 *
 * argv: node supervisor.js <json {command, shell, cwd, stopTimeout}>
 * fd 3: lifeline; the supervisor writes `{"pid":N}\n` to it once the server is spawned.
 */
import { spawn } from 'node:child_process';
import { Socket } from 'node:net';

interface Spec {
  command: string[];
  shell: boolean;
  cwd?: string;
  stopTimeout: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const [file, ...args] = spec.command;
const child = spawn(file ?? '', args, {
  cwd: spec.cwd,
  shell: spec.shell,
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit'],
});

let stopping = false;
function killGroup(signal: NodeJS.Signals): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, signal);
  } catch {
    // Group already gone.
  }
}

function stop(): void {
  if (stopping) return;
  stopping = true;
  killGroup('SIGTERM');
  setTimeout(() => {
    killGroup('SIGKILL');
    process.exit(1);
  }, spec.stopTimeout).unref();
}

const lifeline = new Socket({ fd: 3, readable: true, writable: true });
lifeline.on('error', stop);
lifeline.on('close', stop);
lifeline.on('end', stop);
lifeline.resume();
child.once('spawn', () => lifeline.write(`${JSON.stringify({ pid: child.pid })}\n`));
child.once('error', (error) => {
  process.stderr.write(
    `portlease: could not start ${JSON.stringify(spec.command.join(' '))}: ${error.message}\n`,
  );
  process.exit(127);
});
child.once('exit', (code, signal) => {
  // The main process is gone; take any children it left behind with it.
  killGroup('SIGKILL');
  if (signal) process.exitCode = 128;
  process.exit(code ?? 1);
});
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('SIGHUP', stop);
