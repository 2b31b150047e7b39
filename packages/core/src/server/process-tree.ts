import { readdirSync, readFileSync } from 'node:fs';

/**
 * A server's process tree, read from /proc (Linux): a process group does not hold it all, since a
 * child may start its own (`detached`, as browser launchers do), and a cgroup is not available
 * everywhere. Elsewhere only the process and its group are known.
 */

/** `state` and `start` (clock ticks since boot) of a process, or undefined if it is gone. */
function stat(pid: number): { state: string; start: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] as string, start: fields[19] as string };
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ')) {
        if (child.trim()) found.push(Number(child));
      }
    } catch {
      // The thread ended meanwhile.
    }
  }
  return found;
}

/** A process seen in the tree, with its start time so a reused pid is never signalled. */
export interface Member {
  pid: number;
  start: string;
}

/** `pid` and every descendant of it alive now. */
export function treeOf(pid: number): Member[] {
  const members: Member[] = [];
  const queue = [pid];
  const seen = new Set<number>();
  while (queue.length && members.length < 4096) {
    const current = queue.shift() as number;
    if (seen.has(current)) continue;
    seen.add(current);
    const info = stat(current);
    if (!info) continue;
    members.push({ pid: current, start: info.start });
    queue.push(...childrenOf(current));
  }
  return members;
}

/** Alive (a zombie has exited: it only waits for its parent to reap it) and still the same process. */
export function isAlive(member: Member): boolean {
  const info = stat(member.pid);
  return info !== undefined && info.start === member.start && info.state !== 'Z' && info.state !== 'X';
}

/** Sends `signal` to every member still alive and to the process group led by `group`. */
export function signalTree(
  members: readonly Member[],
  group: number | undefined,
  signal: NodeJS.Signals,
): void {
  if (group !== undefined) {
    try {
      process.kill(-group, signal);
    } catch {
      // The group is gone.
    }
  }
  for (const member of members) {
    if (!isAlive(member)) continue;
    try {
      process.kill(member.pid, signal);
    } catch {
      // Gone meanwhile, or not ours.
    }
  }
}

/** Keeps `known` up to date with the tree under `pid`: members seen once stay known after they are orphaned. */
export function rememberTree(known: Map<number, Member>, pid: number): void {
  for (const member of treeOf(pid)) known.set(member.pid, member);
  for (const [key, member] of known) if (!isAlive(member)) known.delete(key);
}
