#!/usr/bin/env python3
"""bench/handoff.py: from a customer's "je veux un conseiller" to the bell.

    bench/handoff.py [SAMPLES]       default 20

Starts the local Telegram test server (tests/servers/telegram.py), `ombre
sync` on a new store with a channel whose conversations start with the
built-in bot (bot=faq), and a console on the same store under a
pseudo-terminal read directly here (so that each byte it writes is
timestamped when it arrives). Then, SAMPLES times: an update "je veux un
conseiller" in a new chat is queued on the server (t0), and the console's
output is read until it rings the bell: a BEL outside an OSC, DCS, APC or
PM string (the BEL ending a notification is no bell). For each sample it
prints the total and where it went:

  deliver   t0 to the syncer's next getUpdates (the server's request
            log): the long poll answered at once, the page's files written
            and fsynced, the offset moved on
  index     from there to the "handoff" line in DATA/feed (watched here
            every 1 ms): the message indexed, the rules run, committed
  console   to the BEL: the console reads DATA/feed on a timer

then the median, p90 and max of each, and the machine (nproc). Samples
are spaced by a random 0.5-1.0 s, so that they fall anywhere in the
console's timer period. The target is a median under 1 s.

OMBRE=path/to/ombre measures another build; BENCH_CONSOLE_ARGS adds words
to the console's command line. Nothing is asserted.
"""

import json
import os
import pty
import random
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import fcntl
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
OMBRE = os.environ.get("OMBRE", os.path.join(TOP, "src", "ombre"))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
TOKEN = "7012345678:AAH-bench-handoff"

CONFIG = """\
bot-answer faq "horaire|heure|ouvert" "Nous sommes ouverts de 9 h à 18 h."
bot-fallback faq "Je n'ai pas bien compris : pouvez-vous reformuler ?"
bot-handoff faq after=2 "Je vous passe un conseiller, il vous répond au plus vite."
channel shop telegram token=%s api-url=http://127.0.0.1:%d bot=faq
"""


def server(work):
    port_file = os.path.join(work, "telegram.port")
    proc = subprocess.Popen([PYTHON, os.path.join(TOP, "tests", "servers", "telegram.py"),
                             "--port-file", port_file, "--token", TOKEN],
                            stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return proc, int(open(port_file).read())
        time.sleep(0.05)
    raise SystemExit("the telegram server did not start")


def ctl(port, path, body=None):
    req = urllib.request.Request("http://127.0.0.1:%d/_control/%s" % (port, path),
                                 data=json.dumps(body).encode() if body is not None else None,
                                 method="POST" if body is not None else "GET",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


class Console:
    """The console on a pty; a thread timestamps the bells it rings."""

    def __init__(self, argv, env, cols=100, rows=30):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.bells = []
        self.nbytes = 0
        self.lock = threading.Lock()
        self.state = "text"     # text, esc, string (OSC/DCS/APC/PM), string-esc
        self.done = False
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def feed(self, data, now):
        for b in data:
            if self.state == "text":
                if b == 0x1b:
                    self.state = "esc"
                elif b == 0x07:
                    with self.lock:
                        self.bells.append(now)
                elif b in (0x90, 0x9d, 0x9e, 0x9f):   # C1 DCS, OSC, PM, APC
                    self.state = "string"
            elif self.state == "esc":
                self.state = "string" if b in b"]P^_" else "text"
                if b == 0x1b:
                    self.state = "esc"
            elif self.state == "string":
                if b == 0x07:
                    self.state = "text"        # BEL ends an OSC
                elif b == 0x1b:
                    self.state = "string-esc"
                elif b == 0x9c:
                    self.state = "text"
            elif self.state == "string-esc":
                # ESC \ ends the string; tmux's passthrough doubles ESCs.
                self.state = "text" if b == 0x5c else "string"

    def read(self):
        while not self.done:
            try:
                r, _, _ = select.select([self.fd], [], [], 0.2)
                if not r:
                    continue
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.monotonic()
            self.nbytes += len(data)
            self.feed(data, now)

    def bells_after(self, t):
        with self.lock:
            return [b for b in self.bells if b >= t]

    def stop(self):
        try:
            os.write(self.fd, b"q")
        except OSError:
            pass
        for _ in range(50):
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                break
            time.sleep(0.05)
        else:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        self.done = True


def feed_size(path):
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def wait_feed(path, size, deadline):
    """Poll DATA/feed until a handoff line is appended past size."""
    while time.monotonic() < deadline:
        if feed_size(path) > size:
            with open(path, "rb") as f:
                f.seek(size)
                if b"\nhandoff " in b"\n" + f.read():
                    return time.monotonic()
        time.sleep(0.001)
    return None


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s) + 0.5)) - 1))]


def main():
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    work = tempfile.mkdtemp(prefix="ombre-bench-handoff-")
    data = os.path.join(work, "data")
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC", TERM="xterm-256color",
               HOME=work, XDG_CONFIG_HOME=os.path.join(work, "config"),
               XDG_DATA_HOME=os.path.join(work, "xdg-data"),
               XDG_RUNTIME_DIR=work, USER="bench", LOGNAME="bench")
    for k in ("OMBRE_NOW", "OMBRE_DATA_DIR", "NOTMUCH_CONFIG", "TMUX"):
        env.pop(k, None)
    tg, port = server(work)
    syncer = console = None
    try:
        conf = os.path.join(work, "ombre.conf")
        with open(conf, "w") as f:
            f.write(CONFIG % (TOKEN, port))
        os.chmod(conf, 0o600)
        subprocess.run([OMBRE, "--data-dir", data, "-c", conf, "list"], env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        syncer = subprocess.Popen([OMBRE, "--data-dir", data, "-c", conf, "sync"], env=env,
                                  stderr=open(os.path.join(work, "sync.err"), "w"))
        # Polling: its first getUpdates is waiting on the server (the
        # status says connected only once a long poll has answered).
        for _ in range(200):
            if any(r.get("endpoint") == "getUpdates" for r in ctl(port, "log")):
                break
            time.sleep(0.05)
        else:
            raise SystemExit("the syncer did not poll")
        argv = [OMBRE, "--data-dir", data, "-c", conf] + \
            os.environ.get("BENCH_CONSOLE_ARGS", "").split()
        console = Console(argv, env)
        time.sleep(1.5)     # first paint, counts settled
        feed = os.path.join(data, "feed")
        rows = []
        print("sample  total ms  deliver ms  index ms  console ms")
        for i in range(samples):
            time.sleep(random.uniform(0.5, 1.0))
            chat = 900000 + i
            upd = {"message": {"message_id": 1, "date": int(time.time()),
                               "chat": {"id": chat, "type": "private", "first_name": "Client%d" % i},
                               "from": {"id": chat, "is_bot": False, "first_name": "Client%d" % i},
                               "text": "je veux un conseiller"}}
            size = feed_size(feed)
            ctl(port, "reset", {})
            t0 = time.monotonic()
            ctl(port, "updates", [upd])
            t_feed = wait_feed(feed, size, t0 + 15)
            deadline = t0 + 15
            while time.monotonic() < deadline and not console.bells_after(t0):
                time.sleep(0.001)
            bells = console.bells_after(t0)
            if not bells or t_feed is None:
                print("%6d  no bell within 15 s (feed line: %s)" % (i + 1, t_feed is not None))
                continue
            # The server's log (its monotonic clock is ours): the first
            # getUpdates after t0, asked once the page is delivered.
            t_poll = None
            for r in ctl(port, "log"):
                if r.get("endpoint") == "getUpdates" and r.get("t", 0) >= t0:
                    t_poll = r["t"] - t0
                    break
            total = bells[0] - t0
            index = t_feed - t0
            poll = t_poll if t_poll is not None else float("nan")
            rows.append((total, poll, index, total - index))
            print("%6d  %8.1f  %10.1f  %8.1f  %10.1f" % (i + 1, total * 1e3, poll * 1e3,
                                                      (index - poll) * 1e3 if t_poll is not None else index * 1e3,
                                                      (total - index) * 1e3))
        if rows:
            print()
            print("%d samples, nproc %d" % (len(rows), os.cpu_count() or 0))
            for name, k in (("total", 0), ("deliver (next poll)", 1),
                            ("to the feed line", 2), ("feed line to BEL", 3)):
                v = [r[k] * 1e3 for r in rows]
                print("%-22s median %7.1f ms  p90 %7.1f ms  max %7.1f ms"
                      % (name, statistics.median(v), pct(v, 90), max(v)))
            med = statistics.median([r[0] for r in rows])
            print("target: median under 1000 ms: %s" % ("met" if med < 1.0 else "missed"))
    finally:
        if console is not None:
            console.stop()
        if syncer is not None:
            syncer.send_signal(signal.SIGTERM)
            try:
                syncer.wait(10)
            except subprocess.TimeoutExpired:
                syncer.kill()
        tg.terminate()
        tg.wait()
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("kept %s" % work)


if __name__ == "__main__":
    main()
