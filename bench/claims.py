#!/usr/bin/env python3
"""bench/claims.py: claims under load, figures printed (never asserted).

    bench/claims.py [--agents 8] [--queue 1000] [--rate 20] [--dir DIR]
                    [--pick oldest|spread] [--list each|once]

The issue's figure: AGENTS agent processes claim from a queue of QUEUE
unassigned conversations, each paced at RATE claims a second (a claim
starts every 1/RATE s, or at once when the last one ran late). Each agent
takes the oldest conversation of its own view of the queue (`ombre list
--json --view Unassigned`, read again when it runs out), claims it with
`ombre claim CONV --agent NAME`, and on a refusal (exit 1, "bob took it 2 s
ago") takes the next one. With --pick spread each agent starts at a
random one of the oldest 4 x AGENTS instead, as people looking at one list
do, rather than all on the same conversation (the worst case, the
default). With --list once an agent reads its view once and claims its
share of it (every AGENTS-th conversation from its own rank, as a team
splitting a queue does), winning or not, reading it again only when it
runs out, rather than after every won claim (the default): the figure is
then the claims' own, without an `ombre list` of the whole queue each
time. A claim's latency is the wall time of its
`ombre claim` process: waiting for the database's write lock, reading the
assignee, writing the claimed event.

Printed: claims won and refused, the throughput of won claims over the
run's wall time, p50/p90/p99/max claim latency, and the exactly-once
check (claimed events in the store, conversations with one assignee,
with two, and any exit status other than 0 and 1).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
OMBRE = os.environ.get("OMBRE", os.path.join(TOP, "src", "ombre"))


def run(args, env, **kw):
    return subprocess.run([OMBRE] + args, env=env, capture_output=True,
                          text=True, **kw)


def make_queue(env, n):
    lines = []
    for k in range(n):
        lines.append(json.dumps({
            "channel": "sms", "account": "bench",
            "conversation": {"id": "q%d" % k}, "id": "q%d" % k,
            "date": "2026-11-19T%02d:%02d:%02dZ" % (k // 3600 % 24,
                                                   k // 60 % 60, k % 60),
            "from": {"id": "c%d" % k, "kind": "customer"},
            "text": "queue %d" % k}))
    r = subprocess.run([OMBRE, "ingest"], env=env, input="\n".join(lines)
                       + "\n", capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("ingest failed: " + r.stderr)


def unassigned(env):
    r = run(["list", "--json", "--view", "Unassigned", "--limit",
             "1000000"], env)
    ids = [json.loads(l)["id"] for l in r.stdout.splitlines() if l]
    ids.reverse()       # oldest first
    return ids


class Agent(threading.Thread):
    def __init__(self, name, env, rate, spread=0, relist=True, rank=0,
                 agents=1):
        super().__init__()
        self.relist, self.rank, self.agents = relist, rank, agents
        self.spread = spread
        self.name, self.env, self.period = name, env, 1.0 / rate
        self.won, self.refused, self.other = 0, 0, []
        self.latencies = []

    def run(self):
        nxt = time.monotonic()
        while True:
            queue = unassigned(self.env)
            if not queue:
                return
            if self.spread:
                k = random.randrange(min(self.spread, len(queue)))
                queue = queue[k:] + queue[:k]
            if not self.relist:     # its share, or what is left
                queue = queue[self.rank::self.agents] or queue
            for conv in queue:
                now = time.monotonic()
                if now < nxt:
                    time.sleep(nxt - now)
                nxt = max(nxt + self.period, time.monotonic())
                t0 = time.monotonic()
                r = run(["claim", conv, "--agent", self.name], self.env)
                self.latencies.append(time.monotonic() - t0)
                if r.returncode == 0:
                    self.won += 1
                    if self.relist:
                        break   # read the queue again: others moved on
                    continue
                if r.returncode == 1 and " took it " in r.stdout:
                    self.refused += 1
                    continue
                self.other.append((r.returncode, r.stdout + r.stderr))
                return


def pct(values, p):
    values = sorted(values)
    k = min(len(values) - 1, max(0, int(round(p / 100.0 * len(values))) - 1))
    return values[k]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--agents", type=int, default=8)
    ap.add_argument("--queue", type=int, default=1000)
    ap.add_argument("--rate", type=float, default=20.0)
    ap.add_argument("--dir")
    ap.add_argument("--pick", choices=["oldest", "spread"], default="oldest")
    ap.add_argument("--list", choices=["each", "once"], default="each")
    a = ap.parse_args()
    top = a.dir or tempfile.mkdtemp(prefix="ombre-claims-")
    env = dict(os.environ, XDG_DATA_HOME=os.path.join(top, "data"),
               XDG_CONFIG_HOME=os.path.join(top, "config"), HOME=top,
               LC_ALL="C.UTF-8")
    env.pop("OMBRE_NOW", None)
    os.makedirs(env["XDG_DATA_HOME"], exist_ok=True)
    make_queue(env, a.queue)
    spread = 4 * a.agents if a.pick == "spread" else 0
    agents = [Agent("agent%d" % i, env, a.rate, spread, a.list == "each",
                    i, a.agents)
              for i in range(a.agents)]
    t0 = time.monotonic()
    for g in agents:
        g.start()
    for g in agents:
        g.join()
    wall = time.monotonic() - t0
    lat = [x for g in agents for x in g.latencies]
    won = sum(g.won for g in agents)
    refused = sum(g.refused for g in agents)
    other = [o for g in agents for o in g.other]
    data = os.path.join(env["XDG_DATA_HOME"], "ombre")
    nm = ["notmuch", "--config=" + os.path.join(data, "notmuch-config")]

    def count(q, what="threads"):
        return int(subprocess.run(nm + ["count", "--output=" + what, q],
                                  capture_output=True, text=True).stdout)
    events = count("property:ombre.event=claimed", "messages")
    one = count("Channel:sms and tag:/^ombre\\/assigned\\//")
    names = [g.name for g in agents]
    two = sum(count("tag:ombre/assigned/%s and tag:ombre/assigned/%s" %
                    (x, y)) for i, x in enumerate(names) for y in names[i + 1:])
    print("agents %d, queue %d, pace %g claims/s each (offered %g/s), "
          "pick %s, list %s" % (a.agents, a.queue, a.rate, a.agents * a.rate,
                                a.pick, a.list))
    print("wall %.1f s; claims won %d, refused %d, other failures %d" %
          (wall, won, refused, len(other)))
    print("throughput %.1f claims won/s, %.1f claim attempts/s" %
          (won / wall, (won + refused) / wall))
    if lat:
        print("claim latency p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms"
              % (statistics.median(lat) * 1000, pct(lat, 90) * 1000,
                 pct(lat, 99) * 1000, max(lat) * 1000))
    print("exactly once: %s (claimed events %d, conversations assigned %d "
          "of %d, with two assignees %d)" %
          ("yes" if events == a.queue == one == won and two == 0 and
           not other else "NO", events, one, a.queue, two))
    for rc, text in other[:5]:
        print("  failure: exit %d: %s" % (rc, text.strip()[:200]))


if __name__ == "__main__":
    main()
