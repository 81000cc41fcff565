#!/usr/bin/env python3
"""signal-cli-bridge.py: Signal in ombre through signal-cli's JSON-RPC mode.

    channel sig exec channel=signal account=+33600000000 \\
        command="python3 /usr/share/ombre/contrib/signal-cli-bridge.py -a +33600000000"

The syncer (ombre sync) runs this program and restarts it when it dies
(ombre(1), EXEC BRIDGE). It runs `signal-cli -a ACCOUNT jsonRpc` (the
command in $SIGNAL_CLI, default "signal-cli"; signal-cli keeps its keys in
its own data directory, so no secret is ever in argv) and:

  - turns each "receive" notification's envelope into one canonical JSON
    line on stdout (what `ombre ingest` takes): a dataMessage from a
    customer, or a syncMessage.sentMessage (sent from the phone) as the
    agent's; receipts and typing notices are left out;
  - turns each {"type":"send",...} line from ombre on stdin into signal-cli's
    `send` request (recipient, or groupId for a group; a reply quotes the
    message it answers), and its answer into {"type":"sent","id":...,
    "upstream_id":...} or {"type":"failed","id":...,"reason":...}.

Message ids are "TIMESTAMP.AUTHOR" (Signal identifies a message by its
author and timestamp); a group's conversation id is "group.GROUPID".
"""
import json
import os
import shlex
import subprocess
import sys
import threading

CHANNEL = "signal"

args = sys.argv[1:]
if "-a" not in args or args.index("-a") + 1 >= len(args):
    sys.stderr.write("usage: signal-cli-bridge.py -a +NUMBER\n")
    sys.exit(2)
ACCOUNT = args[args.index("-a") + 1]

out_lock = threading.Lock()
pending = {}            # JSON-RPC id -> ombre's id
pending_lock = threading.Lock()


def emit(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def author_of(env):
    return env.get("sourceNumber") or env.get("sourceUuid") or \
        env.get("source") or "unknown"


def canonical(env):
    """One envelope as a canonical message, or None (nothing to show)."""
    author = author_of(env)
    ts = env.get("timestamp")
    data = env.get("dataMessage")
    sent = (env.get("syncMessage") or {}).get("sentMessage")
    if data is not None:
        kind = "customer"
        conv = author
        title = env.get("sourceName") or author
        from_id, from_name = author, env.get("sourceName")
    elif sent is not None:
        data = sent
        kind = "agent"
        conv = sent.get("destinationNumber") or \
            sent.get("destinationUuid") or sent.get("destination")
        title = conv
        from_id, from_name = ACCOUNT, None
    else:
        return None
    group = data.get("groupInfo") or {}
    if group.get("groupId"):
        conv = "group." + group["groupId"]
        title = group.get("groupName") or conv
    if conv is None or ts is None:
        return None
    ts = data.get("timestamp", ts)
    text = data.get("message") or ""
    if data.get("reaction"):
        return None
    for a in data.get("attachments") or []:
        name = a.get("filename") or a.get("id") or "attachment"
        text += ("\n" if text else "") + "[%s: %s]" % (
            a.get("contentType", "file"), name)
    m = {
        "channel": CHANNEL,
        "account": ACCOUNT,
        "conversation": {"id": conv, "title": title},
        "id": "%d.%s" % (ts, from_id),
        "date": int(ts // 1000),
        "from": {"id": from_id, "kind": kind},
        "text": text,
    }
    if from_name:
        m["from"]["name"] = from_name
    quote = data.get("quote")
    if quote and quote.get("id") is not None:
        qa = quote.get("authorNumber") or quote.get("authorUuid") or \
            quote.get("author") or ""
        m["reply_to"] = "%d.%s" % (quote["id"], qa)
    return m


def from_signal(proc):
    """signal-cli's stdout: notifications and answers."""
    for line in proc.stdout:
        try:
            msg = json.loads(line)
        except ValueError:
            sys.stderr.write("signal-cli wrote a line that is not JSON\n")
            continue
        if msg.get("method") == "receive":
            params = msg.get("params") or {}
            env = params.get("envelope") or \
                (params.get("result") or {}).get("envelope")
            if env is not None:
                m = canonical(env)
                if m is not None:
                    emit(m)
            continue
        rid = msg.get("id")
        with pending_lock:
            oid = pending.pop(rid, None)
        if oid is None:
            continue
        if "result" in msg:
            ts = (msg["result"] or {}).get("timestamp")
            emit({"type": "sent", "id": oid,
                  "upstream_id": "%s.%s" % (ts, ACCOUNT)})
        else:
            err = msg.get("error") or {}
            emit({"type": "failed", "id": oid,
                  "reason": "signal-cli: %s (%s)" % (
                      err.get("message", "error"), err.get("code"))})
    # signal-cli is gone: so are we (ombre starts us again).
    os._exit(1)


def to_signal(proc, n, req):
    """One ombre send request as signal-cli's send."""
    params = {"message": req.get("text", "")}
    conv = req.get("conversation", "")
    if conv.startswith("group."):
        params["groupId"] = conv[6:]
    else:
        params["recipient"] = [conv]
    rt = req.get("reply_to")
    if rt and "." in rt:
        ts, author = rt.split(".", 1)
        if ts.isdigit():
            params["quoteTimestamp"] = int(ts)
            params["quoteAuthor"] = author
    with pending_lock:
        pending[n] = req["id"]
    proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "send",
                                 "params": params, "id": n}) + "\n")
    proc.stdin.flush()


def main():
    cmd = shlex.split(os.environ.get("SIGNAL_CLI", "signal-cli"))
    proc = subprocess.Popen(cmd + ["-a", ACCOUNT, "jsonRpc"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True, bufsize=1)
    threading.Thread(target=from_signal, args=(proc,), daemon=True).start()
    n = 0
    for line in sys.stdin:
        try:
            req = json.loads(line)
        except ValueError:
            sys.stderr.write("ombre wrote a line that is not JSON\n")
            continue
        if req.get("type") != "send" or "id" not in req:
            continue
        n += 1
        try:
            to_signal(proc, n, req)
        except (BrokenPipeError, OSError):
            os._exit(1)
    proc.terminate()
    proc.wait()


if __name__ == "__main__":
    main()
