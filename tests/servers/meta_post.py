#!/usr/bin/env python3
"""Meta's side of a webhook: signed POSTs to ombre's receiver (tests, bench).

Usage:
  meta_post.py --url URL [SECRET] [SENDING] [OUTPUT] PATH...
  meta_post.py --generate-whatsapp N --phone-number-id ID [GEN] [--url URL ...]
  meta_post.py --generate-messenger N --page-id ID [GEN] [--url URL ...]

Each body is POSTed as it is, byte for byte, with Content-Type:
application/json, Meta's User-Agent (facebookexternalua) and
X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw bytes, keyed with
the app secret>, one connection per client thread kept alive.

PATH: a file holding one body (its bytes), or a directory whose *.json
files are bodies, taken in name order. Several may be given.

SECRET (the app secret; none: no signature header):
  --app-secret-file F   the first line of F (the way to prefer)
  --app-secret-env VAR  the value of the environment variable VAR
  --app-secret S        on the command line (test secrets only: any user
                        of the machine sees argv)
SENDING:
  --url URL             the receiver, e.g. http://127.0.0.1:8443/webhook/shop
  --repeat N            send every body N times (redeliveries; default 1)
  --shuffle SEED        send in an order shuffled by SEED (reordering)
  --concurrency N       N client threads (default 1: in order, one at once)
  --bad-signature       sign with another key (a well-formed, wrong header)
  --no-signature        no X-Hub-Signature-256 header
  --line                sign as LINE does instead: X-Line-Signature, the
                        Base64 of the HMAC-SHA256 of the raw bytes keyed
                        with the channel secret (given as SECRET)
  --timeout S           seconds per request (default 30)
  --expect STATUS       exit 1 unless every answer is STATUS (default: any
                        2xx); a connection failure counts as status ERR
OUTPUT:
  default               one line per request, as answers arrive:
                        "STATUS MS" (MS: answer time in milliseconds, 1
                        decimal), then the summary
  --summary             the summary only, lines "KEY VALUE":
                        requests N / status CODE N (one a code, sorted) /
                        seconds S / rate R (requests a second) / p50_ms /
                        p99_ms / max_ms
  --quiet               nothing (exit status only)
GEN (generator mode: N distinct inbound text messages, one per body, as
Meta sends them: non-ASCII escaped as \\uXXXX and "/" as "\\/"):
  --generate-whatsapp N --phone-number-id ID   WhatsApp Cloud API bodies:
                        metadata (display_phone_number, phone_number_id),
                        contacts[] (profile.name, wa_id), messages[] (from,
                        id: a unique wamid, timestamp: a string, type text)
  --generate-messenger N --page-id ID          Messenger bodies: entry time,
                        messaging[] with sender (PSID), recipient (page),
                        timestamp (ms), message (mid: a unique m_..., text)
  --waba-id ID          the entry id of WhatsApp bodies (102290129340398)
  --display-phone-number N                     (15550783881)
  --customers C         spread over C customers (default min(N, 50))
  --seed S              deterministic ids, names and texts (default 1)
  --start UNIX          first timestamp (default now - N seconds); the
                        others spread one second apart
  --out DIR             write the bodies to DIR/NNNNNNN.json
  --canonical FILE      write ombre's canonical JSON line of each message
                        (what `ombre ingest` takes) to FILE
  with neither --url nor --out, the bodies are printed, one a line.

Exit status: 0, or 1 when an answer was not the expected one, 2 on usage.

Examples:
  meta_post.py --url http://127.0.0.1:$PORT/webhook/shop \\
      --app-secret-file secret tests/corpora/meta/wa-text.json
  meta_post.py --generate-whatsapp 1000 --phone-number-id 106540352242922 \\
      --app-secret-file secret --url http://127.0.0.1:$PORT/webhook/shop \\
      --concurrency 8 --summary
"""

import argparse
import base64
import collections
import hashlib
import hmac
import http.client
import json
import math
import os
import random
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True      # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

PHRASES = [
    "Hi, my order hasn't arrived yet",
    "Bonjour, ma commande #FR-%d n'est toujours pas arrivée",
    "Can I change the delivery address?",
    "Je veux parler à un humain",
    "What are your opening hours?",
    "The parcel came damaged, can I get a refund?",
    "¿Tienen esto en talla M?",
    "Thanks, that works!",
    "I was charged twice for order %d",
    "Hallo, ist der Artikel %d wieder lieferbar?",
    "ok",
    "Où est mon colis ? Suivi : https://example.org/track/%d",
]
COUNTRIES = [("1631555", 4), ("447700900", 3), ("3361234", 4),
             ("4915123", 5), ("5511987", 5), ("91987654", 4)]


def meta_json(obj):
    """The bytes as Meta sends them: compact, \\uXXXX, and "\\/"."""
    return json.dumps(obj, ensure_ascii=True,
                      separators=(",", ":")).replace("/", "\\/").encode()


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def people(rng, n, kind):
    out, seen = [], set()
    while len(out) < n:
        if kind == "whatsapp":
            prefix, digits = rng.choice(COUNTRIES)
            uid = prefix + "".join(rng.choice("0123456789")
                                   for _ in range(digits))
        else:
            uid = str(rng.randrange(10 ** 15, 10 ** 16))
        if uid in seen:
            continue
        seen.add(uid)
        last = rng.choice(common.LAST_NAMES)
        name = rng.choice(common.FIRST_NAMES) + (" " + last if last else "")
        out.append((uid, name))
    return out


def text_of(rng, k):
    t = rng.choice(PHRASES)
    if "%d" in t:
        t = t % rng.randrange(1000, 99999)
    return t + rng.choice(common.TEXT_ENDINGS[:12]) + " [%d]" % k


def wamid(rng, wa_id):
    hexid = "".join(rng.choice("0123456789ABCDEF") for _ in range(20))
    w = wa_id.encode()
    raw = (b"\x1c\x18" + bytes([len(w)]) + w + b"\x15\x02\x00\x12\x18\x14"
           + hexid.encode() + b"\x00")
    return "wamid." + base64.b64encode(raw).decode()


def mid(rng):
    return "m_" + base64.urlsafe_b64encode(
        bytes(rng.randrange(256) for _ in range(64))).decode().rstrip("=")


def generate(args):
    """[(body bytes, canonical dict)] of the generator options."""
    rng = random.Random(args.seed)
    wa = args.generate_whatsapp is not None
    n = args.generate_whatsapp if wa else args.generate_messenger
    ncust = args.customers or max(1, min(n, 50))
    who = people(rng, ncust, "whatsapp" if wa else "messenger")
    start = args.start if args.start is not None else int(time.time()) - n
    out, ids = [], set()
    for k in range(n):
        uid, name = who[k % ncust] if k < ncust else rng.choice(who)
        ts = start + k
        text = text_of(rng, k)
        if wa:
            mid_ = wamid(rng, uid)
            while mid_ in ids:
                mid_ = wamid(rng, uid)
            body = {"object": "whatsapp_business_account", "entry": [{
                "id": args.waba_id, "changes": [{"value": {
                    "messaging_product": "whatsapp",
                    "metadata": {"display_phone_number": args.display_phone_number,
                                 "phone_number_id": args.phone_number_id},
                    "contacts": [{"profile": {"name": name}, "wa_id": uid}],
                    "messages": [{"from": uid, "id": mid_, "timestamp": str(ts),
                                  "text": {"body": text}, "type": "text"}]},
                    "field": "messages"}]}]}
            canon = {"channel": "whatsapp", "account": args.phone_number_id,
                     "conversation": {"id": uid, "title": name}, "id": mid_,
                     "date": rfc3339(ts),
                     "from": {"id": uid, "name": name, "kind": "customer"},
                     "text": text}
        else:
            mid_ = mid(rng)
            while mid_ in ids:
                mid_ = mid(rng)
            ms = ts * 1000 + rng.randrange(1000)
            body = {"object": "page", "entry": [{
                "id": args.page_id, "time": ms + rng.randrange(50, 900),
                "messaging": [{"sender": {"id": uid},
                               "recipient": {"id": args.page_id},
                               "timestamp": ms,
                               "message": {"mid": mid_, "text": text}}]}]}
            canon = {"channel": "messenger", "account": args.page_id,
                     "conversation": {"id": uid, "title": uid}, "id": mid_,
                     "date": rfc3339(ts),
                     "from": {"id": uid, "name": uid, "kind": "customer"},
                     "text": text}
        ids.add(mid_)
        out.append((meta_json(body), canon))
    return out


def read_bodies(paths):
    bodies = []
    for p in paths:
        if os.path.isdir(p):
            for name in sorted(os.listdir(p)):
                if name.endswith(".json"):
                    with open(os.path.join(p, name), "rb") as f:
                        bodies.append(f.read())
        else:
            with open(p, "rb") as f:
                bodies.append(f.read())
    return bodies


def secret_of(args):
    if args.app_secret_file:
        with open(args.app_secret_file, "rb") as f:
            return f.readline().rstrip(b"\r\n")
    if args.app_secret_env:
        v = os.environ.get(args.app_secret_env)
        if v is None:
            sys.exit("meta_post.py: %s is not set" % args.app_secret_env)
        return v.encode()
    if args.app_secret is not None:
        return args.app_secret.encode()
    return None


def line_signature(secret, body, bad):
    key = secret + b"-not-it" if bad else secret
    return base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()
                            ).decode("ascii")


def signature(secret, body, bad):
    key = secret + b"-not-it" if bad else secret
    return "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def percentile(sorted_ms, q):
    if not sorted_ms:
        return 0.0
    i = min(len(sorted_ms) - 1, max(0, math.ceil(q * len(sorted_ms)) - 1))
    return sorted_ms[i]


def post_all(args, bodies, secret):
    u = urllib.parse.urlsplit(args.url)
    if u.scheme != "http" or not u.hostname:
        sys.exit("meta_post.py: --url must be http://HOST:PORT/PATH")
    host, port = u.hostname, u.port or 80
    target = (u.path or "/") + ("?" + u.query if u.query else "")
    order = [b for b in bodies for _ in range(args.repeat)]
    if args.shuffle is not None:
        random.Random(args.shuffle).shuffle(order)
    work = collections.deque(enumerate(order))
    lock = threading.Lock()
    results = []                    # (status, ms)

    def client():
        conn = None
        while True:
            with lock:
                if not work:
                    break
                _, body = work.popleft()
            headers = {"Content-Type": "application/json",
                       "User-Agent": "facebookexternalua"}
            if secret is not None and not args.no_signature and args.line:
                headers["X-Line-Signature"] = line_signature(
                    secret, body, args.bad_signature)
            elif secret is not None and not args.no_signature:
                headers["X-Hub-Signature-256"] = signature(
                    secret, body, args.bad_signature)
            t = time.monotonic()
            status = "ERR"
            for attempt in (1, 2):
                reused = conn is not None
                try:
                    if conn is None:
                        conn = http.client.HTTPConnection(host, port,
                                                          timeout=args.timeout)
                    conn.request("POST", target, body=body, headers=headers)
                    r = conn.getresponse()
                    r.read()
                    status = str(r.status)
                    if r.getheader("Connection", "").lower() == "close":
                        conn.close()
                        conn = None
                    break
                except (OSError, http.client.HTTPException):
                    if conn is not None:
                        conn.close()
                    conn = None
                    # a kept-alive connection the server had closed: once
                    # more on a new one; a new connection failing is ERR
                    if not reused:
                        break
            ms = (time.monotonic() - t) * 1000.0
            with lock:
                results.append((status, ms))
                if not args.summary and not args.quiet:
                    sys.stdout.write("%s %.1f\n" % (status, ms))
                    sys.stdout.flush()
        if conn is not None:
            conn.close()

    t0 = time.monotonic()
    threads = [threading.Thread(target=client)
               for _ in range(max(1, args.concurrency))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.monotonic() - t0
    if not args.quiet:
        hist = collections.Counter(s for s, _ in results)
        ms = sorted(m for _, m in results)
        lines = ["requests %d" % len(results)]
        lines += ["status %s %d" % (k, hist[k]) for k in sorted(hist)]
        lines += ["seconds %.3f" % elapsed,
                  "rate %.1f" % (len(results) / elapsed if elapsed > 0 else 0),
                  "p50_ms %.1f" % percentile(ms, 0.50),
                  "p99_ms %.1f" % percentile(ms, 0.99),
                  "max_ms %.1f" % (ms[-1] if ms else 0.0)]
        sys.stdout.write("\n".join(lines) + "\n")
    if args.expect is not None:
        ok = all(s == args.expect for s, _ in results)
    else:
        ok = all(s.startswith("2") for s, _ in results)
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(
        description="POST webhook bodies signed as Meta signs them.",
        epilog="See the module's docstring for the details.")
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--url")
    p.add_argument("--app-secret-file")
    p.add_argument("--app-secret-env")
    p.add_argument("--app-secret")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--shuffle", type=int)
    p.add_argument("--concurrency", type=int, default=1)
    p.add_argument("--bad-signature", action="store_true")
    p.add_argument("--line", action="store_true")
    p.add_argument("--no-signature", action="store_true")
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--expect")
    p.add_argument("--summary", action="store_true")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--generate-whatsapp", type=int, metavar="N")
    p.add_argument("--generate-messenger", type=int, metavar="N")
    p.add_argument("--phone-number-id")
    p.add_argument("--page-id")
    p.add_argument("--waba-id", default="102290129340398")
    p.add_argument("--display-phone-number", default="15550783881")
    p.add_argument("--customers", type=int)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--start", type=int)
    p.add_argument("--out")
    p.add_argument("--canonical")
    args = p.parse_args()

    gen = args.generate_whatsapp is not None or args.generate_messenger is not None
    if args.generate_whatsapp is not None and args.generate_messenger is not None:
        p.error("one of --generate-whatsapp and --generate-messenger")
    if args.generate_whatsapp is not None and not args.phone_number_id:
        p.error("--generate-whatsapp needs --phone-number-id")
    if args.generate_messenger is not None and not args.page_id:
        p.error("--generate-messenger needs --page-id")
    if args.repeat < 1 or args.concurrency < 1:
        p.error("--repeat and --concurrency take a number >= 1")
    if gen:
        items = generate(args)
        bodies = [b for b, _ in items]
        if args.canonical:
            with open(args.canonical, "w", encoding="utf-8") as f:
                for _, c in items:
                    f.write(json.dumps(c, ensure_ascii=False,
                                       separators=(",", ":")) + "\n")
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            for i, b in enumerate(bodies):
                with open(os.path.join(args.out, "%07d.json" % i), "wb") as f:
                    f.write(b)
        if not args.url and not args.out:
            out = sys.stdout.buffer
            for b in bodies:
                out.write(b + b"\n")
            out.flush()
        bodies += read_bodies(args.paths)
    else:
        if not args.paths:
            p.error("no PATH to send (or --generate-whatsapp / --generate-messenger)")
        bodies = read_bodies(args.paths)
    if not args.url:
        if not gen:
            p.error("--url is required to send")
        return 0
    return post_all(args, bodies, secret_of(args))


if __name__ == "__main__":
    sys.exit(main())
