#!/usr/bin/env python3
"""Twilio's side of a webhook: form POSTs signed as Twilio signs them.

Usage:
  twilio_post.py --url URL --public-url PUBLIC --token T [--bad-signature]
                 [--no-signature] [--expect STATUS] KEY=VALUE...

The body is the KEY=VALUE pairs form-encoded (application/x-www-form-
urlencoded); X-Twilio-Signature is the Base64 of the HMAC-SHA1, keyed with
the auth token, of PUBLIC followed by each key and value sorted by key.
Prints "STATUS CONTENT-TYPE" and the body; exit 1 unless STATUS is the one
expected (default 200).
"""

import argparse
import base64
import hashlib
import hmac
import sys
import urllib.error
import urllib.parse
import urllib.request


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--public-url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--bad-signature", action="store_true")
    p.add_argument("--no-signature", action="store_true")
    p.add_argument("--expect", type=int, default=200)
    p.add_argument("pairs", nargs="*")
    a = p.parse_args()
    pairs = [tuple(kv.split("=", 1)) for kv in a.pairs]
    data = a.public_url + "".join(k + v for k, v in sorted(pairs))
    key = (a.token + ("-not-it" if a.bad_signature else "")).encode()
    sig = base64.b64encode(hmac.new(key, data.encode(), hashlib.sha1).digest()).decode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if not a.no_signature:
        headers["X-Twilio-Signature"] = sig
    req = urllib.request.Request(a.url, data=urllib.parse.urlencode(pairs).encode(),
                                 headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, ctype, body = r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        status, ctype, body = e.code, e.headers.get("Content-Type"), e.read()
    print(status, ctype)
    sys.stdout.write(body.decode("utf-8", "replace"))
    return 0 if status == a.expect else 1


if __name__ == "__main__":
    sys.exit(main())
