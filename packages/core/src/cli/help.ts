/** The text of `portlease help` and of each command's `--help` / `-h`. */

/** How `run` and `get` are told which ports to lease. */
const PORT_OPTIONS = `Ports (in the order given; default: one unnamed port):
  --count N            N ports (1 to 1000)
  --name NAME          a port named NAME: PORT_NAME, {port:NAME}; recorded, so \`portlease port NAME\`
                       finds it (repeatable)
  --sticky NAME        a named port that is sticky: the port NAME last had in this project, run after
                       run, when it is free; else another one, never shared and never waited for
                       (repeatable; mixes with --name)
  --sticky-scope ID    the project a sticky name belongs to (default: PORTLEASE_STICKY_SCOPE, else the
                       nearest directory with a package.json, else with .git, else the working directory)
  --contiguous         consecutive ports (base, base+1, …), all or nothing; with --count N, one
                       --name NAME names the base port, one --sticky NAME also makes the block sticky
`;

const LEASE_OPTIONS = `Lease options:
  --range A-B          inclusive range (default: PORTLEASE_RANGE, else 10000 up to the ephemeral range)
  --exclude P[,P…]     ports never to hand out (repeatable)
  --owner LABEL        label shown by \`portlease list\`
  --lock-dir DIR       lock directory (default: PORTLEASE_DIR, else a private per-user directory)
`;

export const RUN_HELP = `Usage: portlease run [ports] [lease options] -- <command…>

Leases ports, runs the command with PORT (PORT_API, PORT_WEB, …, PORTLEASE_PORTS) set and
{port} / {port:api} replaced in its arguments, releases them when it exits, and exits with its code.
Everything after -- is the command, never read as portlease options. SIGTERM and SIGHUP are
forwarded to it; Ctrl-C (SIGINT from the terminal) reaches it directly, once.

  portlease run --sticky web -- node server.js --port {port:web}
  portlease run --count 3 --contiguous --sticky redis -- ./cluster.sh   # PORT_REDIS, PORTLEASE_PORTS
  portlease run --name api --adopt -- node api.js   # api.js binds port 0 (PORT=0); its port is leased

Commands that ignore PORT (vite, astro, ng serve, react-router dev, …) get --port N (and
--strictPort where they have it) unless they give --port.

Adopting (a server that binds port 0, so the kernel picks its port):
  --adopt              run with PORT=0, find the one port the command's processes listen on, and lease
                       it under the one --name until the command exits (TIMEOUT, ADOPT_AMBIGUOUS)
  --adopt-timeout S    seconds to wait for it to listen (default 60)

${PORT_OPTIONS}
${LEASE_OPTIONS}`;

export const GET_HELP = `Usage: portlease get [ports] [--json] [--hold-pid PID] [lease options]

Prints ports held until PID exits (default: the shell that runs the command, past npm/npx/pnpm
and sh -c wrappers). Names print PORT_API=… lines for eval or $GITHUB_ENV (a block named by its
base port adds PORTLEASE_PORTS=…); --json prints
{"v":1,"ports":[…],"names":{…},"sticky":[…],"holdPid":…,"holderPid":…}, and on failure
{"v":1,"error":{"code":…,"message":…}} (on stdout, exit 2 for INVALID_OPTIONS, else 1).
A holder that does not report within PORTLEASE_HOLDER_TIMEOUT_MS (default 30000) is killed and
get fails with HOLDER_FAILED, as when the holder cannot start or dies first.

${PORT_OPTIONS}
${LEASE_OPTIONS}`;

export const LIST_HELP = `Usage: portlease list [--json] [--lock-dir DIR]

Every lease: port, alive or stale, age, pid, name and sticky name (NAME and STICKY columns when one
has them), owner label (for a \`portlease get\`, the process it holds for: held for pid 5347: bash,
74 min old).
`;

export const PORT_HELP = `Usage: portlease port NAME [--wait SECONDS] [--json] [--sticky-scope ID] [--lock-dir DIR]

Prints the port of this project's live lease named NAME (portlease run --name NAME, --sticky NAME,
or the name / sticky lease options), exit 0; none: exit 1 with NOT_FOUND. A name belongs to the
project it was leased in (PORTLEASE_STICKY_SCOPE, else the nearest directory with a package.json,
else with .git, else the working directory), so each worktree has its own.
  --wait SECONDS       wait until the lease exists and its port accepts a TCP connection (TIMEOUT after)
  --json               the lease as \`portlease list --json\` prints it
  --sticky-scope ID    the project the name belongs to

  PORT=$(portlease port api --wait 30)
`;

export const GC_HELP = `Usage: portlease gc [--json] [--lock-dir DIR]

Removes records of dead owners, crash leftovers, and sticky memos unused for 30 days (allocation
does not need it).
`;

export const DOCTOR_HELP = `Usage: portlease doctor [--json] [--lock-dir DIR] [--range A-B]

Lock directory checks, ephemeral range, effective range, probe addresses. Exits 1 on a problem.
`;

export const HELP = `portlease — free TCP ports that stay unique across processes, workers and CI shards

Usage:
  portlease run [ports] [lease options] -- <command…>
      Lease ports, run the command with PORT (PORT_API, PORT_WEB, …, PORTLEASE_PORTS) set and
      {port} / {port:api} replaced in its arguments; release when it exits; exit with its code.
  portlease get [ports] [--json] [--hold-pid PID] [lease options]
      Print ports held until PID exits (default: the calling shell). Names print PORT_API=… lines.
  portlease port NAME [--wait S] [--json]
      Print the port of this project's live lease named NAME (exit 1, NOT_FOUND, if none).
  portlease list [--json]      Every lease: port, alive or stale, age, pid, name, sticky name, owner label.
  portlease gc [--json]        Remove records of dead owners, crash leftovers, old sticky memos.
  portlease doctor [--json]    Lock directory checks, ephemeral range, effective range.
  portlease <command> --help   Help for one command.

${PORT_OPTIONS}
${LEASE_OPTIONS}`;
