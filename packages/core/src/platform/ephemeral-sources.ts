import { runCommand } from './command.js';
import type { Platform } from './facts.js';

/** A port range `[min, max]` read from the OS, or why it could not be (for `doctor`). */
export type RangeReading = { min: number; max: number; source: string } | { failed: string };

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/**
 * Parses the output of `sysctl -n net.inet.ip.portrange.first net.inet.ip.portrange.last` (macOS,
 * FreeBSD): one number per line, first then last. `undefined` when it is not exactly that.
 *
 * @example
 * ```ts
 * parseSysctlRange('49152\n65535\n'); //=> [49152, 65535]
 * ```
 */
export function parseSysctlRange(text: string): [number, number] | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (lines.length !== 2 || !lines.every((line) => /^\d{1,5}$/.test(line))) return undefined;
  const [min, max] = lines.map(Number) as [number, number];
  return isPort(min) && isPort(max) && min <= max ? [min, max] : undefined;
}

/**
 * Parses the output of `netsh int ipv4 show dynamicport tcp` (Windows): a "Start Port : 49152" line
 * and a "Number of Ports : 16384" line. Labels are translated on localized Windows, so only their
 * order is relied on: the first `label : number` line is the start, the second the count.
 *
 * @example
 * ```ts
 * parseNetshDynamicPort('Start Port      : 49152\nNumber of Ports : 16384\n'); //=> [49152, 65535]
 * ```
 */
export function parseNetshDynamicPort(text: string): [number, number] | undefined {
  const numbers: number[] = [];
  for (const line of text.split(/\r?\n/)) {
    const match = /^[^:]*\S[^:]*:\s*(\d{1,5})\s*$/.exec(line);
    if (match) numbers.push(Number(match[1]));
  }
  if (numbers.length !== 2) return undefined;
  const [start, count] = numbers as [number, number];
  const end = start + count - 1;
  return isPort(start) && count >= 1 && isPort(end) ? [start, end] : undefined;
}

const SYSCTL_ARGS = ['-n', 'net.inet.ip.portrange.first', 'net.inet.ip.portrange.last'];
const NETSH_ARGS = ['int', 'ipv4', 'show', 'dynamicport', 'tcp'];

function read(
  file: string,
  args: string[],
  parse: (text: string) => [number, number] | undefined,
): RangeReading {
  const shown = [file, ...args].join(' ');
  const result = runCommand(file, args);
  if (!result.ok) return { failed: result.reason };
  const range = parse(result.stdout);
  if (!range) return { failed: `\`${shown}\` printed something portlease cannot parse` };
  return { min: range[0], max: range[1], source: `\`${shown}\`` };
}

/**
 * The ephemeral range as the OS reports it outside Linux (Linux's is a /proc file, read by ports.ts):
 * `sysctl` on macOS and FreeBSD, `netsh` on Windows. `undefined` where there is no known query.
 */
export function readOsEphemeralRange(platform: Platform): RangeReading | undefined {
  if (platform.os === 'darwin' || platform.os === 'freebsd')
    return read('sysctl', SYSCTL_ARGS, parseSysctlRange);
  if (platform.os === 'win32') return read('netsh', NETSH_ARGS, parseNetshDynamicPort);
  return undefined;
}
