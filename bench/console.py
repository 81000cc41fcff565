#!/usr/bin/env python3
"""bench/console.py: the console's figures, printed (never asserted).

    bench/console.py STORE [STORE...]

For each store (a data dir built by bench/run.sh, e.g. bench/out/store-100000)
it drives programs in tmux control mode (tmux -C), as a user would see them:

  first paint   from starting the program to the first screen that shows
                its inbox (polled with capture-pane every 2 ms)
  page-down     from sending the key to the first %output after it, the
                program's answer (control mode timestamps each output burst;
                polling could not resolve 10 ms), and to the last burst within
                150 ms of quiet, once the screen has settled after
                the first paint (ombre's sidebar counts, alot's and aerc's
                loading would otherwise be counted as the key's answer):
                for ombre, once no view of the sidebar says "counting…"
                any more (its counts come one view at a time, seconds
                apart at 1M, so a quiet screen alone does not say they
                are all in)
  counts        ombre only: from starting it to the last view's count
  memory        VmHWM and RssAnon of the program after the first paint
  bytes         written to the terminal for one j and for one page-down

ombre is measured against `notmuch search --limit=50` on the same query, in
the same harness (its first paint is its first page of output), and
against neomutt on a notmuch virtual mailbox of the same query (nm_db_limit
1000), alot (`alot search tag:inbox`) and aerc (a notmuch account whose
inbox is tag:inbox), each when installed. Each figure
is the median of RUNS runs (default 5; BENCH_RUNS sets it).
"""

import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
OMBRE = os.environ.get("OMBRE", os.path.join(TOP, "src", "ombre"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
WIDTH, HEIGHT = 200, 50


class Tmux:
    """A tmux server in control mode with one session running a command."""

    count = 0

    def __init__(self, command, env):
        Tmux.count += 1     # a server of its own: never a dying one
        self.socket = "ombre-bench-%d-%d" % (os.getpid(), Tmux.count)
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "-C",
             "new-session", "-x", str(WIDTH), "-y", str(HEIGHT),
             "env " + " ".join("%s=%s" % kv for kv in env.items()) +
             " " + command + "; sleep 600"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
        self.buffer = b""
        self.outputs = []      # (time, bytes) of each %output

    def _read(self, timeout):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return False
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return False
        self.buffer += data
        now = time.monotonic()
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            if line.startswith(b"%output "):
                payload = line.split(b" ", 2)[2] if line.count(b" ") >= 2 else b""
                self.outputs.append((now, decode_octal(payload)))
            elif line.startswith(b"%begin"):
                self.block = []
            elif line.startswith(b"%end") or line.startswith(b"%error"):
                self.last_block = getattr(self, "block", [])
                self.block = None
            elif getattr(self, "block", None) is not None:
                self.block.append(line)
        return True

    def command(self, text):
        # Read what tmux has sent so far: a control client that falls
        # behind is disconnected ("%exit too far behind").
        while self._read(0):
            pass
        self.last_block = None
        self.proc.stdin.write(text.encode() + b"\n")
        deadline = time.monotonic() + 5
        while self.last_block is None and time.monotonic() < deadline:
            self._read(0.05)
        return b"\n".join(self.last_block or [])

    def capture(self):
        return self.command("capture-pane -p").decode("utf-8", "replace")

    def wait_for(self, pattern, limit=60):
        """Seconds from start until the pane shows pattern."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if regex.search(self.capture()):
                return time.monotonic() - self.start
            time.sleep(0.002)
        return None

    def wait_gone(self, pattern, limit=300):
        """Seconds from start until the pane no longer shows pattern."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if not regex.search(self.capture()):
                return time.monotonic() - self.start
            time.sleep(0.05)
        return None

    def settle(self, limit=60):
        """Wait until two captures 300 ms apart are the same."""
        deadline = time.monotonic() + limit
        last = self.capture()
        while time.monotonic() < deadline:
            time.sleep(0.3)
            now = self.capture()
            if now == last:
                return
            last = now

    def key(self, key, quiet=0.15):
        """Send a key; return (ms to the first and to the last output
        burst after it, bytes)."""
        self._drain(0.05)
        self.outputs = []
        sent = time.monotonic()
        self.command("send-keys " + key)
        last = time.monotonic()
        while time.monotonic() - last < quiet:
            if self._read(quiet) and self.outputs:
                last = self.outputs[-1][0]
        if not self.outputs:
            return None, None, 0
        return ((self.outputs[0][0] - sent) * 1000,
                (self.outputs[-1][0] - sent) * 1000,
                sum(len(b) for _, b in self.outputs))

    def _drain(self, quiet):
        while self._read(quiet):
            pass

    def pane_pid(self):
        out = self.command("display-message -p '#{pane_pid}'").decode()
        return int(out.strip() or "0")

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"],
                       stderr=subprocess.DEVNULL)
        self.proc.wait()


def decode_octal(payload):
    """tmux escapes bytes below 32 and backslash as \\ooo."""
    out = bytearray()
    i = 0
    while i < len(payload):
        if payload[i:i + 1] == b"\\" and i + 3 < len(payload) + 1 and \
                payload[i + 1:i + 4].isdigit():
            out.append(int(payload[i + 1:i + 4], 8))
            i += 4
        else:
            out.append(payload[i])
            i += 1
    return bytes(out)


def memory_of_child(shell_pid, name):
    """VmHWM and RssAnon (kB) of the process called name under the pane."""
    try:
        children = subprocess.run(["pgrep", "-P", str(shell_pid)],
                                  capture_output=True, text=True).stdout.split()
    except OSError:
        return 0, 0
    for pid in children + [str(shell_pid)]:
        try:
            with open("/proc/%s/status" % pid) as f:
                status = f.read()
        except OSError:
            continue
        if re.search(r"^Name:\s*%s" % re.escape(name[:15]), status, re.M):
            hwm = re.search(r"^VmHWM:\s*(\d+)", status, re.M)
            anon = re.search(r"^RssAnon:\s*(\d+)", status, re.M)
            return int(hwm.group(1)), int(anon.group(1))
        # the program may be a grandchild (env, then the program)
        sub = memory_of_child(int(pid), name) if pid != str(shell_pid) else (0, 0)
        if sub != (0, 0):
            return sub
    return 0, 0


def write_muttrc(store):
    """A neomutt configuration showing tag:inbox of this store."""
    path = "/tmp/ombre-bench-muttrc-%d" % os.getpid()
    with open(path, "w") as f:
        f.write('set folder = "%s/mail"\n' % store)
        f.write('set nm_default_url = "notmuch://%s/mail"\n' % store)
        f.write('virtual-mailboxes "inbox" "notmuch://?query=tag:inbox"\n')
        f.write('set spoolfile = "notmuch://?query=tag:inbox"\n')
        f.write('set nm_db_limit = 1000\nset sort = reverse-date\n')
        f.write('set header_cache = ""\nset mail_check_stats = no\n')
    return path


def write_alot_config():
    """alot reads the store's notmuch config; its own config stays empty."""
    path = "/tmp/ombre-bench-alot-%d" % os.getpid()
    open(path, "w").close()
    return path


def write_aerc_config(store):
    """An aerc account on the store's notmuch database, tag:inbox as inbox.
    aerc reads it from XDG_CONFIG_HOME; accounts.conf must be 0600."""
    home = "/tmp/ombre-bench-aerc-%d" % os.getpid()
    os.makedirs(home + "/aerc", exist_ok=True)
    with open(home + "/aerc/querymap", "w") as f:
        f.write("inbox=tag:inbox\n")
    fd = os.open(home + "/aerc/accounts.conf",
                 os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("[bench]\nsource = notmuch://%s/mail\n" % store)
        f.write("query-map = %s/aerc/querymap\ndefault = inbox\n" % home)
        f.write("from = bench <bench@example.org>\noutgoing = /bin/true\n")
    return home


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, unit):
    return "%8.1f %s" % (value, unit) if value is not None else "       - " + unit


def measure(label, command, pattern, env, keys=True, name="ombre",
            quiet=0.15, busy=None):
    """busy: a pattern the screen shows while the program still fills it
    on its own (ombre's sidebar while it counts); keys wait until it is
    gone."""
    paints, mems, dones = [], [], []
    js, js_last, pds, pds_last, bytes_j, bytes_pd = [], [], [], [], [], []
    for _ in range(RUNS):
        t = Tmux(command, env)
        try:
            paint = t.wait_for(pattern)
            paints.append(paint * 1000 if paint is not None else None)
            if paint is None:
                continue
            time.sleep(0.3)
            mems.append(memory_of_child(t.pane_pid(), name))
            if busy is not None:
                done = t.wait_gone(busy)
                dones.append(done * 1000 if done is not None else None)
                if done is None:
                    continue
            # Keys are timed on a settled screen: what a program draws
            # on its own after the first paint (ombre's sidebar counts,
            # alot's and aerc's loading) is not a key's answer.
            t.settle()
            if keys:
                first, last, n = t.key("j", quiet)
                js.append(first)
                js_last.append(last)
                bytes_j.append(n)
                first, last, n = t.key("PageDown", quiet)
                pds.append(first)
                pds_last.append(last)
                bytes_pd.append(n)
        finally:
            t.close()
    hwm = median([m[0] for m in mems])
    anon = median([m[1] for m in mems])
    print("  %-34s first paint %s" % (label, fmt(median(paints), "ms")))
    if busy is not None:
        print("  %-34s counts %s" % ("", fmt(median(dones), "ms")))
    if keys:
        print("  %-34s j %s (last output %s), page-down %s (last output %s)"
              % ("", fmt(median(js), "ms"), fmt(median(js_last), "ms"),
                 fmt(median(pds), "ms"), fmt(median(pds_last), "ms")))
        print("  %-34s bytes j %d, page-down %d" % (
            "", median(bytes_j) or 0, median(bytes_pd) or 0))
    if hwm:
        print("  %-34s RSS %d kB (VmHWM), RssAnon %d kB" % ("", hwm, anon))


def main():
    stores = sys.argv[1:]
    if not stores:
        print(__doc__.strip().splitlines()[2].strip())
        return 2
    env = {"LC_ALL": "C.UTF-8", "TZ": "UTC", "TERM": "tmux-256color",
           "HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent"}
    print("ombre console, %dx%d, median of %d runs" % (WIDTH, HEIGHT, RUNS))
    for store in stores:
        store = os.path.abspath(store)
        print(store)
        measure("ombre", "%s --data-dir %s" % (OMBRE, store),
                r"Inbox +\d+\+? conversations", env, busy="counting…")
        if shutil.which("neomutt"):
            rc = write_muttrc(store)
            measure("neomutt (notmuch, nm_db_limit 1000)",
                    "env NOTMUCH_CONFIG=%s/notmuch-config neomutt -n -F %s"
                    % (store, rc), r"NeoMutt: inbox \[Msgs:", env,
                    name="neomutt")
        if shutil.which("alot"):
            measure("alot (notmuch)",
                    "env NOTMUCH_CONFIG=%s/notmuch-config alot -r -c %s "
                    "-n %s/notmuch-config search tag:inbox"
                    % (store, write_alot_config(), store),
                    # A thread's message count, "(3)", whatever its date
                    # looks like ("5 mins ago", "Nov 20", "2025"), above
                    # the status line.
                    r"\(\d+\)[\s\S]*\[0: search\] for", env,
                    name="alot", quiet=1.0)
        if shutil.which("aerc"):
            home = write_aerc_config(store)
            measure("aerc (notmuch)",
                    "env NOTMUCH_CONFIG=%s/notmuch-config HOME=%s "
                    "XDG_CONFIG_HOME=%s aerc" % (store, home, home),
                    r"\d\d:\d\d [AP]M  ", env, name="aerc")
        measure("notmuch search --limit=50",
                "notmuch --config=%s/notmuch-config search --limit=50 "
                "--sort=newest-first tag:inbox" % store,
                r"thread:[0-9a-f]{16}", env, keys=False, name="notmuch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
