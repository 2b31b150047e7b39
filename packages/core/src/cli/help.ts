/** The text of `portlease help` and of each command's `--help` / `-h`. */

const LEASE_OPTIONS = `Lease options:
  --range A-B          inclusive range (default: PORTLEASE_RANGE, else 10000 up to the ephemeral range)
  --exclude P[,P…]     ports never to hand out (repeatable)
  --owner LABEL        label shown by \`portlease list\`
  --lock-dir DIR       lock directory (default: PORTLEASE_DIR, else a private per-user directory)
`;

export const RUN_HELP = `Usage: portlease run [--count N | --name api --name web] [lease options] -- <command…>

Leases ports, runs the command with PORT (PORT_API, PORT_WEB, …, PORTLEASE_PORTS) set and
{port} / {port:api} replaced in its arguments, releases them when it exits, and exits with its code.
Everything after -- is the command, never read as portlease options. SIGTERM and SIGHUP are
forwarded to it; Ctrl-C (SIGINT from the terminal) reaches it directly, once.

${LEASE_OPTIONS}`;

export const GET_HELP = `Usage: portlease get [--count N | --name api …] [--json] [--hold-pid PID] [lease options]

Prints ports held until PID exits (default: the shell that runs the command, past npm/npx/pnpm
and sh -c wrappers). Names print PORT_API=… lines for eval or $GITHUB_ENV; --json prints
{"v":1,"ports":[…],"names":{…},"holdPid":…,"holderPid":…}, and on failure
{"v":1,"error":{"code":…,"message":…}} (on stdout, exit 2 for INVALID_OPTIONS, else 1).

${LEASE_OPTIONS}`;

export const LIST_HELP = `Usage: portlease list [--json] [--lock-dir DIR]

Every lease: port, alive or stale, age, pid, owner label.
`;

export const GC_HELP = `Usage: portlease gc [--json] [--lock-dir DIR]

Removes records of dead owners and crash leftovers (allocation does not need it).
`;

export const DOCTOR_HELP = `Usage: portlease doctor [--json] [--lock-dir DIR] [--range A-B]

Lock directory checks, ephemeral range, effective range, probe addresses. Exits 1 on a problem.
`;

export const HELP = `portlease — free TCP ports that stay unique across processes, workers and CI shards

Usage:
  portlease run [--count N | --name api --name web] [lease options] -- <command…>
      Lease ports, run the command with PORT (PORT_API, PORT_WEB, …, PORTLEASE_PORTS) set and
      {port} / {port:api} replaced in its arguments; release when it exits; exit with its code.
  portlease get [--count N | --name api …] [--json] [--hold-pid PID] [lease options]
      Print ports held until PID exits (default: the calling shell). Names print PORT_API=… lines.
  portlease list [--json]      Every lease: port, alive or stale, age, pid, owner label.
  portlease gc [--json]        Remove records of dead owners and crash leftovers.
  portlease doctor [--json]    Lock directory checks, ephemeral range, effective range.
  portlease <command> --help   Help for one command.

${LEASE_OPTIONS}`;
