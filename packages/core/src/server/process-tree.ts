import { childrenOf, procStat as stat } from '../platform/procfs.js';

/**
 * A server's process tree, read from /proc (Linux): a process group does not hold it all, since a
 * child may start its own (`detached`, as browser launchers do), and a cgroup is not available
 * everywhere. Elsewhere only the process and its group are known.
 */

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
