#!/usr/bin/env python3
"""A "black hole" TCP endpoint: connect() to it hangs instead of failing.

Usage:
  blackhole.py --port-file FILE [--verbose]

Listens on 127.0.0.1 (port 0) with a backlog of 0 and never calls accept().
It then fills the accept queue itself with non-blocking connects, so the
kernel drops the SYN of any further client: that client's connect() neither
completes nor is refused, and only its own connect timeout ends it (e.g.
`curl --connect-timeout 2` fails with "Connection timed out", exit 28).

Before the port number is written to FILE (FILE.tmp then rename) the server
checks that one more non-blocking connect does not complete within 200 ms; if
it cannot get there, it exits with status 1 and a message on stderr and writes
no port file. It then sleeps until SIGTERM or SIGINT (exit status 0). No
control API.
"""

import select
import socket
import sys

sys.dont_write_bytecode = True      # no __pycache__ in the source tree
import common  # noqa: E402

PROBE_WAIT = 0.2     # seconds a connect must hang to prove the queue is full
MAX_FILLERS = 64


def connect_completes(port, wait):
    """Start a non-blocking connect; -> (socket, True if it completed)."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    _, writable, _ = select.select([], [s], [], wait)
    if writable and s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0:
        return s, True
    return s, False


def main():
    p = common.arg_parser('A TCP "black hole": connects hang until they time out.')
    args = p.parse_args()
    stop = common.install_stop_signals()

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]

    fillers = []                       # kept open: they hold the queue full
    for _ in range(MAX_FILLERS):
        s, done = connect_completes(port, PROBE_WAIT)
        if not done:
            s.close()                  # the proof: this one hung
            break
        fillers.append(s)
    else:
        sys.stderr.write("blackhole: accept queue never filled after %d "
                         "connections\n" % MAX_FILLERS)
        return 1

    common.write_port_file(args.port_file, port)
    if args.verbose:
        print("black hole on 127.0.0.1:%d (%d filler connections)"
              % (port, len(fillers)), flush=True)
    common.wait_for(stop)
    for s in fillers:
        s.close()
    listener.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
