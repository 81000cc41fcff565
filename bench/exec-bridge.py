#!/usr/bin/env python3
"""bench/exec-bridge.py: the exec bridge's inbound rate against `ombre ingest`.

    bench/exec-bridge.py [--count N]        default 10000

Writes N canonical JSON lines (channel signal, 500 conversations, a
customer's message each, distinct ids, dates a second apart), then:

bridge
    `ombre sync --once` on a new data dir whose config declares one exec
    channel, `command="cat LINES"`: a bridge that prints the N lines and
    exits. The syncer reads them on the bridge's stdout, stores them in
    batches (what one read brings), indexes them, and ends when the bridge
    has ended and all is indexed. Wall time from start to exit.

ingest
    `ombre ingest < LINES` on another new data dir: the same lines stored
    and indexed without a syncer. Wall time.

It prints both rates (messages a second), the ratio bridge/ingest (the
target is at least 90 %), and what `notmuch count '*'` says of both stores (equal when both
hold every message).
OMBRE=path/to/ombre measures another build; BENCH_KEEP=1 keeps the work
directory. Nothing is asserted.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
OMBRE = os.environ.get("OMBRE", os.path.join(TOP, "src", "ombre"))


def env_for(root):
    env = dict(os.environ)
    for k in ("OMBRE_DATA_DIR", "NOTMUCH_CONFIG", "NOTMUCH_DATABASE",
              "NOTMUCH_PROFILE", "MAILDIR"):
        env.pop(k, None)
    env.update({
        "HOME": os.path.join(root, "home"),
        "XDG_CONFIG_HOME": os.path.join(root, "config"),
        "XDG_DATA_HOME": os.path.join(root, "data"),
        "XDG_CACHE_HOME": os.path.join(root, "cache"),
        "XDG_RUNTIME_DIR": os.path.join(root, "run"),
        "LC_ALL": "C.UTF-8", "TZ": "UTC",
    })
    for k in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        os.makedirs(env[k], exist_ok=True)
    os.makedirs(env["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
    os.makedirs(os.path.join(env["XDG_CONFIG_HOME"], "ombre"), exist_ok=True)
    return env


def count(env):
    """notmuch count '*' on the store (thread roots included: the same in
    both stores when both hold every message)."""
    cfg = os.path.join(env["XDG_DATA_HOME"], "ombre", "notmuch-config")
    out = subprocess.run(["notmuch", "--config=" + cfg, "count", "*"],
                         env=env, capture_output=True, text=True)
    try:
        return int(out.stdout.split()[0])
    except (ValueError, IndexError):
        return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10000)
    a = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ombre-bench-exec-")
    lines = os.path.join(work, "lines.jsonl")
    base = 1795000000
    with open(lines, "w") as f:
        for i in range(a.count):
            conv = "+3361%07d" % (i % 500)
            f.write(json.dumps({
                "channel": "signal", "account": "+33600000000",
                "conversation": {"id": conv, "title": "Customer %d" % (i % 500)},
                "id": "%d.%s" % ((base + i) * 1000, conv),
                "date": base + i,
                "from": {"id": conv, "name": "Customer %d" % (i % 500),
                         "kind": "customer"},
                "text": "Message %d: where is my order? It was due on Tuesday." % i,
            }) + "\n")

    benv = env_for(os.path.join(work, "bridge"))
    cfg = os.path.join(benv["XDG_CONFIG_HOME"], "ombre", "config")
    with open(cfg, "w") as f:
        f.write('channel sig exec channel=signal account=+33600000000 '
                'command="cat %s"\n' % lines)
    os.chmod(cfg, 0o600)
    t0 = time.monotonic()
    r = subprocess.run([OMBRE, "sync", "--once"], env=benv,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    bridge_s = time.monotonic() - t0
    if r.returncode != 0:
        sys.stderr.write("sync --once failed (%d): %s\n" % (r.returncode,
                                                            r.stderr[-2000:]))
    bridge_n = count(benv)

    ienv = env_for(os.path.join(work, "ingest"))
    t0 = time.monotonic()
    with open(lines) as f:
        r = subprocess.run([OMBRE, "ingest"], env=ienv, stdin=f,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                           text=True)
    ingest_s = time.monotonic() - t0
    if r.returncode != 0:
        sys.stderr.write("ingest failed (%d): %s\n" % (r.returncode,
                                                       r.stderr[-2000:]))
    ingest_n = count(ienv)

    print("messages         %d" % a.count)
    print("bridge  (sync)   %.2f s  %.0f messages/s  stored %d" % (
        bridge_s, a.count / bridge_s, bridge_n))
    print("ingest           %.2f s  %.0f messages/s  stored %d" % (
        ingest_s, a.count / ingest_s, ingest_n))
    print("bridge/ingest    %.0f %%  (target >= 90 %%)" % (
        100.0 * ingest_s / bridge_s))
    if os.environ.get("BENCH_KEEP") == "1":
        print("kept %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
