import { PortleaseError } from '../errors.js';
import { findLease, waitForLease } from '../lease/find-lease.js';
import { invalidOption } from '../options/errors.js';
import { has, lockDirOption, parseCommand, text, usageError } from './args.js';
import { PORT_HELP } from './help.js';

const OPTIONS = {
  wait: { type: 'string' },
  json: { type: 'boolean' },
  'lock-dir': { type: 'string' },
  'sticky-scope': { type: 'string' },
} as const;

/** `--wait 2.5` in seconds → milliseconds; whole or decimal, up to a day. */
function waitMs(value: string): number {
  if (!/^(?:\d{1,5})(?:\.\d{1,3})?$/.test(value) || Number(value) > 86_400) {
    throw invalidOption(
      '--wait',
      `must be a number of seconds such as 30 or 2.5 (at most 86400), got ${JSON.stringify(value)}.`,
    );
  }
  return Math.round(Number(value) * 1000);
}

/**
 * `portlease port NAME [--wait SECONDS] [--json]`: prints the port of this project's live lease named
 * NAME (`portlease run --name NAME`, `--sticky NAME`, the `name` / `sticky` lease options), exit 0.
 * None: exit 1, `NOT_FOUND`. `--wait`: waits until it exists and its port accepts a TCP connection,
 * `TIMEOUT` past that. `--json`: the lease as one entry of `portlease list --json`.
 */
export async function port(args: string[]): Promise<number> {
  // The name may come before or after the options: it is the first word that is not an option's.
  let at = -1;
  for (let i = 0; i < args.length && at === -1; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith('-')) at = i;
    else if (OPTIONS[arg.slice(2) as keyof typeof OPTIONS]?.type === 'string') i++;
  }
  const name = at === -1 ? undefined : args[at];
  const parsed = parseCommand(
    args.filter((_, i) => i !== at),
    OPTIONS,
  );
  if (parsed.help) {
    process.stdout.write(PORT_HELP);
    return 0;
  }
  if (name === undefined) throw usageError('portlease port needs a name, e.g. `portlease port api`');
  const scope = text(parsed, 'sticky-scope');
  const options = { ...lockDirOption(parsed), ...(scope === undefined ? {} : { stickyScope: scope }) };
  const wait = text(parsed, 'wait');
  const lease =
    wait === undefined
      ? await findLease(name, options)
      : await waitForLease(name, { ...options, timeout: waitMs(wait) });
  if (lease === undefined) {
    throw new PortleaseError(
      'NOT_FOUND',
      `No live lease named ${JSON.stringify(name)} in this project. Start one with \`portlease run --name ${name} -- <command>\` from the same project (or give both the same --sticky-scope), or wait for it with --wait SECONDS.`,
      { details: { name } },
    );
  }
  process.stdout.write(has(parsed, 'json') ? `${JSON.stringify(lease, null, 2)}\n` : `${lease.port}\n`);
  return 0;
}
