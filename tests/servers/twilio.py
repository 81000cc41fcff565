#!/usr/bin/env python3
"""A fake Twilio Programmable Messaging API for ombre's tests.

Usage:
  twilio.py --port-file FILE [--account-sid AC...] [--token T]
            [--page-size N] [--verbose]

Listens on 127.0.0.1 (port 0, number written to FILE), plain HTTP/1.1:

  POST /2010-04-01/Accounts/{AccountSid}/Messages.json   endpoint "messages"
      form To, From or MessagingServiceSid, Body, StatusCallback; HTTP
      Basic auth AccountSid:AuthToken (else 401 {"code":20003,"message":
      "Authenticate","more_info":...,"status":401}). Without To: 400 code
      21604; without From and MessagingServiceSid: 400 code 21603.
      -> 201 the Message resource {"sid":"SM<32 hex>","status":"queued",
      "to","from","body","direction":"outbound-api","num_segments",...}.

  GET  /2010-04-01/Accounts/{AccountSid}/Messages.json   endpoint "list"
      the Messages list (Basic auth), filtered by To, From and DateSent>
      (a day, YYYY-MM-DD: date_sent on that day or after), newest first;
      PageSize capped at --page-size; paged by next_page_uri (PageToken:
      the page goes on after the row it names, so a message arriving
      meanwhile shifts nothing). Shaped as Twilio's page: "messages",
      "next_page_uri" (null on the last), "page", "page_size", "uri",
      "first_page_uri", "previous_page_uri", "start", "end"; each row a
      Message resource with RFC 2822 dates ("Thu, 30 Jul 2015 20:12:31
      +0000") and "num_media" a string.
  GET  .../Messages/{Sid}/Media.json                       endpoint "media"
      the message's Media list: {"media_list": [{"sid": "ME...",
      "content_type", "parent_sid", "uri": ".../Media/ME....json"}], ...}
  GET  .../Messages/{Sid}/Media/{MediaSid}                 endpoint "content"
      the media's bytes.

Control API (JSON, no auth; see common.py for faults, log, reset, state):
  POST /_control/faults  kinds:
      throttled    429 {"code":20429,"message":"Too Many Requests",...}
      status       any: "status" (400), "code", "message"
      bad_row      the list page answered with one more inbound row that
                   cannot be a message (no sid, date_sent "yesterday")
      and common.py's ("reset" performs the request, then cuts the
      connection: the message is sent, the client gets no answer;
      "malformed" a page that is no JSON).
  GET  /_control/sent    every message sent: {"sid","to","from",
                         "messaging_service_sid","body","status_callback"}
  POST /_control/inbound a message received (or a list of them):
                         {"from", "to", "body", "sid" (else a new SM/MM
                         one), "date_sent" (Unix seconds, else now),
                         "media": [content types], "status" ("received")}
                         -> {"sids": [...]}
  POST /_control/status  a sent message's status as the list shows it:
                         {"sid", "status", "error_code"}

The list holds the messages sent too (direction "outbound-api", status
"queued" until /_control/status says more).
"""

import sys
import threading
import time
import urllib.parse
import uuid
import base64

import common
from common import Response


class Twilio(common.App):
    kinds = common.COMMON_KINDS | {"throttled", "status", "bad_row"}

    def __init__(self, sid, token, page_size):
        super().__init__()
        self.sid = sid
        self.token = token
        self.page_size = page_size
        self.lock = threading.Lock()
        self.sent = []
        self.inbound = []

    def endpoint(self, req):
        base = "/2010-04-01/Accounts/%s/Messages" % self.sid
        if req.path == base + ".json":
            return "list" if req.method == "GET" else "messages"
        parts = req.path[len(base):].split("/") if req.path.startswith(base + "/") else []
        if len(parts) == 3 and parts[2] == "Media.json":
            return "media"
        if len(parts) == 4 and parts[2] == "Media":
            return "content"
        return "unknown"

    @staticmethod
    def rfc2822(t):
        return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(t))

    def resource(self, m):
        uri = "/2010-04-01/Accounts/%s/Messages/%s" % (self.sid, m["sid"])
        if "status_callback" in m:          # one we sent
            return {
                "account_sid": self.sid, "api_version": "2010-04-01",
                "body": m["body"], "date_created": self.rfc2822(m["date_sent"]),
                "date_sent": self.rfc2822(m["date_sent"]),
                "date_updated": self.rfc2822(m["date_sent"]),
                "direction": "outbound-api", "error_code": m["error_code"],
                "error_message": None, "from": m["from"],
                "messaging_service_sid": m["messaging_service_sid"],
                "num_media": "0", "num_segments": "1", "price": None,
                "price_unit": "USD", "sid": m["sid"], "status": m["status"],
                "to": m["to"], "uri": uri + ".json"}
        return {
            "account_sid": self.sid, "api_version": "2010-04-01",
            "body": m["body"], "date_created": self.rfc2822(m["date_sent"]),
            "date_sent": self.rfc2822(m["date_sent"]),
            "date_updated": self.rfc2822(m["date_sent"]),
            "direction": "inbound", "error_code": None, "error_message": None,
            "from": m["from"], "messaging_service_sid": None,
            "num_media": str(len(m["media"])), "num_segments": "1",
            "price": None, "price_unit": "USD", "sid": m["sid"],
            "status": m["status"], "to": m["to"],
            "subresource_uris": {"media": uri + "/Media.json",
                                 "feedback": uri + "/Feedback.json"},
            "uri": uri + ".json"}

    def list_page(self, req, bad_row):
        q = req.query
        day = q.get("DateSent>")
        rows = [m for m in self.inbound + self.sent
                if (not q.get("To") or m["to"] == q["To"])
                and (not q.get("From") or m["from"] == q["From"])
                and (not day or time.strftime("%Y-%m-%d", time.gmtime(m["date_sent"])) >= day)]
        rows.sort(key=lambda m: (-m["date_sent"], m["sid"]))
        try:
            size = max(1, min(int(q.get("PageSize", 50)), self.page_size, 1000))
            page = int(q.get("Page", 0))
        except ValueError:
            return self._error(400, 20001, "Invalid paging")
        start = 0
        token = q.get("PageToken", "")
        if token.startswith("PA"):
            after = [i for i, m in enumerate(rows) if m["sid"] == token[2:]]
            start = after[0] + 1 if after else len(rows)
        chunk = rows[start:start + size]
        base = req.path
        keep = {k: v for k, v in q.items() if k not in ("Page", "PageToken")}
        keep["PageSize"] = str(size)
        first = base + "?" + urllib.parse.urlencode(keep)
        nxt = None
        if start + size < len(rows):
            nxt = base + "?" + urllib.parse.urlencode(
                dict(keep, Page=str(page + 1), PageToken="PA" + chunk[-1]["sid"]))
        messages = [self.resource(m) for m in chunk]
        if bad_row:
            messages.insert(0, {"account_sid": self.sid, "body": "sans sid",
                                "date_sent": "yesterday", "direction": "inbound",
                                "from": "+33600000000", "to": q.get("To"),
                                "status": "received", "num_media": "0"})
        return Response(200, {
            "messages": messages, "next_page_uri": nxt, "page": page,
            "page_size": size, "uri": req.path + "?" + urllib.parse.urlencode(q),
            "first_page_uri": first, "previous_page_uri": None,
            "start": start, "end": start + max(len(chunk), 1) - 1})

    def media_list(self, req):
        msid = req.path.split("/")[-2]
        m = [m for m in self.inbound if m["sid"] == msid]
        if not m:
            return self._error(404, 20404, "The requested resource was not found")
        base = "/2010-04-01/Accounts/%s/Messages/%s/Media" % (self.sid, msid)
        items = [{"account_sid": self.sid, "content_type": ct,
                  "parent_sid": msid, "sid": "ME%s%02d" % (msid[2:32], i),
                  "date_created": self.rfc2822(m[0]["date_sent"]),
                  "uri": "%s/ME%s%02d.json" % (base, msid[2:32], i)}
                 for i, ct in enumerate(m[0]["media"])]
        return Response(200, {"media_list": items, "next_page_uri": None,
                               "page": 0, "page_size": 50,
                               "uri": base + ".json"})

    def _error(self, status, code, message):
        return Response(status, {"code": code, "message": message,
                                 "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                                 "status": status})

    def handle(self, req):
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (self.sid, self.token)).encode()).decode()
        if req.headers.get("Authorization") != want:
            return self._error(401, 20003, "Authenticate")
        if req.endpoint == "list" or req.endpoint == "media":
            with self.lock:
                if req.endpoint == "media":
                    return self.media_list(req)
                return self.list_page(req, getattr(req, "bad_row", False))
        if req.endpoint == "content":
            return Response(200, b"\xff\xd8\xff\xe0 a JPEG of " +
                            req.path.split("/")[-1].encode())
        if req.endpoint != "messages" or req.method != "POST":
            return self._error(404, 20404, "The requested resource was not found")
        f = req.body if isinstance(req.body, dict) else {}
        if not f.get("To"):
            return self._error(400, 21604, "A 'To' phone number is required.")
        if not f.get("From") and not f.get("MessagingServiceSid"):
            return self._error(400, 21603, "A 'From' phone number is required.")
        sid = "SM" + uuid.uuid4().hex
        body = f.get("Body", "")
        with self.lock:
            self.sent.append({"sid": sid, "to": f["To"], "from": f.get("From"),
                              "messaging_service_sid": f.get("MessagingServiceSid"),
                              "body": body,
                              "status_callback": f.get("StatusCallback"),
                              "status": "queued", "error_code": None,
                              "date_sent": int(time.time())})
        return Response(201, {
            "account_sid": self.sid, "api_version": "2010-04-01",
            "body": body, "direction": "outbound-api",
            "from": f.get("From"), "messaging_service_sid": f.get("MessagingServiceSid"),
            "num_media": "0", "num_segments": "1", "sid": sid,
            "status": "queued", "to": f["To"],
            "uri": "/2010-04-01/Accounts/%s/Messages/%s.json" % (self.sid, sid)})

    def fault_response(self, kind, fault, req):
        if kind == "bad_row":
            req.bad_row = True
            return self.handle(req)
        if kind == "throttled":
            return self._error(429, 20429, "Too Many Requests")
        return self._error(int(fault.get("status", 400)),
                           int(fault.get("code", 21211)),
                           fault.get("message", "Invalid 'To' Phone Number"))

    def control(self, req, name):
        if name == "sent" and req.method == "GET":
            with self.lock:
                return Response(200, list(self.sent))
        if name == "status" and req.method == "POST":
            with self.lock:
                for m in self.sent:
                    if m["sid"] == req.body.get("sid"):
                        m["status"] = req.body.get("status", m["status"])
                        m["error_code"] = req.body.get("error_code")
                        return Response(200, m)
            raise common.ControlError("status: no message sent with that sid", 404)
        if name == "inbound" and req.method == "POST":
            items = req.body if isinstance(req.body, list) else [req.body]
            sids = []
            with self.lock:
                for it in items:
                    media = list(it.get("media", []))
                    sid = it.get("sid") or (("MM" if media else "SM") + uuid.uuid4().hex)
                    self.inbound.append({
                        "sid": sid, "from": it["from"], "to": it["to"],
                        "body": it.get("body", ""), "media": media,
                        "status": it.get("status", "received"),
                        "date_sent": int(it.get("date_sent", time.time()))})
                    sids.append(sid)
            return Response(200, {"sids": sids})
        return None

    def state(self):
        with self.lock:
            return {"sent": len(self.sent), "inbound": len(self.inbound)}


def main():
    p = common.arg_parser("A fake Twilio Messaging API.")
    p.add_argument("--account-sid", default="AC" + "0" * 32)
    p.add_argument("--token", default="twilio-T0KEN")
    p.add_argument("--page-size", type=int, default=50,
                   help="the most rows a list page holds")
    args = p.parse_args()
    return common.serve(Twilio(args.account_sid, args.token, args.page_size), args)


if __name__ == "__main__":
    sys.exit(main())
