#!/usr/bin/env python3
"""A fake Twilio Programmable Messaging API for ombre's tests.

Usage:
  twilio.py --port-file FILE [--account-sid AC...] [--token T] [--verbose]

Listens on 127.0.0.1 (port 0, number written to FILE), plain HTTP/1.1:

  POST /2010-04-01/Accounts/{AccountSid}/Messages.json   endpoint "messages"
      form To, From or MessagingServiceSid, Body, StatusCallback; HTTP
      Basic auth AccountSid:AuthToken (else 401 {"code":20003,"message":
      "Authenticate","more_info":...,"status":401}). Without To: 400 code
      21604; without From and MessagingServiceSid: 400 code 21603.
      -> 201 the Message resource {"sid":"SM<32 hex>","status":"queued",
      "to","from","body","direction":"outbound-api","num_segments",...}.

Control API (JSON, no auth; see common.py for faults, log, reset, state):
  POST /_control/faults  kinds:
      throttled    429 {"code":20429,"message":"Too Many Requests",...}
      status       any: "status" (400), "code", "message"
      and common.py's ("reset" performs the request, then cuts the
      connection: the message is sent, the client gets no answer).
  GET  /_control/sent    every message sent: {"sid","to","from",
                         "messaging_service_sid","body","status_callback"}
"""

import sys
import threading
import uuid
import base64

import common
from common import Response


class Twilio(common.App):
    kinds = common.COMMON_KINDS | {"throttled", "status"}

    def __init__(self, sid, token):
        super().__init__()
        self.sid = sid
        self.token = token
        self.lock = threading.Lock()
        self.sent = []

    def endpoint(self, req):
        if req.path == "/2010-04-01/Accounts/%s/Messages.json" % self.sid:
            return "messages"
        return "unknown"

    def _error(self, status, code, message):
        return Response(status, {"code": code, "message": message,
                                 "more_info": "https://www.twilio.com/docs/errors/%d" % code,
                                 "status": status})

    def fault_response(self, kind, fault, req):
        if kind == "throttled":
            return self._error(429, 20429, "Too Many Requests")
        return self._error(int(fault.get("status", 400)),
                           int(fault.get("code", 21211)),
                           fault.get("message", "Invalid 'To' Phone Number"))

    def handle(self, req):
        want = "Basic " + base64.b64encode(
            ("%s:%s" % (self.sid, self.token)).encode()).decode()
        if req.headers.get("Authorization") != want:
            return self._error(401, 20003, "Authenticate")
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
                              "status_callback": f.get("StatusCallback")})
        return Response(201, {
            "account_sid": self.sid, "api_version": "2010-04-01",
            "body": body, "direction": "outbound-api",
            "from": f.get("From"), "messaging_service_sid": f.get("MessagingServiceSid"),
            "num_media": "0", "num_segments": "1", "sid": sid,
            "status": "queued", "to": f["To"],
            "uri": "/2010-04-01/Accounts/%s/Messages/%s.json" % (self.sid, sid)})

    def control(self, req, name):
        if name == "sent" and req.method == "GET":
            with self.lock:
                return Response(200, list(self.sent))
        return None

    def state(self):
        with self.lock:
            return {"sent": len(self.sent)}


def main():
    p = common.arg_parser("A fake Twilio Messaging API.")
    p.add_argument("--account-sid", default="AC" + "0" * 32)
    p.add_argument("--token", default="twilio-T0KEN")
    args = p.parse_args()
    return common.serve(Twilio(args.account_sid, args.token), args)


if __name__ == "__main__":
    sys.exit(main())
