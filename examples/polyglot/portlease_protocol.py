"""A read-only reader of the portlease lock directory, written from docs/protocol.md alone.

It lists leases the way ``portlease list --json`` does (port, token, alive/stale/unknown, record),
without Node: the scope of this network namespace (section 2.3), the layout (3), token names (4.1),
records (4.2, 4.3) and the liveness check (6). It never writes; allocating is for the CLI
(portlease_client.py). test/polyglot.test.mjs checks it against the Node implementation, which is
how the specification is kept honest.

    python3 portlease_protocol.py [LOCK_DIR]      # default: PORTLEASE_DIR
"""

import errno
import json
import os
import re
import socket
import stat
import sys

TOKEN = re.compile(r"^([0-9a-f]{24})-[0-9a-f]{16}$")
MAX_RECORD_BYTES = 16 * 1024
REQUIRED = {"v": (int, float), "owner": str, "ownerId": str, "token": str, "pid": (int, float), "created": (int, float)}


def scope_name():
    """``net-<inode>`` of this network namespace on Linux, else ``local`` (section 2.3)."""
    if sys.platform.startswith("linux"):
        try:
            match = re.search(r"\[(\d+)\]", os.readlink("/proc/self/ns/net"))
            if match:
                return "net-" + match.group(1)
        except OSError:
            pass
    return "local"


def _connects(address):
    """True: connected or an answer that is not a refusal (alive); False: refused (dead)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(address)
        return True
    except OSError as error:
        return error.errno not in (errno.ECONNREFUSED, errno.ENOENT)
    finally:
        sock.close()


def owner_alive(owner_id):
    """Section 6: dead only when the oracle refuses; on Linux both spellings of the abstract name."""
    if not re.fullmatch(r"[0-9a-f]{24}", owner_id):
        return True
    if sys.platform.startswith("linux"):
        exact = "\0portlease-" + owner_id
        return _connects(exact) or _connects(exact.ljust(108, "\0"))
    tmp = next((os.environ[k] for k in ("TMPDIR", "TMP", "TEMP") if os.environ.get(k)), "/tmp")
    tmp = tmp.rstrip("/") or "/"
    return _connects(os.path.join(tmp, "portlease-%s.sock" % owner_id))


def read_record(path):
    """The record as a dict, or why not: missing, unreadable, oversized, corrupt (section 4.3)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "unreadable"
        if info.st_size > MAX_RECORD_BYTES:
            return "oversized"
        body = os.read(fd, info.st_size)
    except OSError:
        return "unreadable"
    finally:
        os.close(fd)
    try:
        record = json.loads(body.decode("utf-8"))
    except ValueError:
        return "corrupt"
    if not isinstance(record, dict):
        return "corrupt"
    for field, kind in REQUIRED.items():
        if not isinstance(record.get(field), kind) or isinstance(record.get(field), bool):
            return "corrupt"
    return record


def list_leases(lock_dir):
    """Every entry of this namespace's scope: port, token, status from the NAME, record or problem."""
    scope = os.path.join(lock_dir, scope_name())
    leases, alive = [], {}
    try:
        names = os.listdir(scope)
    except (FileNotFoundError, NotADirectoryError):
        return leases
    for name in names:
        if not name.isdigit():
            continue
        port_dir = os.path.join(scope, name)
        try:
            tokens = os.listdir(port_dir)
        except (FileNotFoundError, NotADirectoryError):
            continue
        for token in tokens:
            match = TOKEN.match(token)
            if match is None:
                status = "unknown"
            else:
                owner_id = match.group(1)
                if owner_id not in alive:
                    alive[owner_id] = owner_alive(owner_id)
                status = "alive" if alive[owner_id] else "stale"
            record = read_record(os.path.join(port_dir, token))
            lease = {"port": int(name), "token": token, "status": status}
            if isinstance(record, dict):
                lease["owner"] = record["owner"]
                lease["pid"] = record["pid"]
            else:
                lease["problem"] = record
            leases.append(lease)
    return sorted(leases, key=lambda lease: (lease["port"], lease["token"]))


if __name__ == "__main__":
    directory = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PORTLEASE_DIR")
    if not directory:
        sys.exit("usage: portlease_protocol.py LOCK_DIR (or set PORTLEASE_DIR)")
    print(json.dumps(list_leases(directory), indent=2))
