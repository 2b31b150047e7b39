import { readdirSync, readFileSync } from 'node:fs';

/*
 * The one reader of /proc/<pid> (Linux). Elsewhere every read answers "unknown" (undefined, or
 * empty), and callers fall back to what the platform tells them otherwise.
 */

/** What /proc/<pid>/stat says of a process. */
export interface ProcStat {
  /** One letter: `R`, `S`, `D`, `Z` (a zombie: exited, not yet reaped), `X` (dying)… */
  state: string;
  /** The parent's pid. */
  ppid: number;
  /** Start time in clock ticks since boot: tells a pid from a reused one. */
  start: string;
}

/**
 * The process's stat fields, or undefined if it is gone (or there is no /proc). The fields are read
 * after the last `)`, as the command name may hold any byte.
 */
export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] as string, ppid: Number(fields[1]), start: fields[19] as string };
  } catch {
    return undefined;
  }
}

/** The process's command line, one element per argument; empty when it cannot be read. */
export function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** The process's children, from every one of its threads' `children` lists. */
export function childrenOf(pid: number): number[] {
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
