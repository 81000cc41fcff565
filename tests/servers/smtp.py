"""A real SMTP server on 127.0.0.1 for ombre's e-mail tests (T330).

  smtp.py --port-file FILE --out DIR

aiosmtpd (Debian's python3-aiosmtpd) on a free port of loopback; the port
is written to FILE (FILE.tmp then rename). Each message received is kept
in DIR as N.eml (the bytes of DATA) with N.env beside it (MAIL FROM, then
each RCPT TO, one a line). SIGTERM or SIGINT stop it with exit status 0.
Exits 77 when aiosmtpd cannot be imported.
"""
import argparse
import os
import signal
import socket
import sys
import threading

try:
    from aiosmtpd.controller import Controller
except ImportError:
    sys.exit(77)


class Keep:
    def __init__(self, out):
        self.out = out
        self.n = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            n = self.n
        with open(os.path.join(self.out, "%d.env" % n), "w") as f:
            f.write(envelope.mail_from + "\n")
            for rcpt in envelope.rcpt_tos:
                f.write(rcpt + "\n")
        path = os.path.join(self.out, "%d.eml" % n)
        with open(path + ".tmp", "wb") as f:
            f.write(envelope.original_content or envelope.content)
        os.rename(path + ".tmp", path)
        return "250 OK"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    c = Controller(Keep(a.out), hostname="127.0.0.1", port=port)
    c.start()
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(a.port_file + ".tmp", a.port_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.2):
        pass
    c.stop()


if __name__ == "__main__":
    main()
