# Lease TCP ports from portlease in a POSIX shell, through the `portlease` CLI. Source this file:
#
#   . ./portlease_client.sh
#   portlease_get 2 || exit 1          # sets PORTLEASE_PORTS="20417 20981", held until this shell exits
#   set -- $PORTLEASE_PORTS; api=$1; db=$2
#
# The ports are held for this shell ($$) by a small detached holder that `portlease get` starts, and
# released within about a second of the shell's exit. `exec`ing a server keeps the pid, so the ports
# stay held for as long as the server runs. Call portlease_get directly, not inside $( ): it sets a
# variable, and a command substitution's variables are lost.
#
# `get --json` prints one JSON object: v1 is {"v":1,"ports":[…],…} and, on failure,
# {"v":1,"error":{"code":…,"message":…}} with a non-zero exit; older CLIs print the object without
# "v" and report failures on stderr only. This reads "ports" and treats "error" or a non-zero exit as
# failure, so it works with both. No jq: the numbers are cut out with sed.

# The command that runs the CLI: PORTLEASE_CLI, else node_modules/.bin/portlease in the working
# directory or a parent, else portlease on PATH.
portlease_cli() {
  if [ -n "${PORTLEASE_CLI:-}" ]; then
    case $PORTLEASE_CLI in
      *.js | *.mjs) printf 'node %s\n' "$PORTLEASE_CLI" ;;
      *) printf '%s\n' "$PORTLEASE_CLI" ;;
    esac
    return 0
  fi
  _pl_dir=$(pwd)
  while :; do
    if [ -x "$_pl_dir/node_modules/.bin/portlease" ]; then
      printf '%s\n' "$_pl_dir/node_modules/.bin/portlease"
      return 0
    fi
    [ "$_pl_dir" = / ] && break
    _pl_dir=$(dirname "$_pl_dir")
  done
  if command -v portlease >/dev/null 2>&1; then
    command -v portlease
    return 0
  fi
  echo 'portlease CLI not found: install it (npm install --save-dev portlease) or set PORTLEASE_CLI' >&2
  return 1
}

# portlease_get COUNT [lease options…]: sets PORTLEASE_PORTS to COUNT space-separated ports held for
# this shell. Lease options go to the CLI (--range A-B, --lock-dir DIR, --owner LABEL, --exclude P).
# On failure prints the CLI's error to stderr, sets PORTLEASE_ERROR to its code and returns 1. Safe
# under `set -eu`.
portlease_get() {
  PORTLEASE_PORTS=
  PORTLEASE_ERROR=
  _pl_count=$1
  shift
  _pl_cli=$(portlease_cli) || { PORTLEASE_ERROR=CLI_NOT_FOUND; return 1; }
  _pl_err=$(mktemp) || return 1
  # $_pl_cli is split on purpose: it may be "node /path/to/cli.js".
  # shellcheck disable=SC2086
  _pl_code=0
  _pl_out=$($_pl_cli get --json --hold-pid $$ --count "$_pl_count" "$@" </dev/null 2>"$_pl_err") ||
    _pl_code=$?
  _pl_stderr=$(cat "$_pl_err")
  rm -f "$_pl_err"
  _pl_out=$(printf '%s' "$_pl_out" | tr -d '\n')
  case $_pl_out in
    *'"error"'*) [ "$_pl_code" -ne 0 ] || _pl_code=1 ;;
  esac
  if [ "$_pl_code" -eq 0 ]; then
    PORTLEASE_PORTS=$(printf '%s' "$_pl_out" |
      sed -n 's/.*"ports"[[:space:]]*:[[:space:]]*\[\([0-9,[:space:]]*\)\].*/\1/p' | tr ',' ' ')
    # Normalise the spacing and check the count, so a surprise in the output is a failure, not a guess.
    set -- $PORTLEASE_PORTS
    PORTLEASE_PORTS=$*
    [ "$#" -eq "$_pl_count" ] && return 0
    _pl_stderr="unexpected output of portlease get: $_pl_out"
  fi
  PORTLEASE_PORTS=
  _pl_message=$(printf '%s' "$_pl_out" | sed -n 's/.*"message"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
  _pl_text=${_pl_message:-${_pl_stderr:-portlease get exited with code $_pl_code}}
  PORTLEASE_ERROR=$(printf '%s' "$_pl_out" | sed -n 's/.*"code"[[:space:]]*:[[:space:]]*"\([A-Z_]*\)".*/\1/p')
  [ -n "$PORTLEASE_ERROR" ] ||
    PORTLEASE_ERROR=$(printf '%s' "$_pl_text" | sed -n 's/.*\[\([A-Z_]*\)\].*/\1/p')
  : "${PORTLEASE_ERROR:=UNKNOWN}"
  printf 'portlease_get: %s\n' "$_pl_text" >&2
  return 1
}
