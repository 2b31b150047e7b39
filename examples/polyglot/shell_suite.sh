#!/bin/sh
# The shell suite's part in the demo: `sh shell_suite.sh <who> <count> portlease|naive <index>`.
#   portlease: portlease_get (portlease_client.sh: `portlease get --json --hold-pid $$`).
#   naive:     a fixed base + index scheme, base = the first port of PORTLEASE_RANGE, as CI scripts
#              often do (PORT=$((BASE + INDEX))).
# Then it execs its server (hold-ports.mjs) on the ports; exec keeps this pid, so the lease stays held.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/portlease_client.sh"
who=$1 count=$2 mode=$3 index=${4:-0}

if [ "$mode" = naive ]; then
  base=${PORTLEASE_RANGE%%-*}
  ports= i=0
  while [ "$i" -lt "$count" ]; do
    ports="$ports $((base + index * count + i))"
    i=$((i + 1))
  done
else
  if ! portlease_get "$count" --owner "$who"; then
    # The message is on stderr (run.mjs shows it); the code goes in the report.
    printf '{"event":"failed","who":"%s","error":"%s"}\n' "$who" "$PORTLEASE_ERROR"
    exit 1
  fi
  ports=$PORTLEASE_PORTS
fi
# shellcheck disable=SC2086
exec node "$here/hold-ports.mjs" "$who" $ports
