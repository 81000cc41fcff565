#!/usr/bin/env python3
"""A fake LINE Messaging API (api.line.me and api-data.line.me) for ombre's tests.

Usage:
  line.py --port-file FILE [--token TOKEN] [--verbose]

  --token TOKEN   the channel access token requests must bear as
                  "Authorization: Bearer TOKEN" (default "line-T0KEN");
                  else 401 {"message":"Authentication failed. ..."}.

Listens on 127.0.0.1 (port 0, number written to FILE) and answers both the
API and the data API (the same server serves api-url= and data-api-url=),
over plain HTTP/1.1. It never posts webhooks (tests post them with
line_post.py). Bodies as LINE's reference shows them:

  POST /v2/bot/message/reply   endpoint "reply"
      {"replyToken","messages":[1..5 {"type":"text","text"}]}
      -> 200 {"sentMessages":[{"id","quoteToken"}]}. A reply token is good
      once, for 60 s after /_control/token made it (or any token never
      made, unless config "strict_tokens" is true): else 400 {"message":
      "Invalid reply token"}.
  POST /v2/bot/message/push    endpoint "push"
      {"to","messages":[...]}, header X-Line-Retry-Key (optional, a UUID;
      another form: 400 "The retry key is invalid"). A key seen before
      (whatever the fault that cut the answer) -> 409 {"message":"The retry
      key is already accepted","sentMessages":[...the first time's]}; the
      message is not sent again. -> 200 {"sentMessages":[{"id","quoteToken"}]}.
  GET  /v2/bot/message/{id}/content  endpoint "content": the bytes given by
      /_control/content, with their Content-Type; unknown id: 404
      {"message":"Not found"}.
  POST /v2/bot/chat/markAsRead  endpoint "mark_read" {"markAsReadToken"} -> 200 {}.

Control API (JSON, no auth; see common.py for faults, log, reset, state):
  POST /_control/faults  kinds, answered instead of the request:
      quota        429 {"message":"You have reached your monthly limit."}
      rate_limit   429 {"message":"The API rate limit has been exceeded.
                   Try again later."} ("retry_after": N adds Retry-After)
      unauthorized 401 {"message":"Authentication failed. Confirm that the
                   access token in the authorization header is valid."}
      status       any: "status" (500), "message", "details" [{message,property}]
      and common.py's kinds ("reset" performs the request, then cuts the
      connection: a push is then recorded with its retry key).
      Endpoint names for "match": reply, push, content, mark_read, unknown.
  POST /_control/token    {"token": T} or a list: a reply token, fresh now
  POST /_control/content  {"id", "content_base64", "mime_type"}
  GET  /_control/sent     every message sent, oldest first: {"n", "endpoint"
                          (reply|push), "to" (push) or "replyToken", "text",
                          "retry_key", "id"}
  GET  /_control/log      (common) each entry also has "retry_key".
"""

import base64
import re
import sys
import threading
import time

import common
from common import ControlError, Response

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                     r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class Line(common.App):
    kinds = common.COMMON_KINDS | {"quota", "rate_limit", "unauthorized",
                                   "status"}
    json_only = False

    def __init__(self, token):
        super().__init__()
        self.token = token
        self.lock = threading.Lock()
        self.sent = []
        self.tokens = {}          # token -> time made (None: used)
        self.retry = {}           # retry key -> sentMessages
        self.content = {}
        self.config = {"strict_tokens": False}
        self.next_id = 100000

    def endpoint(self, req):
        p = req.path
        if p == "/v2/bot/message/reply":
            return "reply"
        if p == "/v2/bot/message/push":
            return "push"
        if p == "/v2/bot/chat/markAsRead":
            return "mark_read"
        if re.match(r"^/v2/bot/message/[^/]+/content$", p):
            return "content"
        return "unknown"

    def received(self, req):
        req.entry["retry_key"] = req.headers.get("X-Line-Retry-Key")

    def fault_response(self, kind, fault, req):
        if kind == "quota":
            return Response(429, {"message":
                                  "You have reached your monthly limit."})
        if kind == "rate_limit":
            h = {}
            if "retry_after" in fault:
                h["Retry-After"] = fault["retry_after"]
            return Response(429, {"message": "The API rate limit has been "
                                  "exceeded. Try again later."}, h)
        if kind == "unauthorized":
            return self._unauth()
        body = {"message": fault.get("message", "An error occurred.")}
        if "details" in fault:
            body["details"] = fault["details"]
        return Response(int(fault.get("status", 500)), body)

    def _unauth(self):
        return Response(401, {"message": "Authentication failed. Confirm "
                              "that the access token in the authorization "
                              "header is valid."})

    def _new_sent(self):
        self.next_id += 1
        return {"id": str(461230966842064000 + self.next_id),
                "quoteToken": "q%d" % self.next_id}

    def _messages(self, body):
        msgs = body.get("messages") if isinstance(body, dict) else None
        if not isinstance(msgs, list) or not 1 <= len(msgs) <= 5:
            return None, Response(400, {"message": "The request body has 1 "
                                        "error(s)", "details": [{
                                            "message": "Size must be between "
                                            "1 and 5", "property": "messages"}]})
        return msgs, None

    def handle(self, req):
        auth = req.headers.get("Authorization") or ""
        if auth != "Bearer " + self.token:
            return self._unauth()
        ep = req.endpoint
        with self.lock:
            if ep == "reply":
                msgs, err = self._messages(req.body)
                if err:
                    return err
                tok = req.body.get("replyToken")
                made = self.tokens.get(tok, "never")
                if (made is None or (made == "never" and
                                     self.config["strict_tokens"]) or
                        (made != "never" and time.time() - made > 60)):
                    return Response(400, {"message": "Invalid reply token"})
                self.tokens[tok] = None
                out = []
                for m in msgs:
                    s = self._new_sent()
                    out.append(s)
                    self.sent.append({"n": len(self.sent) + 1,
                                      "endpoint": "reply", "replyToken": tok,
                                      "text": m.get("text"), "retry_key": None,
                                      "id": s["id"]})
                return Response(200, {"sentMessages": out})
            if ep == "push":
                key = req.headers.get("X-Line-Retry-Key")
                if key is not None and not UUID_RE.match(key):
                    return Response(400, {"message": "The retry key is "
                                          "invalid"})
                if key is not None and key in self.retry:
                    return Response(409, {"message": "The retry key is "
                                          "already accepted",
                                          "sentMessages": self.retry[key]})
                msgs, err = self._messages(req.body)
                if err:
                    return err
                if not isinstance(req.body.get("to"), str):
                    return Response(400, {"message": "The request body has "
                                          "1 error(s)", "details": [{
                                              "message": "must be specified",
                                              "property": "to"}]})
                out = []
                for m in msgs:
                    s = self._new_sent()
                    out.append(s)
                    self.sent.append({"n": len(self.sent) + 1,
                                      "endpoint": "push",
                                      "to": req.body["to"],
                                      "text": m.get("text"),
                                      "retry_key": key, "id": s["id"]})
                if key is not None:
                    self.retry[key] = out
                return Response(200, {"sentMessages": out})
            if ep == "mark_read":
                if not isinstance(req.body, dict) or not isinstance(
                        req.body.get("markAsReadToken"), str):
                    return Response(400, {"message": "markAsReadToken "
                                          "must be specified"})
                self.sent.append({"n": len(self.sent) + 1,
                                  "endpoint": "mark_read",
                                  "token": req.body["markAsReadToken"]})
                return Response(200, {})
            if ep == "content":
                mid = req.path.split("/")[4]
                c = self.content.get(mid)
                if c is None:
                    return Response(404, {"message": "Not found"})
                return Response(200, c[0], content_type=c[1])
        return Response(404, {"message": "Not found"})

    def control(self, req, name):
        body = req.body
        with self.lock:
            if name == "token" and req.method == "POST":
                items = body if isinstance(body, list) else [body]
                for t in items:
                    if not isinstance(t, dict) or "token" not in t:
                        raise ControlError("token: expected {\"token\"}")
                    self.tokens[t["token"]] = time.time() - t.get("ago", 0)
                return Response(200, {"tokens": len(self.tokens)})
            if name == "content" and req.method == "POST":
                if not isinstance(body, dict) or "id" not in body:
                    raise ControlError("content: expected {\"id\", ...}")
                self.content[str(body["id"])] = (
                    base64.b64decode(body.get("content_base64", "")),
                    body.get("mime_type", "application/octet-stream"))
                return Response(200, {"content": len(self.content)})
            if name == "sent" and req.method == "GET":
                return Response(200, list(self.sent))
            if name == "config" and req.method == "POST":
                self.config.update(body)
                return Response(200, self.config)
        return None

    def state(self):
        with self.lock:
            return {"sent": len(self.sent), "retry_keys": len(self.retry)}


def main():
    p = common.arg_parser("A fake LINE Messaging API.")
    p.add_argument("--token", default="line-T0KEN",
                   help="the channel access token requests must bear")
    args = p.parse_args()
    return common.serve(Line(args.token), args)


if __name__ == "__main__":
    sys.exit(main())
