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
  error?: { code: PortleaseError['code']; message: string };
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

function holderDied(holderPid: number | undefined, code: number | null, signal: string | null): HoldResult {
  return {
    error: {
      code: 'ABORTED',
      message: `portlease get: its holder process (pid ${holderPid ?? '?'}) ended (${signal ?? `exit code ${code}`}) before it reported any lease; nothing is held. Run it again; if it repeats, run \`portlease doctor\`.`,
    },
  };
}

/** Starts the detached holder and waits for its one-line report. */
function startHolder(holdPid: number, args: string[]): Promise<{ result: HoldResult; stop(): void }> {
  const holder = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '__hold', String(holdPid), startTime(holdPid) ?? '', ...args],
    { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const stop = () => {
    holder.stdout.destroy();
    holder.unref();
  };
  return new Promise((resolve) => {
    let out = '';
    const done = (result: HoldResult) => {
      stop();
      resolve({ result, stop: () => holder.kill('SIGTERM') });
    };
    holder.stdout.setEncoding('utf8');
    holder.stdout.on('data', (chunk: string) => {
      out += chunk;
      const newline = out.indexOf('\n');
      if (newline === -1) return;
      try {
        done(JSON.parse(out.slice(0, newline)) as HoldResult);
      } catch {
        done(holderDied(holder.pid, null, 'an unreadable report'));
      }
    });
    holder.once('error', (error) => {
      const fd = fdExhaustion(error, 'start its holder process');
      done({ error: { code: fd ? fd.code : 'ABORTED', message: fd ? fd.message : error.message } });
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
    throw new PortleaseError(result.error?.code ?? 'ABORTED', result.error?.message ?? 'no ports');
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
    const e = error instanceof PortleaseError ? error : undefined;
    write({ error: { code: e?.code ?? 'ABORTED', message: e?.message ?? String(error) } });
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
