#!/usr/bin/env python3
"""bench/sync.py: the syncer's figures on a burst, printed (never asserted).

    bench/sync.py [TELEGRAM_UPDATES] [MATRIX_EVENTS]     default 10000 2000

Starts the local Telegram and Matrix test servers (tests/servers/), queues
a burst of updates and events, and runs `ombre sync --once` on a new store
while a console (another process, on the same store, with no channel of
its own) is sent a key every 100 ms in tmux control mode. Prints:

  sync          time until every message is stored and indexed, messages
                per second, peak RSS (VmHWM) of the syncer
  baseline      the same message files written and fsynced one by one into
                a fresh Maildir, then `notmuch new`: its rate, and ombre's
                rate as a percentage of it (target: at least 80 %)
  console       key response during the burst (time from send-keys to the
                first %output after it, and to the last one of the redraw):
                median, 95th percentile, max (target: within 50 ms
                throughout)
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import console  # noqa: E402  (the Tmux control-mode driver)

OMBRE = os.environ.get("OMBRE", os.path.join(TOP, "src", "ombre"))
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
TOKEN = "7012345678:AAH-bench-token"


def server(name, work, *args):
    port_file = os.path.join(work, name + ".port")
    proc = subprocess.Popen([PYTHON, os.path.join(TOP, "tests", "servers", name + ".py"),
                             "--port-file", port_file] + list(args),
                            stderr=subprocess.DEVNULL)
    for _ in range(200):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return proc, int(open(port_file).read())
        time.sleep(0.05)
    raise SystemExit("%s server did not start" % name)


def ctl(port, path, body):
    req = urllib.request.Request("http://127.0.0.1:%d/_control/%s" % (port, path),
                                 data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=600) as r:
        return json.load(r)


def hwm_of(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def baseline(files, work):
    """Write and fsync the files one by one, then notmuch new."""
    base = os.path.join(work, "baseline")
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(base, "mail", sub))
    t0 = time.monotonic()
    newdir = os.path.join(base, "mail", "new")
    for i, path in enumerate(files):
        with open(path, "rb") as f:
            data = f.read()
        fd = os.open(os.path.join(newdir, "%d" % i), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, data)
        os.fsync(fd)
        os.close(fd)
    dfd = os.open(newdir, os.O_RDONLY)
    os.fsync(dfd)
    os.close(dfd)
    write_s = time.monotonic() - t0
    cfg = os.path.join(base, "config")
    with open(cfg, "w") as f:
        f.write("[database]\npath=%s\n[new]\ntags=inbox;unread\n" % os.path.join(base, "mail"))
    t0 = time.monotonic()
    subprocess.run(["notmuch", "--config=" + cfg, "new", "--quiet"], check=True)
    return write_s, time.monotonic() - t0


def main():
    n_tg = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    n_mx = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    work = tempfile.mkdtemp(prefix="ombre-bench-sync-")
    env = dict(os.environ, LC_ALL="C.UTF-8", TZ="UTC", HOME=work,
               XDG_CONFIG_HOME=os.path.join(work, "config"))
    tg, tg_port = server("telegram", work, "--token", TOKEN)
    mx, mx_port = server("matrix", work, "--token", "syt_bench")
    try:
        ctl(tg_port, "generate", {"count": n_tg, "chats": 200, "seed": 1})
        ctl(mx_port, "generate", {"count": n_mx, "rooms": 40, "seed": 2})
        data = os.path.join(work, "data")
        conf = os.path.join(work, "sync.conf")
        with open(conf, "w") as f:
            f.write("channel support telegram token=%s api-url=http://127.0.0.1:%d\n"
                    % (TOKEN, tg_port))
            f.write("channel team matrix homeserver=http://127.0.0.1:%d "
                    "user=@support:localhost token=syt_bench\n" % mx_port)
        os.chmod(conf, 0o600)
        empty = os.path.join(work, "console.conf")
        open(empty, "w").close()
        subprocess.run([OMBRE, "--data-dir", data, "-c", empty, "list"],
                       env=env, stdout=subprocess.DEVNULL, check=True)

        # The console first, on the empty store: keys go to it throughout.
        term = console.Tmux("%s --data-dir %s -c %s" % (OMBRE, data, empty),
                            {"LC_ALL": "C.UTF-8", "TERM": "tmux-256color"})
        term.wait_for(r"Inbox +\d+\+? conversations", 10)
        t0 = time.monotonic()
        proc = subprocess.Popen([OMBRE, "--data-dir", data, "-c", conf, "sync", "--once"],
                                env=env, stderr=subprocess.PIPE)
        keys, lasts, hwm = [], [], 0
        while proc.poll() is None:
            hwm = max(hwm, hwm_of(proc.pid))
            first, last, _ = term.key("j" if len(keys) % 2 == 0 else "k",
                                      quiet=0.05)
            if first is not None:
                keys.append(first)
                lasts.append(last)
            time.sleep(0.05)
        sync_s = time.monotonic() - t0
        err = proc.stderr.read().decode()
        term.close()
        if proc.returncode != 0:
            print("sync --once failed:", err)
        files = []
        for sub in ("new", "cur"):
            d = os.path.join(data, "mail", "ombre", sub)
            files += [os.path.join(d, f) for f in sorted(os.listdir(d))]
        total = len(files)
        write_s, new_s = baseline(files, work)
        rate = total / sync_s
        base_rate = total / (write_s + new_s)
        print("ombre sync --once: %d Telegram updates + %d Matrix events, 2 cores" % (n_tg, n_mx))
        print("  sync      %7.1f s  %6.0f msg/s  (%d messages stored)  syncer RSS %d kB (VmHWM)"
              % (sync_s, rate, total, hwm))
        print("  baseline  %7.1f s  %6.0f msg/s  (write+fsync %.1f s, notmuch new %.1f s)"
              % (write_s + new_s, base_rate, write_s, new_s))
        print("  sync/baseline %5.0f %%" % (100 * rate / base_rate))
        for label, values in (("answer", keys), ("last output", lasts)):
            if not values:
                continue
            values.sort()
            print("  console keys during the burst (%s): %d, median %.1f ms, "
                  "p95 %.1f ms, max %.1f ms"
                  % (label, len(values), statistics.median(values),
                     values[max(0, int(len(values) * 0.95) - 1)], values[-1]))
    finally:
        for p in (tg, mx):
            p.terminate()
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
