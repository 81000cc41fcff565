#!/usr/bin/env python3
"""bridge-skeleton.py: the smallest exec bridge, to adapt for Viber, WeChat,
Slack, a web chat widget or any channel ombre has no adapter for.

    channel chat exec channel=webchat account=site \\
        env-api-token-command="pass show webchat/token" \\
        command="python3 /path/to/bridge-skeleton.py"

The protocol (ombre(1), EXEC BRIDGE), newline-delimited JSON both ways:
  stdout  one canonical message a line (what `ombre ingest` takes), and the
          answers to sends: {"type":"sent","id":ID,"upstream_id":...} or
          {"type":"failed","id":ID,"reason":"..."};
  stdin   the replies: {"type":"send","id":ID,"conversation":...,
          "account":...,"channel":...,"text":...,"reply_to":...};
  stderr  free text, logged by the syncer (sanitised, a few lines at most).
Secrets come by the environment (env-api-token-command= gives API_TOKEN),
never in argv. Exit when the platform cannot be reached: ombre starts the
bridge again with a back-off. Say `idempotent=yes` on the channel only if
the platform drops a repeated send id: ombre then resends a reply cut off
by a crash instead of marking it "delivery unknown".

As shipped it is an echo bridge for trying the protocol out: each line of
the file $SKELETON_INBOX (if set) that is "CONVERSATION<TAB>TEXT" is a
customer's message, and each reply is "sent" at once and appended to
$SKELETON_OUTBOX. Replace poll_platform() and send_platform().
"""
import json
import os
import select
import sys
import time

CHANNEL = os.environ.get("SKELETON_CHANNEL", "webchat")
ACCOUNT = os.environ.get("SKELETON_ACCOUNT", "site")
TOKEN = os.environ.get("API_TOKEN", "")      # from env-api-token-command=

seen = 0


def emit(obj):
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def poll_platform():
    """New customer messages as canonical dicts (here: from a file)."""
    global seen
    path = os.environ.get("SKELETON_INBOX")
    if not path or not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    new, seen_before = lines[seen:], seen
    seen = len(lines)
    msgs = []
    for i, line in enumerate(new, seen_before + 1):
        conv, _, text = line.partition("\t")
        msgs.append({
            "channel": CHANNEL,
            "account": ACCOUNT,
            "conversation": {"id": conv, "title": conv},
            "id": "in-%d" % i,          # the platform's stable id
            "date": int(time.time()),
            "from": {"id": conv, "kind": "customer"},
            "text": text,
        })
    return msgs


def send_platform(req):
    """Deliver one reply; return the platform's id or raise with why."""
    path = os.environ.get("SKELETON_OUTBOX")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"conversation": req["conversation"],
                                "text": req["text"]}) + "\n")
    return "up-" + req["id"]


def main():
    buf = b""
    while True:
        for m in poll_platform():
            emit(m)
        r, _, _ = select.select([0], [], [], 0.2)
        if not r:
            continue
        chunk = os.read(0, 65536)
        if not chunk:
            return          # ombre is stopping
        buf += chunk
        while b"\n" in buf:
            line, buf = buf.split(b"\n", 1)
            try:
                req = json.loads(line)
            except ValueError:
                continue
            if req.get("type") != "send":
                continue
            try:
                emit({"type": "sent", "id": req["id"],
                      "upstream_id": send_platform(req)})
            except Exception as e:  # the platform refused it
                emit({"type": "failed", "id": req["id"], "reason": str(e)})


if __name__ == "__main__":
    main()
