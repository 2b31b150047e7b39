"""Lease TCP ports from portlease for a Python process, through the ``portlease`` CLI.

Standard library only: copy this file into a project (next to a pytest ``conftest.py``, say) and call
``lease_ports``. The ports are held for ``hold_pid`` (default: this process) by a small detached
holder that ``portlease get`` starts; they are released within about a second of that process's
exit, SIGKILL included. No other portlease user sharing the lock directory (``PORTLEASE_DIR``) and the
network namespace gets them meanwhile: Node suites on the library, other shells, other Pythons.

    >>> from portlease_client import lease_ports
    >>> api, db = lease_ports(2)                       # two ports, held until this process exits
    >>> ports = lease_ports(names=["api", "web"])      # {"api": 20417, "web": 20981}

The CLI's ``get --json`` prints one JSON object on stdout. Version 1 of that contract is
``{"v": 1, "ports": [...], "names": {...}, "holdPid": N, "holderPid": N}`` and, on failure,
``{"v": 1, "error": {"code": ..., "message": ...}}`` with a non-zero exit. Older CLIs print the same
object without ``v`` and report failures on stderr only (``portlease: [CODE] message``). This client
reads ``ports`` and treats ``error`` or a non-zero exit as failure, so it works with both; unknown
fields are ignored, as the contract allows new ones.
"""

import json
import os
import re
import shlex
import shutil
import subprocess

__all__ = ["PortleaseClientError", "lease_ports", "find_cli"]


class PortleaseClientError(Exception):
    """A lease failed. ``code`` is portlease's stable error code (``RANGE_EXHAUSTED``, ...)."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def find_cli(start=None):
    """The command that runs the CLI, as an argv list.

    ``PORTLEASE_CLI`` (a command line, or a path to ``cli.js``) wins; then
    ``node_modules/.bin/portlease`` in ``start`` (default: the working directory) or a parent
    directory, as npm and pnpm install it; then ``portlease`` on ``PATH``.
    """
    override = os.environ.get("PORTLEASE_CLI")
    if override:
        argv = shlex.split(override)
        return ["node", *argv] if argv[0].endswith((".js", ".mjs")) else argv
    directory = os.path.abspath(start or os.getcwd())
    while True:
        candidate = os.path.join(directory, "node_modules", ".bin", "portlease")
        if os.access(candidate, os.X_OK):
            return [candidate]
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    on_path = shutil.which("portlease")
    if on_path:
        return [on_path]
    raise PortleaseClientError(
        "CLI_NOT_FOUND",
        "portlease CLI not found: install it (npm install --save-dev portlease), "
        "or set PORTLEASE_CLI to its path (node_modules/portlease/dist/cli.js).",
    )


def _failure(stdout, stderr, returncode):
    """The error of a failed ``get``: the v1 ``error`` object, else the ``[CODE]`` of stderr."""
    try:
        error = json.loads(stdout).get("error")
    except (ValueError, AttributeError):
        error = None
    if isinstance(error, dict):
        return PortleaseClientError(str(error.get("code", "UNKNOWN")), str(error.get("message", "")))
    text = stderr.strip() or stdout.strip() or "portlease get exited with code %d" % returncode
    match = re.search(r"\[([A-Z_]+)\]", text)
    return PortleaseClientError(match.group(1) if match else "UNKNOWN", text)


def lease_ports(count=None, names=None, hold_pid=None, port_range=None, lock_dir=None, owner=None, cli=None):
    """Leases ports for ``hold_pid`` (default: this process) and returns them.

    ``count`` ports as a list, or with ``names`` a dict name -> port. ``port_range`` is an inclusive
    ``(min, max)`` (default: ``PORTLEASE_RANGE``, else the CLI's default range); ``lock_dir``
    defaults to ``PORTLEASE_DIR``, else the CLI's default lock directory. Raises
    ``PortleaseClientError`` with portlease's error code on failure, never returns a partial answer.
    """
    if names is not None and count is not None and count != len(names):
        raise PortleaseClientError("INVALID_OPTIONS", "give count or names, not both with different sizes")
    argv = [*(cli or find_cli()), "get", "--json", "--hold-pid", str(hold_pid or os.getpid())]
    if names:
        for name in names:
            argv += ["--name", name]
    else:
        argv += ["--count", str(count or 1)]
    if port_range:
        argv += ["--range", "%d-%d" % tuple(port_range)]
    if lock_dir:
        argv += ["--lock-dir", str(lock_dir)]
    if owner:
        argv += ["--owner", owner]
    # stdin closed: the CLI never waits for input; it returns once the holder has the ports.
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise _failure(done.stdout, done.stderr, done.returncode)
    try:
        answer = json.loads(done.stdout)
        ports = answer["ports"]
    except (ValueError, KeyError, TypeError):
        raise _failure(done.stdout, done.stderr, done.returncode) from None
    if "error" in answer or not all(isinstance(port, int) for port in ports):
        raise _failure(done.stdout, done.stderr, done.returncode)
    wanted = len(names) if names else (count or 1)
    if len(ports) != wanted:
        raise PortleaseClientError("UNEXPECTED_OUTPUT", "asked for %d ports, got %r" % (wanted, ports))
    return dict(zip(names, ports)) if names else ports
