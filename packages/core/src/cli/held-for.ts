import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startTime } from './procs.js';

/** What `portlease get` writes as its holder's owner label: `portlease get (held for pid 5347)`. */
const HELD_FOR = /\(held for pid (\d+)\)$/;

/** Linux's clock tick (`getconf CLK_TCK`): 100 on every architecture Node runs on. */
const CLK_TCK = 100;

function minutesOld(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s old`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min old`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)} h old`;
  return `${Math.round(seconds / 86400)} days old`;
}

/** `bash, 74 min old` for a running pid, `not running` for a gone one, undefined where unknown. */
export function describeProcess(pid: number): string | undefined {
  if (process.platform === 'linux') {
    const ticks = Number(startTime(pid));
    if (!Number.isFinite(ticks)) return 'not running';
    try {
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
      return `${name}, ${minutesOld(uptime - ticks / CLK_TCK)}`;
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  // macOS and the BSDs: ps prints the command name and the elapsed time ([[dd-]hh:]mm:ss).
  const ps = spawnSync('ps', ['-o', 'comm=,etime=', '-p', String(pid)], { encoding: 'utf8' });
  if (ps.error) return undefined;
  const line = ps.stdout.trim();
  if (ps.status !== 0 || !line) return 'not running';
  const [elapsed = '', ...name] = line.split(/\s+/).reverse();
  const parts = elapsed.split(/[-:]/).map(Number).reverse();
  const seconds = (parts[0] ?? 0) + (parts[1] ?? 0) * 60 + (parts[2] ?? 0) * 3600 + (parts[3] ?? 0) * 86400;
  return `${name.reverse().join(' ').split('/').pop()}, ${minutesOld(seconds)}`;
}

/**
 * A `portlease get` holder's label with what it waits on, so a forgotten holder (a long-lived shell
 * that ran `get` an hour ago) can be found: `portlease get (held for pid 5347: bash, 74 min old)`.
 * Any other label is returned as it is.
 */
export function withHeldFor(label: string): string {
  const match = HELD_FOR.exec(label);
  if (!match) return label;
  const what = describeProcess(Number(match[1]));
  return what === undefined ? label : `${label.slice(0, -1)}: ${what})`;
}
