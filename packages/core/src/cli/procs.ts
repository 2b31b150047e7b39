import { readFileSync } from 'node:fs';

/** Fields of /proc/<pid>/stat (Linux), parsed after the last `)` as the command name may hold any byte. */
function statFields(pid: number): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process's start time in clock ticks since boot (Linux), to tell a pid from a reused one. */
export function startTime(pid: number): string | undefined {
  return statFields(pid)?.[19];
}

function parentOf(pid: number): number | undefined {
  const ppid = Number(statFields(pid)?.[1]);
  return ppid > 0 ? ppid : undefined;
}

function commandOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

const PACKAGE_MANAGER = /(^|[\\/])(npm|npx|pnpm|pnpx|yarn|bun|bunx)(-cli)?(\.c?js)?$/;

function isPackageManager(pid: number): boolean {
  return commandOf(pid)
    .slice(0, 3)
    .some((arg) => PACKAGE_MANAGER.test(arg));
}

function isShellWrapper(pid: number): boolean {
  const [shell, flag] = commandOf(pid);
  return !!shell && /(^|\/)(sh|bash|dash|zsh)$/.test(shell) && flag === '-c';
}

/**
 * The process `portlease get` should hold ports for by default: the calling shell. Package-manager
 * wrappers between it and us (`npx portlease get` runs under npm and a `sh -c`) exit at once, so they
 * are skipped on Linux, where their command lines can be read.
 */
export function callingShell(): number {
  let pid = process.ppid;
  for (let depth = 0; depth < 6; depth++) {
    const parent = parentOf(pid);
    if (parent === undefined) break;
    if (isPackageManager(pid) || (isShellWrapper(pid) && isPackageManager(parent))) pid = parent;
    else break;
  }
  return pid;
}

/** Whether `pid` is alive and (where known) still the process that had `start` as its start time. */
export function isSameProcessAlive(pid: number, start: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return start === undefined || startTime(pid) === start;
}
