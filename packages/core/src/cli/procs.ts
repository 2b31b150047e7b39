import { commandLine as commandOf, procStat } from '../platform/procfs.js';

/** The process's start time in clock ticks since boot (Linux), to tell a pid from a reused one. */
export function startTime(pid: number): string | undefined {
  return procStat(pid)?.start;
}

export function parentOf(pid: number): number | undefined {
  const ppid = procStat(pid)?.ppid;
  return ppid !== undefined && ppid > 0 ? ppid : undefined;
}

const PACKAGE_MANAGER = /(^|[\\/])(npm|npx|pnpm|pnpx|yarn|bun|bunx)(-cli)?(\.c?js)?$/;

/**
 * npm, npx, pnpm, yarn or bun. npm sets its process title (`npm exec portlease get`, `npm run e2e`),
 * which replaces its whole command line with one space-separated string, so the first word of each of
 * the first arguments is what is matched (`node …/npx-cli.js`, `pnpm`, `npm exec …`).
 */
function isPackageManager(pid: number): boolean {
  return commandOf(pid)
    .slice(0, 3)
    .some((arg) => PACKAGE_MANAGER.test(arg.split(' ')[0] as string));
}

const SHELL = /(^|\/)(sh|bash|dash|zsh|ksh|mksh|ash)$/;

/**
 * `sh -c "<one simple command>"`, as npm, npx and `child_process.exec` run a command: the shell only
 * waits for that command and exits with it. A script with shell syntax beyond words and quotes
 * (`eval "$(portlease get)" && playwright test`) is the user's script: its shell lives while it runs.
 */
function isShellWrapper(pid: number): boolean {
  const [shell, flag, script, ...more] = commandOf(pid);
  return (
    !!shell &&
    SHELL.test(shell) &&
    flag === '-c' &&
    script !== undefined &&
    !/[;&|<>$`(){}\n]/.test(script) &&
    more.length <= 1
  );
}

/**
 * A forked copy of its parent shell (`$(…)`, `( … )`): same program, same command line. It exits as
 * soon as the command substitution is done, so it is not the process a user means.
 */
function isSubshell(pid: number, parent: number): boolean {
  const own = commandOf(pid);
  const [program] = own;
  return program !== undefined && SHELL.test(program) && own.join('\0') === commandOf(parent).join('\0');
}

/**
 * The process `portlease get` holds ports for by default: the shell (or CI step, or program) that
 * ran it. Wrappers between it and us exit as soon as we do, so they are skipped on Linux, where their
 * command lines can be read: npm/npx/pnpm/yarn/bun, the `sh -c "<command>"` they run a command in, and
 * `$(…)` subshells. Returns the wrappers too, so `get` can refuse an explicit `--hold-pid` of one.
 */
export function callingShell(): { pid: number; wrappers: number[] } {
  let pid = process.ppid;
  const wrappers: number[] = [];
  for (let depth = 0; depth < 8; depth++) {
    const parent = parentOf(pid);
    if (parent === undefined || parent === 1) break;
    if (isPackageManager(pid) || isShellWrapper(pid) || isSubshell(pid, parent)) {
      wrappers.push(pid);
      pid = parent;
    } else break;
  }
  return { pid, wrappers };
}

/** The process's ancestors, nearest first (Linux; empty elsewhere). */
export function ancestors(pid = process.pid): number[] {
  const found: number[] = [];
  for (let current = parentOf(pid); current !== undefined && found.length < 64; current = parentOf(current)) {
    found.push(current);
  }
  return found;
}

/**
 * Whether `pid` is alive and (where known) still the process that had `start` as its start time. A
 * zombie (exited, not yet reaped by its parent) is dead: `kill(pid, 0)` succeeds on it, so its state
 * is read from /proc/<pid>/stat (`Z`; `X` is a dying process).
 */
export function isSameProcessAlive(pid: number, start: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const info = procStat(pid);
  if (info && (info.state === 'Z' || info.state === 'X')) return false;
  return start === undefined || startTime(pid) === start;
}
