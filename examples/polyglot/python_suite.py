"""The Python suite's part in the demo: ``python3 python_suite.py <who> <count> portlease|naive``.

portlease: ``lease_ports(count)`` (portlease_client.py: the CLI's ``get --json --hold-pid <this pid>``).
naive:     the first ``count`` ports of PORTLEASE_RANGE that a bind-then-close check finds free (what
           pytest suites often do by hand), bound later.

Then, as every process of the demo (participant.mjs): print {"event":"ready"} with the ports, wait for
"go" on stdin, bind every port on 127.0.0.1, print {"event":"bound"} with each result, and hold the
sockets until stdin closes.
"""

import errno
import json
import os
import socket
import sys

from portlease_client import PortleaseClientError, lease_ports


def say(message):
    print(json.dumps(message), flush=True)


def bind(port):
    """A listening socket on 127.0.0.1:port (SO_REUSEADDR, as Python's socketserver sets), or the error."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen()
        return sock, None
    except OSError as error:
        sock.close()
        return None, errno.errorcode.get(error.errno, str(error))


def naive_ports(count):
    low, high = (int(part) for part in os.environ["PORTLEASE_RANGE"].split("-"))
    ports = []
    for port in range(low, high + 1):
        sock, error = bind(port)
        if sock:
            sock.close()  # "free": but nothing stops another process from taking it now
            ports.append(port)
            if len(ports) == count:
                break
    return ports


def main():
    who, count, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    try:
        ports = naive_ports(count) if mode == "naive" else lease_ports(count, owner=who)
    except PortleaseClientError as error:
        say({"event": "failed", "who": who, "error": "[%s] %s" % (error.code, error)})
        return 1
    say({"event": "ready", "who": who, "lang": "python", "pid": os.getpid(), "ports": ports})
    sys.stdin.readline()
    results, held = [], []
    for port in ports:
        sock, error = bind(port)
        results.append({"port": port, "ok": True} if sock else {"port": port, "ok": False, "error": error})
        if sock:
            held.append(sock)
    say({"event": "bound", "who": who, "results": results})
    sys.stdin.read()  # hold until stdin closes
    for sock in held:
        sock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
