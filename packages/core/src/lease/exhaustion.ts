import { PortleaseError } from '../errors.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { readRecord } from '../store/record.js';

/** How the messages name the range's option; the CLI says `--range` instead (cli/lease.ts). */
export const RANGE_OPTION = 'the range option';

/** What holds a port: a live owner's record, or an entry portlease cannot judge or remove. */
export type Holder = { record: string } | { note: string };

/** What a call met on its way, for the message when it finds nothing. */
export interface Encounters {
  /** Ports held by live leases (the record's path) or blocked by entries we cannot judge (a note). */
  held: Map<number, Holder>;
  /** Ports some other program listens on, and where. */
  busy: Map<number, string>;
}

/** How many ports of the range may be handed out at all (not excluded). */
export function usablePorts(options: ResolvedOptions): number {
  let excluded = 0;
  for (const port of options.excluded) if (port >= options.min && port <= options.max) excluded++;
  return options.max - options.min + 1 - excluded;
}

/** Refuses, before any work, a call no lock directory state could satisfy. */
export function impossibleCount(options: ResolvedOptions, count: number, usable: number): PortleaseError {
  const { min, max } = options;
  const size = max - min + 1;
  const why =
    usable === 0
      ? `No free port in ${min}-${max}: every port is excluded (browser-unsafe, reserved or in exclude).`
      : `${count} ports were asked of range ${min}-${max}, which holds ${usable === size ? size : `${size}, ${usable} of them not excluded`}: no lease can satisfy that.`;
  return new PortleaseError(
    'RANGE_EXHAUSTED',
    `${why} Widen the range (${RANGE_OPTION} or PORTLEASE_RANGE) or ask for fewer ports.`,
    { details: { range: [min, max], asked: count, usable } },
  );
}

function describeHolder(port: number, holder: Holder): string {
  if ('note' in holder) return `${port} (${holder.note})`;
  const record = readRecord(holder.record);
  if (typeof record === 'string') return `${port} (record ${record})`;
  return `${port} ${JSON.stringify(record.owner)} (pid ${record.pid})`;
}

function met(seen: Encounters): { parts: string[]; holders: string[]; unjudged: string[]; busy: string[] } {
  const holders: string[] = [];
  const unjudged: string[] = [];
  for (const [port, holder] of seen.held) {
    ('note' in holder ? unjudged : holders).push(describeHolder(port, holder));
  }
  const busy = [...seen.busy].map(([port, host]) => `${port} on ${host}`);
  const parts: string[] = [];
  const some = (list: string[]) => `${list.slice(0, 8).join(', ')}${list.length > 8 ? ', …' : ''}`;
  if (holders.length) parts.push(`${holders.length} held by live leases: ${some(holders)}`);
  // Unreadable or foreign entries are not leases: they block the port, but nobody is known to hold it.
  if (unjudged.length)
    parts.push(
      `${unjudged.length} blocked by entries portlease cannot read or does not recognise (left alone; look in the lock directory): ${some(unjudged)}`,
    );
  if (busy.length) parts.push(`${busy.length} in use by other programs: ${some(busy)}`);
  return { parts, holders, unjudged, busy };
}

const FIX = `Widen the range (${RANGE_OPTION} or PORTLEASE_RANGE), release leases you no longer need, or see who holds what with \`npx portlease list\``;

/** No free port was left for lease `taken + 1` of `wanted`. */
export function exhausted(
  options: ResolvedOptions,
  seen: Encounters,
  taken: number,
  wanted: number,
): PortleaseError {
  const { min, max, lockDir } = options;
  const { parts, holders, unjudged, busy } = met(seen);
  // This call's own leases are never drawn again, so they are never listed as holders; say they exist.
  if (taken > 0)
    parts.push(`this call had leased ${taken} of the ${wanted} ports it asked for (released again)`);
  const why = parts.length ? parts.join('; ') : 'every port is excluded';
  return new PortleaseError(
    'RANGE_EXHAUSTED',
    `No free port in ${min}-${max}: ${why}. ${FIX} (lock directory ${lockDir}).`,
    { details: { range: [min, max], held: holders, unjudged, busy, lockDir } },
  );
}

/** No run of `asked` consecutive free ports was found; the longest had `longestRun`. */
export function noFreeRun(
  options: ResolvedOptions,
  seen: Encounters,
  asked: number,
  longestRun: number,
): PortleaseError {
  const { min, max, lockDir } = options;
  const { parts, holders, unjudged, busy } = met(seen);
  const why = parts.length ? `; the others: ${parts.join('; ')}` : '';
  return new PortleaseError(
    'RANGE_EXHAUSTED',
    `No ${asked} consecutive free ports in ${min}-${max}: the longest free run found was ${longestRun} port${longestRun === 1 ? '' : 's'}${why}. Ask for a shorter block, or ${FIX.charAt(0).toLowerCase()}${FIX.slice(1)} (lock directory ${lockDir}).`,
    { details: { range: [min, max], asked, longestRun, held: holders, unjudged, busy, lockDir } },
  );
}
