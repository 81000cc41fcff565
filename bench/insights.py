#!/usr/bin/env python3
"""bench/insights.py: how long `ombre insights --since 30d` takes, and its
peak RSS, on stores of 100k and 1M messages.

    bench/insights.py [SIZE...] [--big] [--no-report] [--store DIR]...

For each size, the store of bench/report.py is used (the demo corpus,
`ombre demo --seed 42`, 10 messages per conversation,
OMBRE_NOW=2026-11-20T10:00Z, in bench/out/report-store-SIZE or
$BENCH_OUT), built once if it is not there; --store DIR times a store
built that way elsewhere (only read). Then, RUNS runs each (default 5),
the median and the slowest wall time of:

    ombre insights --since 30d          the text
    ombre insights --since 30d --json
    ombre insights --since 7d
    ombre report --since 30d            for comparison (not with --no-report)

and the median CPU time (user + system: steadier than the wall time on
a loaded machine), with the peak RSS (ru_maxrss of the child) of one `insights --since 30d`,
and how many customer messages it read. Prints figures; asserts nothing.
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from report import build  # noqa: E402  the demo store, shared

OMBRE = os.environ.get("OMBRE", os.path.join(TOP, "src", "ombre"))
NOW = "2026-11-20T10:00:00Z"
RUNS = int(os.environ.get("RUNS", "5"))


def env():
    e = dict(os.environ)
    e["OMBRE_NOW"] = NOW
    e["TZ"] = "UTC"
    e.pop("OMBRE_DATA_DIR", None)
    # No config of the user's: the default watch list only.
    e["XDG_CONFIG_HOME"] = "/nonexistent"
    return e


def run(argv):
    """Wall time, CPU time (user + system) and peak RSS (kB) of one run."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, env=env())
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: %s" % " ".join(argv))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def series(argv):
    runs = [run(argv) for _ in range(RUNS)]
    return (statistics.median(r[0] for r in runs), max(r[0] for r in runs),
            statistics.median(r[1] for r in runs))


def bench(label, store, report=True):
    base = [OMBRE, "--data-dir", store]
    j = json.loads(subprocess.run(base + ["insights", "--since", "30d",
                                          "--json"], env=env(),
                                  capture_output=True, text=True,
                                  check=True).stdout)
    print("%-8s %d customer messages in %d conversations in 30 days; top "
          "topic %r (%d)" % (label, j["messages"], j["conversations"],
                             j["topics"][0]["key"] if j["topics"] else "",
                             j["topics"][0]["count"] if j["topics"] else 0))
    for name, argv in (
            ("insights --since 30d", ["insights", "--since", "30d"]),
            ("insights --json", ["insights", "--since", "30d", "--json"]),
            ("insights --since 7d", ["insights", "--since", "7d"]),
            ("report --since 30d", ["report", "--since", "30d"])):
        if name.startswith("report") and not report:
            continue
        med, worst, cpu = series(base + argv)
        print("%-8s %-22s %8.0f ms  %8.0f ms  CPU %6.0f ms"
              % (label, name, med * 1000, worst * 1000, cpu * 1000))
    _, _, rss = run(base + ["insights", "--since", "30d"])
    print("%-8s peak RSS %d kB" % (label, rss))


def main():
    argv = sys.argv[1:]
    stores = []
    while "--store" in argv:
        i = argv.index("--store")
        stores.append(argv[i + 1])
        del argv[i:i + 2]
    sizes = [int(a) for a in argv if not a.startswith("--")]
    if not sizes and not stores:
        sizes = [100000]
    if "--big" in argv:
        sizes.append(1000000)
    print("ombre insights, %d runs each (wall median / slowest, CPU median), "
          "%d cores, load %.1f" % (RUNS, os.cpu_count(), os.getloadavg()[0]))
    for n in sizes:
        store, built = build(n)
        if built is not None:
            print("%-8d store built   %8.1f s" % (n, built))
        bench(str(n), store, "--no-report" not in argv)
    for store in stores:
        bench(os.path.basename(store.rstrip("/")).split("-")[-1], store,
              "--no-report" not in argv)


if __name__ == "__main__":
    main()
