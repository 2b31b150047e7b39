import { type ParseArgsConfig, parseArgs } from 'node:util';
import { PortleaseError } from '../errors.js';
import { closest, invalidOption } from '../options/errors.js';
import type { LeaseOptions } from '../options/resolve.js';
import { parseRange } from '../options/schema.js';

type Options = NonNullable<ParseArgsConfig['options']>;

/** A parsed command line: the option values, and for `portlease run` the command after them. */
export interface Parsed {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** The options in the order given, as `[name, value]` (`value` undefined for a flag). */
  order: [string, string | undefined][];
  /** Words after the options (`portlease run`'s command); never parsed as options. */
  rest: string[];
  help: boolean;
}

/** Options every command takes. */
const COMMON: Options = { help: { type: 'boolean', short: 'h' } };

/** Options of the commands that lease (`run`, `get`). */
export const LEASE_OPTIONS: Options = {
  count: { type: 'string' },
  name: { type: 'string', multiple: true },
  sticky: { type: 'string', multiple: true },
  'sticky-scope': { type: 'string' },
  contiguous: { type: 'boolean' },
  range: { type: 'string' },
  'lock-dir': { type: 'string' },
  owner: { type: 'string' },
  exclude: { type: 'string', multiple: true },
};

export function usageError(message: string): PortleaseError {
  return new PortleaseError('INVALID_OPTIONS', `${message} (see \`portlease help\`)`);
}

/**
 * Where `portlease run`'s command starts: after `--`, or at the first word that is neither an option
 * nor an option's value. `parseArgs` cannot stop at the first positional (it has no such setting and
 * would parse the command's own `-e`, `--port` as ours), so this scan finds the split and parseArgs
 * gets only what comes before it.
 */
function commandStart(args: readonly string[], options: Options): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') return i;
    if (!arg.startsWith('-') || arg === '-') return i;
    const name = arg.startsWith('--') ? arg.slice(2).split('=')[0] : undefined;
    const takesValue =
      name !== undefined
        ? options[name]?.type === 'string' && !arg.includes('=')
        : Object.values(options).some((o) => o.type === 'string' && o.short === arg.slice(1));
    if (takesValue) i++;
  }
  return args.length;
}

/** parseArgs' errors (TypeError with ERR_PARSE_ARGS_*) as usage errors that suggest the near option. */
function parseError(error: unknown, options: Options): PortleaseError {
  const message = (error as Error).message;
  const unknown = /Unknown option '(-{1,2}[^']*)'/.exec(message)?.[1];
  if (unknown) {
    const near = closest(unknown.replace(/^-+/, ''), Object.keys(options));
    return usageError(`unknown option ${unknown}${near ? ` (did you mean --${near}?)` : ''}`);
  }
  const missing = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument missing/.exec(message)?.[1];
  if (missing) return usageError(`${missing} needs a value`);
  // `--sticky -- cmd`: parseArgs will not take an option-like word as the value.
  const ambiguous = /Option '(?:-\w, )?(--[^ ']+)[^']*' argument is ambiguous/.exec(message)?.[1];
  if (ambiguous) {
    return usageError(`${ambiguous} needs a value (one that starts with - is written ${ambiguous}=-value)`);
  }
  const noValue = /Option '(--[^']+)' does not take an argument/.exec(message)?.[1];
  if (noValue) return usageError(`${noValue} takes no value`);
  const positional = /Unexpected argument '([^']*)'/.exec(message)?.[1];
  if (positional !== undefined) return usageError(`unexpected argument ${JSON.stringify(positional)}`);
  return usageError(message.replace(/\. To specify a positional.*$/s, ''));
}

/**
 * Parses one command's options with `node:util.parseArgs` (strict: unknown options are errors;
 * `-h`/`--help` on every command). With `command: true` (for `portlease run`) the words from `--` or
 * the first non-option word on are returned as `rest`, unparsed.
 */
export function parseCommand(args: readonly string[], own: Options, { command = false } = {}): Parsed {
  const options: Options = { ...COMMON, ...own };
  let head = [...args];
  let rest: string[] = [];
  if (command) {
    const start = commandStart(args, options);
    head = args.slice(0, start);
    rest = args.slice(args[start] === '--' ? start + 1 : start);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: head, options, strict: true, allowPositionals: false, tokens: true });
  } catch (error) {
    throw parseError(error, options);
  }
  const { values, tokens = [] } = parsed;
  const order = tokens.flatMap((t) =>
    t.kind === 'option' ? [[t.name, t.value] as [string, string | undefined]] : [],
  );
  return { values, order, rest, help: values.help === true };
}

export function text(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export const has = (parsed: Parsed, name: string): boolean => parsed.values[name] === true;

function list(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** A whole positive number written in decimal digits only (`0x1`, `1e0`, ` 1` are refused). */
export function decimal(value: string, option: string, what: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(value)) {
    throw invalidOption(option, `must be ${what} in decimal digits, got ${JSON.stringify(value)}.`);
  }
  return Number(value);
}

/** `--lock-dir DIR` if given; an empty one is an error, not "the default". */
export function lockDirOption(parsed: Parsed): { lockDir?: string } {
  const lockDir = text(parsed, 'lock-dir');
  if (lockDir === undefined) return {};
  if (lockDir === '') throw invalidOption('--lock-dir', 'is empty; give a directory path, or leave it out.');
  return { lockDir };
}

export function leaseOptions(parsed: Parsed, defaultOwner: string): LeaseOptions {
  const options: LeaseOptions = { owner: text(parsed, 'owner') ?? defaultOwner, ...lockDirOption(parsed) };
  const range = text(parsed, 'range');
  if (range !== undefined) options.range = parseRange(range, '--range');
  const exclude = list(parsed, 'exclude');
  if (exclude.length) {
    options.exclude = exclude
      .flatMap((item) => item.split(','))
      .map((port) => decimal(port.trim(), '--exclude', 'a port number'));
  }
  return options;
}
