#!/usr/bin/env python3
"""A fake signal-cli in its jsonRpc mode (signal-cli -a +NUMBER jsonRpc),
speaking as signal-cli-jsonrpc(5) shows: one JSON-RPC request a line on
stdin, responses and "receive" notifications a line on stdout.

State lives in $FAKE_SIGNAL_DIR:
  inbox/*.json   envelopes to receive, oldest name first; each is moved to
                 received/ once its notification is written and flushed
                 (signal-cli acknowledges a message to the server once it
                 has handed it on), so a restart receives the rest.
  sent.log       one JSON line per `send` performed (recipient, message,
                 quote), the server's view: what the customers got.
  crash-on-send  when present, the next `send` is performed, logged, and
                 the process dies before answering (the file is removed):
                 a reply whose delivery is unknown.
  pid            this process's pid.
Only send is implemented (with recipient or groupId, quoteTimestamp and
quoteAuthor); other methods answer JSON-RPC error -32601.
"""
import json
import os
import select
import sys
import time

args = sys.argv[1:]
account = None
if "-a" in args:
    account = args[args.index("-a") + 1]
if "jsonRpc" not in args:
    sys.stderr.write("fake signal-cli: only jsonRpc is implemented\n")
    sys.exit(2)
d = os.environ.get("FAKE_SIGNAL_DIR", ".")
inbox = os.path.join(d, "inbox")
received = os.path.join(d, "received")
os.makedirs(inbox, exist_ok=True)
os.makedirs(received, exist_ok=True)
with open(os.path.join(d, "pid"), "w") as f:
    f.write("%d\n" % os.getpid())
# What a secret given by the environment looked like here (its length
# only), so that a test sees it arrived without it being in argv.
with open(os.path.join(d, "env"), "w") as f:
    f.write("SIGNAL_PASSWORD %d\n" % len(os.environ.get("SIGNAL_PASSWORD", "")))
out = sys.stdout
stamp = [1764000000000]


def emit(obj):
    out.write(json.dumps(obj) + "\n")
    out.flush()


def receive_pending():
    for name in sorted(os.listdir(inbox)):
        if not name.endswith(".json"):
            continue
        path = os.path.join(inbox, name)
        with open(path) as f:
            envelope = json.load(f)
        emit({"jsonrpc": "2.0", "method": "receive",
              "params": {"envelope": envelope, "account": account}})
        os.rename(path, os.path.join(received, name))


def handle(line):
    try:
        req = json.loads(line)
    except ValueError:
        emit({"jsonrpc": "2.0", "id": None,
              "error": {"code": -32700, "message": "Parse error"}})
        return
    rid = req.get("id")
    if req.get("method") != "send":
        emit({"jsonrpc": "2.0", "id": rid,
              "error": {"code": -32601, "message": "Method not found"}})
        return
    p = req.get("params") or {}
    if not p.get("message") and not p.get("attachments"):
        emit({"jsonrpc": "2.0", "id": rid,
              "error": {"code": -1, "message": "No message given"}})
        return
    stamp[0] += 1
    with open(os.path.join(d, "sent.log"), "a") as f:
        f.write(json.dumps({"recipient": p.get("recipient"),
                            "groupId": p.get("groupId"),
                            "message": p.get("message"),
                            "quoteTimestamp": p.get("quoteTimestamp"),
                            "quoteAuthor": p.get("quoteAuthor"),
                            "timestamp": stamp[0]}) + "\n")
    crash = os.path.join(d, "crash-on-send")
    if os.path.exists(crash):
        os.unlink(crash)
        os._exit(1)
    emit({"jsonrpc": "2.0", "id": rid, "result": {"timestamp": stamp[0],
          "results": [{"type": "SUCCESS"}]}})


buf = b""
while True:
    receive_pending()
    r, _, _ = select.select([0], [], [], 0.05)
    if not r:
        continue
    chunk = os.read(0, 65536)
    if not chunk:
        break
    buf += chunk
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        if line.strip():
            handle(line.decode("utf-8", "replace"))
