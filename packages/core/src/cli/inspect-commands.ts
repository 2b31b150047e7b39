import { collectGarbage, listLeases } from '../lease/inspect.js';
import { has, lockDirOption, type Parsed, parseCommand } from './args.js';
import { withHeldFor } from './held-for.js';
import { GC_HELP, LIST_HELP } from './help.js';
import { printable } from './printable.js';

const OPTIONS = { 'lock-dir': { type: 'string' }, json: { type: 'boolean' } } as const;

function parse(args: string[], help: string): { parsed: Parsed; options: { lockDir?: string } } | undefined {
  const parsed = parseCommand(args, OPTIONS);
  if (parsed.help) {
    process.stdout.write(help);
    return undefined;
  }
  return { parsed, options: lockDirOption(parsed) };
}

function age(from: Date | undefined): string {
  if (!from) return '?';
  const seconds = Math.max(0, Math.round((Date.now() - from.getTime()) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

/** `portlease list [--json]`: every lease with port, status, age, pid, name, sticky key and owner label. */
export async function list(args: string[]): Promise<number> {
  const command = parse(args, LIST_HELP);
  if (!command) return 0;
  const { parsed, options } = command;
  const leases = await listLeases(options);
  if (has(parsed, 'json')) {
    process.stdout.write(`${JSON.stringify(leases, null, 2)}\n`);
    return 0;
  }
  if (leases.length === 0) {
    process.stdout.write('no leases\n');
    return 0;
  }
  // Labels and keys are written by whoever leased: escaped, so they cannot forge rows or drive the
  // terminal. The STICKY column (a lease's sticky name, `-` for none) shows only when one has a key.
  // The NAME column (the name `portlease port NAME` finds it by) shows only when one has a name.
  const sticky = leases.some((l) => l.sticky !== undefined);
  const named = leases.some((l) => l.name !== undefined);
  const rows = leases.map((l) => [
    String(l.port),
    l.status,
    age(l.createdAt),
    l.pid === undefined ? '?' : String(l.pid),
    ...(named ? [l.name === undefined ? '-' : printable(l.name)] : []),
    ...(sticky ? [l.sticky === undefined ? '-' : printable(l.sticky)] : []),
    l.owner === undefined ? `(record ${l.problem})` : printable(withHeldFor(l.owner)),
  ]);
  const header = [
    'PORT',
    'STATUS',
    'AGE',
    'PID',
    ...(named ? ['NAME'] : []),
    ...(sticky ? ['STICKY'] : []),
    'OWNER',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ');
  process.stdout.write(`${[header, ...rows].map(line).join('\n')}\n`);
  const stale = leases.filter((l) => l.status === 'stale').length;
  if (stale)
    process.stdout.write(`${stale} stale (owner dead): reclaimed on demand, or now by \`portlease gc\`\n`);
  return 0;
}

/** `portlease gc [--json]`: removes what dead owners left. */
export async function gc(args: string[]): Promise<number> {
  const command = parse(args, GC_HELP);
  if (!command) return 0;
  const { parsed, options } = command;
  const result = await collectGarbage(options);
  if (has(parsed, 'json')) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stdout.write(
      `removed ${result.stale} stale record(s), ${result.staged} staged leftover(s), ${result.empty} empty port dir(s), ${result.memos} sticky memo(s) unused for 30 days\n`,
    );
    for (const path of result.unknown)
      process.stdout.write(`left alone (not written by portlease): ${printable(path)}\n`);
  }
  return 0;
}
