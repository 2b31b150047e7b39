#!/bin/sh
# Which kernel locks contended leases wait on, and for how long: the kernel's lock:contention_begin/end
# tracepoints (perf lock, no BPF needed; as root, or with kernel.perf_event_paranoid <= -1), recorded
# machine-wide while contention-waits.mjs runs its 16 × 150 (portlease and get-port), then the locks
# with the longest total wait, each with its caller.
#   sh bench/profile/contention-locks.sh [contention-waits.mjs options]
set -e
here=$(dirname "$0")
data=${PERF_DATA:-/tmp/portlease-contention-locks.data}
perf lock record -a -o "$data" -- node "$here/contention-waits.mjs" --repeats 1 "$@"
perf lock contention -i "$data" -E 20
