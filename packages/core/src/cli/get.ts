import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { leasePorts } from '../allocator.js';
import { PortleaseError } from '../errors.js';
import { envName, has, LEASE_FLAGS, last, leaseOptions, parseFlags, portNames, usageError } from './args.js';
import { callingShell, isSameProcessAlive, startTime } from './procs.js';

interface HoldResult {
  ports?: number[];
  holder?: number;
  error?: { code: string; message: string };
}

/**
 * `portlease get [--count N | --name api …] [--json] [--hold-pid PID]`: prints ports held for a
 * process (default: the calling shell) until it exits. A small detached holder process keeps the
 * leases; it releases them within a second of that process's exit.
 */
export async function get(args: string[]): Promise<number> {
  const parsed = parseFlags(args, [...LEASE_FLAGS, 'json', 'hold-pid']);
  if (parsed.rest.length) throw usageError(`portlease get takes no command (got ${parsed.rest.join(' ')})`);
  const { names } = portNames(parsed);
  const holdText = last(parsed, 'hold-pid');
  const holdPid = holdText === undefined ? callingShell() : Number(holdText);
  if (!Number.isInteger(holdPid) || holdPid < 1) throw usageError('--hold-pid must be a process id');
  if (!isSameProcessAlive(holdPid, undefined)) throw usageError(`--hold-pid ${holdPid}: no such process`);

  const holder = spawn(
    process.execPath,
    [fileURLToPath(import.meta.url), '__hold', String(holdPid), startTime(holdPid) ?? '', ...args],
    { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const result = await new Promise<HoldResult>((resolve) => {
    let text = '';
    holder.stdout.setEncoding('utf8');
    holder.stdout.on('data', (chunk: string) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline !== -1) resolve(JSON.parse(text.slice(0, newline)) as HoldResult);
    });
    holder.once('exit', (code) =>
      resolve({ error: { code: 'HOLDER_FAILED', message: `holder exited (${code})` } }),
    );
  });
  holder.stdout.destroy();
  holder.unref();
  if (result.error || !result.ports) {
    throw new PortleaseError(
      (result.error?.code ?? 'INVALID_OPTIONS') as PortleaseError['code'],
      result.error?.message ?? 'no ports',
    );
  }
  const ports = result.ports;
  if (has(parsed, 'json')) {
    const named = Object.fromEntries(names.map((name, i) => [name, ports[i]]));
    process.stdout.write(
      `${JSON.stringify({ ports, ...(names.length ? { names: named } : {}), holdPid, holderPid: result.holder })}\n`,
    );
  } else if (names.length) {
    process.stdout.write(names.map((name, i) => `${envName(name)}=${ports[i]}\n`).join(''));
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
    const parsed = parseFlags(rest, [...LEASE_FLAGS, 'json', 'hold-pid']);
    const { count } = portNames(parsed);
    const leases = await leasePorts(count, leaseOptions(parsed, `portlease get (held for pid ${holdPid})`));
    write({ ports: leases.map((lease) => lease.port), holder: process.pid });
  } catch (error) {
    const e = error as PortleaseError;
    write({ error: { code: e.code ?? 'INVALID_OPTIONS', message: e.message } });
    return 1;
  }
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (!isSameProcessAlive(holdPid, start || undefined)) {
        clearInterval(timer);
        resolve();
      }
    }, 500);
  });
  return 0; // Leases are released by the exit hook.
}
