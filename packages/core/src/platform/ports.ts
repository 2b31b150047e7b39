import { readFileSync } from 'node:fs';
import { readOsEphemeralRange } from './ephemeral-sources.js';
import { platformFacts } from './facts.js';

/**
 * Ports browsers refuse to connect to: Chromium's restricted list plus the Fetch standard's 4190 and
 * 6679 (so Firefox, WebKit and Node's fetch too). A server on one of them is unreachable from a
 * browser test, so portlease never hands them out.
 */
export const UNSAFE_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Lowest port of the default range: above the crowd of well-known dev ports (3000, 5432, 8080, …). */
const DEFAULT_MIN_PORT = 10000;

/** The range the OS takes ports from for `bind(0)` and outgoing connections, and where that came from. */
export interface EphemeralRange {
  min: number;
  max: number;
  source: string;
}

const LINUX_RANGE_FILE = '/proc/sys/net/ipv4/ip_local_port_range';
const LINUX_RESERVED_FILE = '/proc/sys/net/ipv4/ip_local_reserved_ports';

let ephemeralCache: EphemeralRange | undefined;
let reservedCache: ReadonlySet<number> | undefined;

/**
 * The OS ephemeral range: Linux's `ip_local_port_range`, macOS's and FreeBSD's
 * `sysctl net.inet.ip.portrange.first/last`, Windows' `netsh int ipv4 show dynamicport tcp`; else,
 * or when that cannot be read (a missing or hanging command, output it cannot parse), the IANA
 * 49152–65535 default, with `source` saying why. Read once per process (it is a host setting that
 * changes about never; reading it per lease cost more than a rename, and the commands take
 * milliseconds).
 *
 * @example
 * ```ts
 * ephemeralRange(); //=> { min: 32768, max: 60999, source: '/proc/sys/net/ipv4/ip_local_port_range' }
 * ```
 */
export function ephemeralRange(): EphemeralRange {
  ephemeralCache ??= readEphemeralRange();
  return ephemeralCache;
}

const IANA_DEFAULT = 'IANA default (49152-65535)';

function readEphemeralRange(): EphemeralRange {
  const platform = platformFacts();
  if (platform.os === 'linux') {
    try {
      const [min, max] = readFileSync(LINUX_RANGE_FILE, 'utf8').trim().split(/\s+/).map(Number);
      if (min && max && min <= max) return { min, max, source: LINUX_RANGE_FILE };
    } catch {
      // /proc not mounted: fall through to the IANA default.
    }
    return { min: 49152, max: 65535, source: `${IANA_DEFAULT}: ${LINUX_RANGE_FILE} is unreadable` };
  }
  const reading = readOsEphemeralRange(platform);
  if (reading === undefined) return { min: 49152, max: 65535, source: IANA_DEFAULT };
  if ('failed' in reading) return { min: 49152, max: 65535, source: `${IANA_DEFAULT}: ${reading.failed}` };
  return reading;
}

/**
 * Ports Linux reserves for specific programs (`ip_local_reserved_ports`, e.g. "8080,9000-9010"). Read
 * once per process, like {@link ephemeralRange}.
 */
export function reservedPorts(): ReadonlySet<number> {
  reservedCache ??= readReservedPorts();
  return reservedCache;
}

function readReservedPorts(): Set<number> {
  const ports = new Set<number>();
  if (platformFacts().os !== 'linux') return ports;
  let text = '';
  try {
    text = readFileSync(LINUX_RESERVED_FILE, 'utf8').trim();
  } catch {
    return ports;
  }
  for (const part of text.split(',')) {
    const [from, to = from] = part.split('-').map(Number);
    if (!from || !to || to - from > 65535) continue;
    for (let port = from; port <= to; port++) ports.add(port);
  }
  return ports;
}

/**
 * The default range: from 10000 up to just below the ephemeral range, so a port we hand out cannot be
 * taken by the kernel for an outgoing connection before the server binds it. Where that leaves fewer
 * than 1000 ports, the space above the ephemeral range is used instead.
 */
export function defaultRange(ephemeral: EphemeralRange = ephemeralRange()): [number, number] {
  const below: [number, number] = [DEFAULT_MIN_PORT, ephemeral.min - 1];
  if (below[1] - below[0] >= 1000) return below;
  const low: [number, number] = [1024, ephemeral.min - 1];
  if (low[1] - low[0] >= 1000) return low;
  return [ephemeral.max + 1, 65535];
}
