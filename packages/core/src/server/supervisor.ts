/**
 * Runs one server command in its own process group and makes sure its whole process tree dies with
 * it: when the parent asks (SIGTERM/SIGINT/SIGHUP), when the parent itself dies, even by SIGKILL (the
 * lifeline pipe on fd 3 closes), and when the server exits and leaves children behind. The tree is
 * the group plus every descendant seen under the server (read from /proc every 250 ms, so a child
 * that started its own group or session, or was orphaned, is still known). Started by startServer;
 * not a public entry point.
 *
 * argv: node supervisor.js <json {command, shell, cwd, stopTimeout}>
 * fd 3: lifeline; the supervisor writes `{"pid":N}\n` to it once the server is spawned.
 * Exit status: the server's (128 + signal number if a signal ended it); 127 if it could not start.
 */
import { spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { constants } from 'node:os';
import { isAlive, type Member, rememberTree, signalTree } from './process-tree.js';

interface Spec {
  command: string[];
  shell: boolean;
  cwd?: string;
  stopTimeout: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const [file, ...args] = spec.command;

// The parent's stop signals are caught before the server is spawned: a SIGTERM that came between the
// spawn and the handlers (a readyTimeout passing on a loaded machine) killed the supervisor by the
// default action and left the server, in its own group, orphaned and running.
let stopRequested = false;
let stop: () => void = () => {
  stopRequested = true;
};
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop());

const child = spawn(file ?? '', args, {
  cwd: spec.cwd,
  shell: spec.shell,
  detached: true,
  stdio: ['ignore', 'inherit', 'inherit'],
});

const known = new Map<number, Member>();
const watch = setInterval(() => {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null)
    rememberTree(known, child.pid);
}, 250);
watch.unref();

let status: number | undefined;
let deadline: number | undefined;

/** Once the server is gone and nothing of its tree is left (or the deadline passed), exit. */
function finishWhenEmpty(): void {
  const poll = setInterval(() => {
    const left = [...known.values()].filter(isAlive);
    const serverGone = status !== undefined;
    if (serverGone && left.length === 0) {
      clearInterval(poll);
      process.exit(status);
    }
    if (deadline !== undefined && performance.now() >= deadline) {
      signalTree(left, child.pid, 'SIGKILL');
      if (serverGone) {
        clearInterval(poll);
        process.exit(status);
      }
    }
  }, 50);
}

let stopping = false;
function stopTree(): void {
  if (stopping) return;
  stopping = true;
  if (child.pid !== undefined) rememberTree(known, child.pid);
  signalTree([...known.values()], child.pid, 'SIGTERM');
  deadline = performance.now() + spec.stopTimeout;
  finishWhenEmpty();
}

stop = stopTree;
if (stopRequested) stopTree();

const lifeline = new Socket({ fd: 3, readable: true, writable: true });
lifeline.on('error', stopTree);
lifeline.on('close', stopTree);
lifeline.on('end', stopTree);
lifeline.resume();
child.once('spawn', () => {
  if (child.pid !== undefined) rememberTree(known, child.pid);
  lifeline.write(`${JSON.stringify({ pid: child.pid })}\n`);
});
child.once('error', (error) => {
  process.stderr.write(
    `portlease: could not start ${JSON.stringify(spec.command.join(' '))}: ${error.message}\n`,
  );
  process.exit(127);
});
child.once('exit', (code, signal) => {
  status = signal ? 128 + (constants.signals[signal] ?? 0) : (code ?? 1);
  if (stopping) return; // finishWhenEmpty gives the rest of the tree its grace, then exits.
  // The server ended on its own: what it left behind goes with it, at once.
  signalTree([...known.values()], child.pid, 'SIGKILL');
  process.exit(status);
});
