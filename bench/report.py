#!/usr/bin/env python3
"""bench/report.py: how long `ombre report` takes on stores of 100k and 1M
messages.

    bench/report.py [SIZE...]        default sizes: 100000 (1000000 too with --big)

For each size, a store of the demo corpus (`ombre demo --seed 42`, 10
messages per conversation, OMBRE_NOW=2026-11-20T10:00Z) is built once in
bench/out/report-store-SIZE (or $BENCH_OUT) and kept for the next run. Then,
7 runs each, the median and the slowest wall time of:

    ombre report               everything, the text table
    ombre report --json        everything, JSON
    ombre report --since 8h    the conversations of the last 8 hours
    ombre report --agent NAME  one agent's (the first of the JSON's agents)

and the peak RSS (VmHWM) of one `ombre report`, read from
/usr/bin/time -f %M when it is there. Prints figures; asserts nothing.
"""
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
OMBRE = os.environ.get("OMBRE", os.path.join(TOP, "src", "ombre"))
OUT = os.environ.get("BENCH_OUT", os.path.join(HERE, "out"))
NOW = "2026-11-20T10:00:00Z"
RUNS = 7


def env():
    e = dict(os.environ)
    e["OMBRE_NOW"] = NOW
    e["TZ"] = "UTC"
    e.pop("OMBRE_DATA_DIR", None)
    return e


def build(n):
    """The demo store of n messages, built once and kept (shared with
    bench/insights.py and bench/trends.py): (its path, the build's seconds,
    or None when it was there already; .built holds them)."""
    store = os.path.join(OUT, "report-store-%d" % n)
    done = os.path.join(store, ".built")
    if os.path.exists(done):
        return store, None
    subprocess.run(["rm", "-rf", store], check=True)
    os.makedirs(OUT, exist_ok=True)
    # No config of the user's: the default rules and watch list only.
    e = env()
    e["XDG_CONFIG_HOME"] = "/nonexistent"
    t0 = time.monotonic()
    demo = subprocess.Popen([OMBRE, "demo", "--seed", "42", "--conversations",
                             str(n // 10), "--messages-per-conversation", "10"],
                            stdout=subprocess.PIPE, env=e)
    subprocess.run([OMBRE, "--data-dir", store, "ingest"], stdin=demo.stdout,
                   stdout=subprocess.DEVNULL, env=e, check=True)
    demo.wait()
    t = time.monotonic() - t0
    with open(done, "w") as f:
        f.write("%.1f\n" % t)
    return store, t


def timed(argv):
    t0 = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, env=env(), check=True)
    return time.monotonic() - t0


def series(argv):
    times = [timed(argv) for _ in range(RUNS)]
    return statistics.median(times), max(times)


def peak_rss(argv):
    if not os.path.exists("/usr/bin/time"):
        return 0
    r = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=env(), text=True)
    try:
        return int(r.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return 0


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    sizes = [int(a) for a in args] or [100000]
    if "--big" in sys.argv:
        sizes.append(1000000)
    print("ombre report, %d runs each (median / slowest), %d cores"
          % (RUNS, os.cpu_count()))
    for n in sizes:
        store, built = build(n)
        if built is not None:
            print("%-8d store built   %8.1f s" % (n, built))
        base = [OMBRE, "--data-dir", store, "report"]
        j = json.loads(subprocess.run(base + ["--json"], env=env(),
                                      capture_output=True, text=True,
                                      check=True).stdout)
        agent = sorted(j["agents"])[0] if j["agents"] else "nobody"
        print("%-8d %d messages read, %d conversations handled, %d agents"
              % (n, j["messages"], j["total"]["handled"], len(j["agents"])))
        for label, argv in (("report", base),
                            ("report --json", base + ["--json"]),
                            ("report --since 8h", base + ["--since", "8h"]),
                            ("report --agent", base + ["--agent", agent])):
            med, worst = series(argv)
            print("%-8d %-20s %8.0f ms  %8.0f ms" % (n, label, med * 1000,
                                                     worst * 1000))
        print("%-8d peak RSS %d kB" % (n, peak_rss(base)))


if __name__ == "__main__":
    main()
