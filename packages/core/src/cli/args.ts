import { PortleaseError } from '../errors.js';
import { type LeaseOptions, parseRange } from '../options.js';

/** A parsed command line: flags (repeatable ones as arrays) and what follows them. */
export interface Parsed {
  flags: Map<string, string[]>;
  rest: string[];
}

/** Flags that take a value; every other flag is a boolean. */
const VALUED = new Set(['count', 'name', 'range', 'lock-dir', 'owner', 'exclude', 'hold-pid']);

export function usageError(message: string): PortleaseError {
  return new PortleaseError('INVALID_OPTIONS', `${message} (see \`portlease help\`)`);
}

/**
 * Parses `--flag value`, `--flag=value` and booleans up to `--` or the first non-flag word; the rest
 * is the command for `portlease run`. Unknown flags are errors.
 */
export function parseFlags(args: string[], allowed: readonly string[]): Parsed {
  const flags = new Map<string, string[]>();
  let i = 0;
  for (; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      i++;
      break;
    }
    if (!arg.startsWith('--')) break;
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    if (!allowed.includes(name)) throw usageError(`unknown option --${name}`);
    let value = 'true';
    if (VALUED.has(name)) {
      if (eq !== -1) value = arg.slice(eq + 1);
      else {
        const next = args[++i];
        if (next === undefined) throw usageError(`--${name} needs a value`);
        value = next;
      }
    } else if (eq !== -1) throw usageError(`--${name} takes no value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { flags, rest: args.slice(i) };
}

export const last = (parsed: Parsed, name: string): string | undefined => parsed.flags.get(name)?.at(-1);
export const has = (parsed: Parsed, name: string): boolean => parsed.flags.has(name);

/** Flags shared by the commands that lease. */
export const LEASE_FLAGS = ['count', 'name', 'range', 'lock-dir', 'owner', 'exclude'] as const;

export function leaseOptions(parsed: Parsed, defaultOwner: string): LeaseOptions {
  const options: LeaseOptions = { owner: last(parsed, 'owner') ?? defaultOwner };
  const range = last(parsed, 'range');
  if (range !== undefined) options.range = parseRange(range, '--range');
  const lockDir = last(parsed, 'lock-dir');
  if (lockDir !== undefined) options.lockDir = lockDir;
  const exclude = parsed.flags.get('exclude');
  if (exclude) options.exclude = exclude.flatMap((list) => list.split(',')).map(Number);
  return options;
}

/** The port names asked for (`--name api --name web`), or `count` unnamed ports. */
export function portNames(parsed: Parsed): { count: number; names: string[] } {
  const names = parsed.flags.get('name') ?? [];
  for (const name of names) {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
      throw usageError(
        `--name ${JSON.stringify(name)} must start with a letter and hold letters, digits, - or _`,
      );
    }
  }
  const countText = last(parsed, 'count');
  const count = countText === undefined ? Math.max(names.length, 1) : Number(countText);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw usageError('--count must be 1 to 1000');
  if (names.length && count !== names.length)
    throw usageError('give either --count or --name, or matching numbers');
  return { count, names };
}

/** `api` → `PORT_API`; `web-ui` → `PORT_WEB_UI`. */
export function envName(name: string): string {
  return `PORT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
