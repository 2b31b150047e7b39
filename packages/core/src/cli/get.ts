import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fdExhaustion, PortleaseError } from '../errors.js';
import { invalidOption } from '../options/errors.js';
import { decimal, has, LEASE_OPTIONS, leaseOptions, type Parsed, parseCommand, text } from './args.js';
import { GET_HELP } from './help.js';
import { leaseForCli } from './lease.js';
import { envName, portPlan } from './port-plan.js';
import { ancestors, callingShell, isSameProcessAlive, startTime } from './procs.js';

const GET_OPTIONS = { ...LEASE_OPTIONS, json: { type: 'boolean' }, 'hold-pid': { type: 'string' } } as const;

/** How long a `--hold-pid` process that is not our ancestor must stay alive before ports are printed. */
const SETTLE_MS = 1000;

/** What the holder reports on its stdout: one JSON line. */
interface HoldResult {
  ports?: number[];
  holder?: number;
  error?: { code: PortleaseError['code']; message: string; details?: Record<string, unknown> };
}

/**
 * The `get --json` contract (version 1), one line on stdout. Success:
 * `{"v":1,"ports":[20001],"names":{"api":20001},"sticky":["api"],"holdPid":123,"holderPid":456}`
 * (exit 0; `sticky`: the names given with `--sticky`, `[]` without); failure:
 * `{"v":1,"error":{"code":"RANGE_EXHAUSTED","message":"[RANGE_EXHAUSTED] …"}}` (exit 2 for
 * INVALID_OPTIONS, else 1). Fields are only ever added; a change of meaning bumps `v`.
 */
export const JSON_VERSION = 1;

function holdPidFor(parsed: Parsed): number {
  const given = text(parsed, 'hold-pid');
  const shell = callingShell();
  const pid = given === undefined ? shell.pid : decimal(given, '--hold-pid', 'a process id');
  if (pid === process.pid || shell.wrappers.includes(pid)) {
    throw invalidOption(
      '--hold-pid',
      `${pid} is ${pid === process.pid ? 'this portlease process itself ($BASHPID inside $(…))' : 'a wrapper (npm, npx, pnpm, sh -c or a $(…) subshell) that exits as soon as portlease get does'}: the ports would be released at once. Leave --hold-pid out to hold for the calling shell, or pass $$ or the pid of the process that uses the ports.`,
    );
  }
  if (!isSameProcessAlive(pid, undefined)) {
    throw invalidOption('--hold-pid', `${pid}: no such process (or it has exited); nothing was leased.`);
  }
  return pid;
}

const AGAIN = 'Nothing is held. Run it again; if it repeats, run `portlease doctor`.';

function holderFailed(message: string, details: Record<string, unknown>): HoldResult {
  return { error: { code: 'HOLDER_FAILED', message: `portlease get: ${message} ${AGAIN}`, details } };
}

function holderDied(holderPid: number | undefined, code: number | null, signal: string | null): HoldResult {
  // SIGABRT at start-up is what Node does when it cannot create its threads.
  const why =
    signal === 'SIGABRT'
      ? ' (Node aborts so when it cannot start its threads: is a process limit such as `ulimit -u` or a container pids limit reached?)'
      : '';
  return holderFailed(
    `its holder process (pid ${holderPid ?? '?'}) ended (${signal ? `killed by ${signal}` : `exit code ${code}`}) before it reported any lease${why}.`,
    { holderPid, exitCode: code, signal },
  );
}

function spawnFailed(error: NodeJS.ErrnoException): HoldResult {
  const why =
    error.code === 'EAGAIN'
      ? 'the process limit is reached (`ulimit -u`, or a container pids limit)'
      : error.code === 'ENOENT'
        ? `${process.execPath} or /dev/null is missing (is /dev replaced or empty?)`
        : error.message;
  return holderFailed(`could not start its holder process (${error.code ?? 'error'}: ${why}).`, {
    errno: error.code,
  });
}

/** How long `get` waits for the holder's report before it kills the holder (PORTLEASE_HOLDER_TIMEOUT_MS). */
export const HOLDER_REPORT_MS = 30_000;

function reportDeadline(): number {
  const given = process.env.PORTLEASE_HOLDER_TIMEOUT_MS;
  if (given === undefined || given === '') return HOLDER_REPORT_MS;
  const ms = Number(given);
  if (!Number.isInteger(ms) || ms < 1) {
    throw invalidOption(
      'PORTLEASE_HOLDER_TIMEOUT_MS',
      `must be a whole number of milliseconds, got ${JSON.stringify(given)}.`,
    );
  }
  return ms;
}

/** Kills the holder and everything it started (it leads its own process group). */
function killHolder(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Gone already.
    }
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Starts the detached holder and waits for its one-line report, at most `deadline` ms: a holder that
 * has not reported by then (stuck at start-up under a process limit) is killed, and so is one that
 * reported garbage, or whose `get` is interrupted while waiting.
 */
function startHolder(holdPid: number, args: string[]): Promise<{ result: HoldResult; stop(): void }> {
  const deadline = reportDeadline();
  const holder = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '__hold', String(holdPid), startTime(holdPid) ?? '', ...args],
    { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const stop = () => {
    holder.stdout?.destroy();
    holder.unref();
  };
  return new Promise((resolve) => {
    let out = '';
    let settled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      killHolder(holder.pid, 'SIGKILL');
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
    };
    const timer = setTimeout(() => {
      killHolder(holder.pid, 'SIGKILL');
      done(
        holderFailed(
          `its holder process (pid ${holder.pid ?? '?'}) did not report within ${deadline} ms and was killed (a process limit such as \`ulimit -u\` or a container pids limit can stall Node at start-up; a slow machine can take longer: raise PORTLEASE_HOLDER_TIMEOUT_MS).`,
          { holderPid: holder.pid, timeoutMs: deadline },
        ),
      );
    }, deadline);
    timer.unref();
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    const done = (result: HoldResult, kill = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      if (kill) killHolder(holder.pid, 'SIGKILL');
      stop();
      resolve({ result, stop: () => holder.kill('SIGTERM') });
    };
    holder.stdout?.setEncoding('utf8');
    holder.stdout?.on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline === -1) return;
      try {
        done(JSON.parse(out.slice(0, newline)) as HoldResult);
      } catch {
        done(
          holderFailed(
            `its holder process (pid ${holder.pid ?? '?'}) sent an unreadable report and was killed.`,
            {
              holderPid: holder.pid,
            },
          ),
          true,
        );
      }
    });
    holder.once('error', (error) => {
      const fd = fdExhaustion(error, 'start its holder process');
      done(fd ? { error: { code: fd.code, message: fd.message } } : spawnFailed(error), true);
    });
    holder.once('exit', (code, signal) => done(holderDied(holder.pid, code, signal)));
  });
}

/** Resolves false if `pid` dies within `ms`, else true. */
async function staysAlive(pid: number, start: string | undefined, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (!isSameProcessAlive(pid, start)) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return isSameProcessAlive(pid, start);
}

/**
 * `portlease get [--count N] [--name api …] [--sticky web …] [--contiguous] [--json] [--hold-pid PID]`:
 * prints ports held for a process (default: the calling shell) until it exits. A small detached
 * holder process keeps the leases; it releases them within a second of that process's exit. With
 * `--json`, failures are JSON on stdout too (see {@link JSON_VERSION}).
 */
export async function get(args: string[]): Promise<number> {
  const json = args.includes('--json');
  try {
    return await getPorts(args);
  } catch (error) {
    if (!json) throw error;
    const e =
      error instanceof PortleaseError
        ? error
        : new PortleaseError('INVALID_OPTIONS', `portlease get failed: ${(error as Error)?.message}`);
    process.stdout.write(
      `${JSON.stringify({ v: JSON_VERSION, error: { code: e.code, message: e.message } })}\n`,
    );
    return e.code === 'INVALID_OPTIONS' ? 2 : 1;
  }
}

async function getPorts(args: string[]): Promise<number> {
  const parsed = parseCommand(args, GET_OPTIONS);
  if (parsed.help) {
    process.stdout.write(GET_HELP);
    return 0;
  }
  const { names, sticky, count } = portPlan(parsed);
  leaseOptions(parsed, ''); // Bad lease options are reported here, before a holder starts.
  const holdPid = holdPidFor(parsed);
  const start = startTime(holdPid);
  const { result, stop } = await startHolder(holdPid, args);
  if (result.error || !result.ports) {
    throw new PortleaseError(
      result.error?.code ?? 'HOLDER_FAILED',
      result.error?.message ?? `portlease get: its holder reported no ports. ${AGAIN}`,
      { details: result.error?.details ?? {} },
    );
  }
  // An ancestor waits for us, so it outlives this command; any other process must live a moment,
  // or the ports printed would already be free again.
  const ancestor = ancestors().includes(holdPid);
  if (!(ancestor ? isSameProcessAlive(holdPid, start) : await staysAlive(holdPid, start, SETTLE_MS))) {
    stop();
    throw invalidOption(
      '--hold-pid',
      `${holdPid} exited ${ancestor ? 'at once' : `within ${SETTLE_MS} ms`}, so its ports were released again: nothing is held. Pass the pid of the process that uses the ports for as long as it runs.`,
    );
  }
  const ports = result.ports;
  const named = Object.fromEntries(names.map((name, i) => [name, ports[i]]));
  if (has(parsed, 'json')) {
    const out = { v: JSON_VERSION, ports, names: named, sticky, holdPid, holderPid: result.holder };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else if (names.length) {
    const lines = names.map((name, i) => `${envName(name)}=${ports[i]}\n`);
    // A block named by its base port: the other ports are printed too, as `run` sets them.
    if (count > names.length) lines.push(`PORTLEASE_PORTS=${ports.join(',')}\n`);
    process.stdout.write(lines.join(''));
  } else {
    process.stdout.write(`${ports.join(' ')}\n`);
  }
  return 0;
}

/** The detached holder: leases, reports on stdout, then waits for the held-for process to go. */
export async function hold(args: string[]): Promise<number> {
  const [pidText = '', start = '', ...rest] = args;
  const holdPid = Number(pidText);
  const write = (result: HoldResult) => process.stdout.write(`${JSON.stringify(result)}\n`);
  try {
    const parsed = parseCommand(rest, GET_OPTIONS);
    const { count, options } = portPlan(parsed);
    const leases = await leaseForCli(count, {
      ...leaseOptions(parsed, `portlease get (held for pid ${holdPid})`),
      ...options,
    });
    write({ ports: leases.map((lease) => lease.port), holder: process.pid });
  } catch (error) {
    // Anything but a PortleaseError is the holder's own failure (a broken environment), not a cancel.
    const e = error instanceof PortleaseError ? error : undefined;
    write({
      error: {
        code: e?.code ?? 'HOLDER_FAILED',
        message:
          e?.message ??
          `[HOLDER_FAILED] portlease get: its holder process failed: ${String(error)}. ${AGAIN}`,
      },
    });
    return 1;
  }
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (isSameProcessAlive(holdPid, start || undefined)) return;
      clearInterval(timer);
      resolve();
    }, 250);
  });
  return 0; // Leases are released by the exit hook.
}
