import { runCommand } from './command.js';
import { type Platform, platformFacts } from './facts.js';

/** Ports the OS refuses to let anyone bind, and where that list came from (for `doctor`). */
export interface OsExcludedPorts {
  ports: ReadonlySet<number>;
  /** The inclusive ranges as read, e.g. `[[50000, 50059]]`. */
  ranges: readonly (readonly [number, number])[];
  source: string;
}

/**
 * Parses `netsh int ipv4 show excludedportrange protocol=tcp` (or `ipv6`) output: one
 * "start end" pair per line, an administered exclusion marked with a trailing `*`. Headers are
 * translated on localized Windows and are skipped as non-matching lines. `undefined` when no line
 * matches and the text does not look like a (possibly empty) netsh table either: a dashed rule line
 * (`----------`) marks the table.
 *
 * @example
 * ```ts
 * parseExcludedPortRanges('Start Port    End Port\n----------    --------\n     50000       50059\n');
 * //=> [[50000, 50059]]
 * ```
 */
export function parseExcludedPortRanges(text: string): [number, number][] | undefined {
  const ranges: [number, number][] = [];
  let table = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*-{4,}\s+-{4,}\s*$/.test(line)) table = true;
    const match = /^\s*(\d{1,5})\s+(\d{1,5})\s*\*?\s*$/.exec(line);
    if (!match) continue;
    const start = Number(match[1]);
    const end = Number(match[2]);
    if (start < 1 || end > 65535 || start > end) return undefined;
    ranges.push([start, end]);
  }
  return table ? ranges : undefined;
}

const QUERIES: readonly string[][] = [
  ['int', 'ipv4', 'show', 'excludedportrange', 'protocol=tcp'],
  ['int', 'ipv6', 'show', 'excludedportrange', 'protocol=tcp'],
];

/** Reads Windows' excluded TCP port ranges (IPv4 and IPv6); nothing elsewhere. */
export function readOsExcludedPorts(platform: Platform): OsExcludedPorts {
  if (platform.os !== 'win32') return { ports: new Set(), ranges: [], source: `none on ${platform.os}` };
  const ranges: [number, number][] = [];
  const failures: string[] = [];
  const used: string[] = [];
  for (const args of QUERIES) {
    const shown = ['netsh', ...args].join(' ');
    const result = runCommand('netsh', args);
    const parsed = result.ok ? parseExcludedPortRanges(result.stdout) : undefined;
    if (parsed) {
      ranges.push(...parsed);
      used.push(`\`${shown}\``);
    } else {
      failures.push(result.ok ? `\`${shown}\` printed something portlease cannot parse` : result.reason);
    }
  }
  const ports = new Set<number>();
  for (const [start, end] of ranges) for (let port = start; port <= end; port++) ports.add(port);
  const source = [
    ...used,
    ...failures.map((why) => `${why}; such ports are still skipped when listening fails with EACCES`),
  ].join('; ');
  return { ports, ranges, source };
}

let cached: OsExcludedPorts | undefined;

/**
 * This process's OS-excluded ports (Windows' Hyper-V/WinNAT/WSL ranges), read once per process: a
 * listen there fails with `EACCES` though nothing listens, and netstat shows nothing. The ranges move
 * after reboots and updates, so they are read at run time, never hard-coded.
 */
export function osExcludedPorts(): OsExcludedPorts {
  cached ??= readOsExcludedPorts(platformFacts());
  return cached;
}
