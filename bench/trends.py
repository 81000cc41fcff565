#!/usr/bin/env python3
"""bench/trends.py: what `ombre trends` and spike detection cost.

    bench/trends.py [--big STORE]

On a store of the 100k demo corpus (bench/out/report-store-100000, or
$BENCH_OUT, shared with bench/report.py: `ombre demo --seed 42`, 10
messages per conversation, OMBRE_NOW=2026-11-20T10:00Z; built and its
ingest timed once, kept for the next run):

    ombre trends (7d), cold   DATA/trends removed: every hour of the two
                              weeks counted from the index
    ombre trends, warm        the closed hours from the cache (median of 7)
    ombre trends --json       warm (median of 7)
    the syncer's spike round  `ombre -v sync --once` with no channel, the
                              round's own line "spike: N told of S series,
                              H hours counted, T ms": cold, warm (nothing
                              new) and steady (one new slot), median of 5

The round's cost against ingest: trends and spikes put nothing on the
ingest path (the counts are the index's), so what the traffic costs is
the syncer's round every 5 minutes, which counts the 5-minute slot that
just ended (the rest of the last hour is kept in DATA/trends/recent):
the steady round (the newest slot dropped from the file first) * 12 per
hour, divided by the messages of the last hour (2026-11-20 09:00-10:00 in
the demo corpus), against ingest's time a message (the 100k build's
rate). This charges the round's fixed part (opening the store, reading
the cache) to the messages too.

--big STORE: a store used read-only (the 1M demo store): a directory of
symlinks to its mail folder, with its own DATA/trends, is made in
bench/out, so the cache is written beside it, never in it; ombre trends
cold and warm there. Prints figures; asserts nothing.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from report import build  # noqa: E402  the demo store, shared

OMBRE = os.environ.get("OMBRE", os.path.join(TOP, "src", "ombre"))
OUT = os.environ.get("BENCH_OUT", os.path.join(HERE, "out"))
NOW = "2026-11-20T10:00:00Z"
CONFIG = tempfile.mkdtemp(prefix="ombre-bench-trends-")


def env():
    e = dict(os.environ)
    e["OMBRE_NOW"] = NOW
    e["TZ"] = "UTC"
    e["LC_ALL"] = "C.UTF-8"
    e["XDG_CONFIG_HOME"] = CONFIG  # no hook, no channel
    e.pop("OMBRE_DATA_DIR", None)
    return e


def timed(argv):
    t0 = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, env=env(), check=True)
    return time.monotonic() - t0


def trends(store, label):
    shutil.rmtree(os.path.join(store, "trends"), ignore_errors=True)
    cold = timed([OMBRE, "--data-dir", store, "trends"])
    warm = statistics.median(timed([OMBRE, "--data-dir", store, "trends"])
                             for _ in range(7))
    js = statistics.median(timed([OMBRE, "--data-dir", store, "trends",
                                  "--json"]) for _ in range(7))
    print("%-6s ombre trends: cold %.2f s, warm %.3f s, --json warm %.3f s"
          % (label, cold, warm, js))


ROUND = re.compile(r"spike: (\d+) told of (\d+) series, (\d+) hours counted, "
                   r"(\d+) ms")


def spike_round(store):
    r = subprocess.run([OMBRE, "-v", "--data-dir", store, "sync", "--once"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=env(), text=True)
    m = ROUND.search(r.stderr)
    if m is None:
        sys.exit("no spike round line in:\n" + r.stderr[-2000:])
    return int(m.group(4)), int(m.group(3)), int(m.group(2))


def steady_round(store):
    """A round as every 5 minutes: the newest slot of DATA/trends/recent
    dropped, so it is counted again, as a slot just ended would be."""
    path = os.path.join(store, "trends", "recent")
    lines = open(path).read().splitlines(True)
    newest = max(int(l.split(" ", 1)[0]) for l in lines)
    with open(path, "w") as f:
        f.writelines(l for l in lines if int(l.split(" ", 1)[0]) != newest)
    return spike_round(store)


def last_hour(store):
    r = subprocess.run(["notmuch", "--config", os.path.join(store,
                        "notmuch-config"), "count",
                        "date:@1795165200..@1795168800"],
                       stdout=subprocess.PIPE, text=True, check=True)
    return int(r.stdout)


def main():
    args = sys.argv[1:]
    big = None
    if args[:1] == ["--big"] and len(args) == 2:
        big = args[1]
    elif args:
        sys.exit(__doc__)
    n = 100000
    store, t = build(n)
    if t is None:
        try:
            t = float(open(os.path.join(store, ".built")).read())
        except ValueError:
            t = None
    if t:
        print("100k   ingest (demo | ombre ingest): %.1f s, %.0f msg/s"
              % (t, n / t))
    trends(store, "100k")
    shutil.rmtree(os.path.join(store, "trends"), ignore_errors=True)
    shutil.rmtree(os.path.join(store, "trends"), ignore_errors=True)
    cold, hours, series = spike_round(store)
    warm = sorted(spike_round(store) for _ in range(5))[2]
    steady = sorted(steady_round(store) for _ in range(5))[2]
    print("100k   spike round (%d series): cold %d ms (%d hours counted), "
          "warm %d ms (nothing new), steady %d ms (one 5-minute slot "
          "new)" % (series, cold, hours, warm[0], steady[0]))
    warm = steady
    if t:
        rate = n / t
        hour = last_hour(store)
        per_msg = warm[0] * 12 / hour
        print("100k   the round every 5 min: %d ms an hour for the %d "
              "messages of the last hour: %.3f ms a message, %.1f %% of "
              "ingest's %.3f ms a message (ingest's own path: nothing)"
              % (warm[0] * 12, hour, per_msg, per_msg * rate / 10, 1000 / rate))
    if big:
        farm = os.path.join(OUT, "trends-farm")
        shutil.rmtree(farm, ignore_errors=True)
        os.makedirs(farm, mode=0o700)
        os.symlink(os.path.join(os.path.abspath(big), "mail"),
                   os.path.join(farm, "mail"))
        trends(farm, "big")


if __name__ == "__main__":
    main()
