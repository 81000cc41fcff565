#!/usr/bin/env python3
"""A fake Meta Graph API (WhatsApp Cloud API, Messenger Send API) for ombre's tests.

Usage:
  graph.py --port-file FILE [--token TOKEN] [--app-id ID] [--verbose]

  --token TOKEN   the access token every API request must bear (default
                  "graph-T0KEN"), as "Authorization: Bearer TOKEN" or as the
                  access_token query parameter (Messenger's samples use it).
  --app-id ID     the app the token belongs to: ombre's (default
                  "1122334455000"); the thread owner its sends need.

Listens on 127.0.0.1 (port 0, number written to FILE) and answers as
https://graph.facebook.com does, over plain HTTP/1.1. The server is
passive: it never posts webhooks (tests post them with meta_post.py).

Paths carry any version: /vNN.N/... (v23.0, v19.0...); another path, or an
unknown edge, is Graph's 400 code 100 "Unsupported post request" / "Unknown
path components". A missing or wrong token is 401, code 190 OAuthException.

Error bodies have Graph's shape:
  {"error": {"message": "(#CODE) Title", "type": "OAuthException",
             "code": N, "error_subcode": N (only when the error has one),
             "error_data": {"messaging_product": "whatsapp", "details": "..."}
                           (WhatsApp endpoints only),
             "fbtrace_id": "A..."}}

WhatsApp Cloud API (a POST to /{id}/messages whose body has
"messaging_product": "whatsapp"):
  POST /vN/{phone-number-id}/messages  endpoint "wa_messages"
      {"messaging_product","recipient_type","to","type","text":{"body",
      "preview_url"}, "context":{"message_id"}} or type "template" with
      "template":{"name","language":{"code"},"components":[...]} or any other
      type (image, document, interactive...: accepted as they are).
      -> {"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],
          "messages":[{"id":"wamid.<unique>"}]} (a template's message also
          has "message_status":"accepted"; "to" a BSUID, not digits: the
          contact has "user_id" instead of "wa_id", our guess). A leading
          "+" of a phone number is dropped (input and window key).
      Refusals: "to" missing, text.body missing or > 4096 characters, a
      template without name or language.code, a template not in config
      "templates" (when that list is set): code 100 (132001 for the name);
      non-template messages outside the 24-hour window: 131047 (below).
  POST /vN/{phone-number-id}/messages  endpoint "wa_read" when the body is
      {"messaging_product":"whatsapp","status":"read","message_id",
      "typing_indicator"?} -> {"success":true} (never windowed).
  GET  /vN/{media-id}                  endpoint "media": media registered by
      /_control/media -> {"messaging_product":"whatsapp","url","mime_type",
      "sha256","file_size","id"}; url is http://HOST/_media/<id>?mid=<id>&ext=...
      on this server; unknown id: 400 code 100 subcode 33.
  GET  /_media/<id>?...                endpoint "download": the bytes, with the
      registered Content-Type, only with the bearer token (else 401 code 190).

Messenger Platform (a POST to /{id}/messages without messaging_product):
  POST /vN/{page-id}/messages          endpoint "fb_messages"
      {"recipient":{"id"},"messaging_type":"RESPONSE"|"UPDATE"|"MESSAGE_TAG",
      "tag","message":{"text","metadata",...},"thread_control":{"app_id",
      "control_type":"pass"|"release"}}; JSON or form-encoded (objects then
      as JSON strings). message.text up to 2000 characters (the limit ombre
      counts; more: code 100). -> {"recipient_id","message_id":"m_<unique>"}
      ({"recipient_id","success":true} for a thread_control without message).
      A thread_control "pass" makes app_id the thread's owner after the send,
      "release" makes it idle.
      Refusals: recipient.id or messaging_type missing or unknown, MESSAGE_TAG
      without tag: code 100; another app owns the thread: code 10 subcode
      2018300 "(#10) Message failed to send because another app is controlling
      this thread now." (HTTP 400; the body Meta's Handover Protocol page for
      Instagram shows, "Exclusivity"); outside the window: code 10 subcode
      2018278 (below).
  POST /vN/{page-id}/take_thread_control     {recipient, metadata}: owner = our app
  POST /vN/{page-id}/pass_thread_control     {recipient, target_app_id, metadata}:
                                              owner = target_app_id
  POST /vN/{page-id}/release_thread_control  {recipient}: idle
  POST /vN/{page-id}/request_thread_control  {recipient, metadata}: recorded
      each -> {"success":true}, endpoint names as the path's last part. With
      config "handover_disabled" (true: all four, or a list of endpoint
      names), they answer the Conversation Routing refusal instead: HTTP 400,
      code 10 (our pick: Meta documents the message, "Handover Protocol APIs
      disabled for this page", not its code; 10 is Graph's permission error;
      config "handover_error" {"code","subcode","message"} changes it), no
      subcode; the thread stays as it was, and the client must fall back to
      the Send API's thread_control.

Windows. The server keeps each customer's last inbound time (wa_id or PSID),
set by /_control/inbound. A customer never set is inside the window unless
config "window_default" is "closed". WhatsApp, a non-template message more
than 24 h after it: HTTP 400, code 131047, "(#131047) Re-engagement
message", error_data.details "Message failed to send because more than 24
hours have passed since the customer last replied to this number.".
Messenger, more than 24 h after it: RESPONSE and UPDATE refused; MESSAGE_TAG
with tag HUMAN_AGENT allowed up to 7 days (unless config "human_agent" is
false: the permission not granted); the non-promotional tags
ACCOUNT_UPDATE, CONFIRMED_EVENT_UPDATE, POST_PURCHASE_UPDATE at any time (as
Meta's message tags page says); refused: HTTP 400, code 10, subcode 2018278,
"(#10) This message is sent outside of allowed window.". The clock is the
real one unless config "now" sets it.

Control API (JSON, no auth; see common.py for faults, log, reset, state):
  POST /_control/faults   kinds, each answered instead of the request (not
                          performed), "status" overriding the HTTP status:
      unauthorized      401 code 190 (token expired, subcode 463)
      rate_limit        WhatsApp 130429 "Rate limit hit" (HTTP 400; "status":
                        429 and "retry_after": N add Retry-After: N)
      pair_rate_limit   131056 "(Business Account, Consumer Account) pair rate
                        limit hit" (400)
      waba_rate_limit   80007 "Rate limit issues" (400)
      app_rate_limit    4 "(#4) Application request limit reached" (400)
      api_rate_limit    613 "(#613) Calls to this API have exceeded the rate
                        limit." (400)
      thread_owned      10 / 2018300, another app controls the thread (400)
      outside_window    131047 on a WhatsApp endpoint, else 10 / 2018278 (400)
      temporary         2 "An unexpected error has occurred. Please retry your
                        request later." (500)
      status            any Graph error: "status" (500), "code" (1),
                        "subcode", "message", "type" (OAuthException),
                        "details" (sets error_data)
      and common.py's slow, stall, reset, reset_before, malformed, huge,
      redirect, raw, truncate. Endpoint names for "match": wa_messages,
      wa_read, fb_messages, take_thread_control, pass_thread_control,
      release_thread_control, request_thread_control, media, download,
      unknown.
  POST /_control/inbound  {"customer": ID, "time": unix s | "ago": s (default:
                          now), "account": ID (recorded only)} or a list
                          -> {"customers": N}
  GET  /_control/inbound  {ID: {"time", "account"}}
  GET  /_control/sent     every request performed (refused ones are only in
                          the log), oldest first: {"n", "product":
                          "whatsapp"|"messenger", "endpoint", "account" (the
                          path's id), "recipient" (to / recipient.id),
                          "request" (the full JSON, form fields decoded),
                          "response", "id" (wamid / mid or null), "time"};
                          ?endpoint=NAME and ?product=P filter.
  POST /_control/media    {"id", "mime_type" (application/octet-stream),
                          "content_base64", "filename"} -> {"id", "sha256",
                          "file_size"}
  GET  /_control/threads  {PSID: {"owner": app id or null (idle), "page",
                          "requested": bool, "metadata": last metadata}}
  POST /_control/threads  {"recipient": PSID, "owner": app id or null, "page"}
                          (or a list): set who owns a thread
  GET  /_control/config   the settings below
  POST /_control/config   merged: {"handover_disabled": bool | [names],
                          "handover_error": {...}, "human_agent": bool (true),
                          "window_default": "open"|"closed", "now": unix s or
                          null, "templates": [names] or null, "wa_mps": N
                          (sends a second per phone number above which 130429;
                          null: none), "pair_interval": s (sends to one wa_id
                          closer than this: 131056; null: none), "fb_mps": N
                          (sends a second per page above which 613)}
  GET  /_control/state    {"sent", "whatsapp", "messenger", "inbound",
                          "threads", "media"}

Example:
  python3 tests/servers/graph.py --port-file /tmp/graph.port --token T &
  curl -H 'Authorization: Bearer T' -H 'Content-Type: application/json' \\
    -d '{"messaging_product":"whatsapp","to":"16315551234","type":"text",
         "text":{"body":"hi"}}' \\
    "http://127.0.0.1:$(cat /tmp/graph.port)/v23.0/106540352242922/messages"
"""

import base64
import collections
import hashlib
import itertools
import json
import os
import re
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True      # no __pycache__ in the source tree
import common  # noqa: E402
from common import ControlError, Response

VERSIONED = re.compile(r"^/v\d+\.\d+/(.*)$")
MEDIA_PATH = re.compile(r"^/_media/([^/]+)$")
HOP = ("take_thread_control", "pass_thread_control",
       "release_thread_control", "request_thread_control")
MESSAGING_TYPES = ("RESPONSE", "UPDATE", "MESSAGE_TAG")
ANYTIME_TAGS = ("ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE",
                "POST_PURCHASE_UPDATE")
DAY = 86400
REENGAGE = ("Message failed to send because more than 24 hours have passed "
            "since the customer last replied to this number.")
HANDOVER_DISABLED = "Handover Protocol APIs disabled for this page"
OWNED = ("(#10) Message failed to send because another app is controlling "
         "this thread now.")

# Graph errors by fault kind: HTTP status, code, subcode, message, details.
ERRORS = {
    "unauthorized": (401, 190, 463, "Error validating access token: Session "
                     "has expired.", None),
    "rate_limit": (400, 130429, None, "(#130429) Rate limit hit",
                   "Cloud API message throughput has been reached."),
    "pair_rate_limit": (400, 131056, None, "(#131056) (Business Account, "
                        "Consumer Account) pair rate limit hit",
                        "Message failed to send because there were too many "
                        "messages sent from this phone number to the same "
                        "phone number in a short period of time."),
    "waba_rate_limit": (400, 80007, None, "(#80007) Rate limit issues",
                        "The WhatsApp Business Account has reached its rate "
                        "limit."),
    "app_rate_limit": (400, 4, None, "(#4) Application request limit reached",
                       None),
    "api_rate_limit": (400, 613, None, "(#613) Calls to this API have exceeded "
                       "the rate limit.", None),
    "thread_owned": (400, 10, 2018300, OWNED, None),
    "temporary": (500, 2, None, "An unexpected error has occurred. Please "
                  "retry your request later.", None),
}


def fbtrace():
    return "A" + base64.urlsafe_b64encode(os.urandom(16)).decode()[:22]


def graph_error(status, code, message, subcode=None, details=None,
                whatsapp=False, etype="OAuthException", headers=None):
    err = {"message": message, "type": etype, "code": code}
    if subcode is not None:
        err["error_subcode"] = subcode
    if whatsapp or details is not None:
        err["error_data"] = {"messaging_product": "whatsapp",
                             "details": details if details is not None
                             else message}
    err["fbtrace_id"] = fbtrace()
    return Response(status, {"error": err}, headers)


def bad_param(message, whatsapp=False, subcode=None, details=None):
    return graph_error(400, 100, "(#100) " + message if not
                       message.startswith("(#") else message,
                       subcode, details if details is not None
                       else (message if whatsapp else None), whatsapp)


def unsupported(path):
    return graph_error(400, 100, "Unsupported post request. Object with ID "
                       "'%s' does not exist, cannot be loaded due to missing "
                       "permissions, or does not support this operation."
                       % path, 33)


def as_json(v):
    """A form field holding JSON (recipient={"id":..}) as its value."""
    if isinstance(v, str) and v[:1] in ("{", "["):
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def idstr(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, str)):
        return str(v)
    return None


class Graph(common.App):
    kinds = common.App.kinds | set(ERRORS) | {"outside_window"}
    huge_prefix = b'{"data":"'

    def __init__(self, token, app_id):
        super().__init__()
        self.token = token
        self.app_id = app_id
        self.lock = threading.Lock()
        self.serial = itertools.count(1)
        self.sent = []
        self.inbound = {}          # customer -> {"time", "account"}
        self.threads = {}          # PSID -> {"owner", "page", "requested", "metadata"}
        self.media = {}            # id -> {"mime_type", "content", "sha256", "filename"}
        self.recent = collections.defaultdict(collections.deque)  # rate keys
        self.last_to = {}          # wa_id -> time of the last send
        self.config = {"handover_disabled": False, "handover_error": None,
                       "human_agent": True, "window_default": "open",
                       "now": None, "templates": None, "wa_mps": None,
                       "pair_interval": None, "fb_mps": None}

    # -- helpers -------------------------------------------------------------

    def now(self):
        n = self.config.get("now")
        return float(n) if isinstance(n, (int, float)) else time.time()

    def authorized(self, req):
        auth = req.headers.get("Authorization") or ""
        if auth[:7].lower() == "bearer ":
            return auth[7:].strip() == self.token
        return req.query.get("access_token") == self.token

    def params(self, req):
        p = dict(req.query)
        p.pop("access_token", None)
        if isinstance(req.body, dict):
            p.update(req.body)
        return {k: as_json(v) for k, v in p.items()}

    def new_wamid(self, to):
        n = next(self.serial)
        raw = (b"\x1c\x18\x0b" + (to or "").encode()[:24] + b"\x15\x02\x00\x11\x18\x12"
               + hashlib.sha256(b"wamid%d%f" % (n, time.time())).digest()[:9])
        return "wamid." + base64.b64encode(raw).decode().rstrip("=")

    def new_mid(self):
        n = next(self.serial)
        raw = hashlib.sha256(b"mid%d%f" % (n, time.time())).digest()
        raw += hashlib.sha256(raw).digest()[:16]
        return "m_" + base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def record(self, product, endpoint, account, recipient, request, response,
               rid):
        with self.lock:
            self.sent.append({"n": len(self.sent) + 1, "product": product,
                              "endpoint": endpoint, "account": account,
                              "recipient": recipient, "request": request,
                              "response": response, "id": rid,
                              "time": self.now()})

    def since_inbound(self, customer):
        """Seconds since the customer's last message; None: never set."""
        with self.lock:
            rec = self.inbound.get(customer)
        if rec is None:
            return None
        return self.now() - rec["time"]

    def over_rate(self, key, per_second):
        """Count one send under key; True when the last second had more."""
        if not isinstance(per_second, (int, float)) or per_second <= 0:
            return False
        t = time.monotonic()
        with self.lock:
            q = self.recent[key]
            while q and q[0] <= t - 1.0:
                q.popleft()
            if len(q) >= per_second:
                return True
            q.append(t)
        return False

    # -- common.App hooks ----------------------------------------------------

    def endpoint(self, req):
        if MEDIA_PATH.match(req.path):
            return "download"
        m = VERSIONED.match(req.path)
        if not m:
            return "unknown"
        parts = m.group(1).strip("/").split("/")
        if len(parts) == 1 and parts[0] and req.method in ("GET", "HEAD"):
            return "media"
        if len(parts) != 2 or req.method != "POST":
            return "unknown"
        if parts[1] in HOP:
            return parts[1]
        if parts[1] != "messages":
            return "unknown"
        body = self.params(req)
        if body.get("messaging_product") == "whatsapp":
            return "wa_read" if body.get("status") == "read" else "wa_messages"
        return "fb_messages"

    def log_query(self, req):
        q = dict(req.query)
        if "access_token" in q:
            q["access_token"] = "<token>"
        return q

    def fault_response(self, kind, fault, req):
        wa = req.endpoint in ("wa_messages", "wa_read", "media", "download")
        if kind == "outside_window":
            if wa:
                return graph_error(int(fault.get("status", 400)), 131047,
                                   "(#131047) Re-engagement message", None,
                                   REENGAGE, True)
            return graph_error(int(fault.get("status", 400)), 10,
                               "(#10) This message is sent outside of allowed "
                               "window.", 2018278)
        if kind == "status":
            return graph_error(int(fault.get("status", 500)),
                               fault.get("code", 1),
                               fault.get("message", "An unknown error "
                                         "occurred"),
                               fault.get("subcode"), fault.get("details"),
                               wa and fault.get("details") is not None,
                               fault.get("type", "OAuthException"))
        status, code, subcode, message, details = ERRORS[kind]
        headers = {}
        if "retry_after" in fault:
            headers["Retry-After"] = str(fault["retry_after"])
        return graph_error(int(fault.get("status", status)), code, message,
                           subcode, details if wa else None,
                           wa and details is not None, headers=headers)

    def handle(self, req):
        m = MEDIA_PATH.match(req.path)
        if m:
            if not self.authorized(req):
                return self.bad_token(req)
            return self.download(urllib.parse.unquote(m.group(1)))
        m = VERSIONED.match(req.path)
        if not m:
            return graph_error(400, 100, "Unknown path components: %s"
                               % req.path)
        if not self.authorized(req):
            return self.bad_token(req)
        parts = [urllib.parse.unquote(x) for x in m.group(1).strip("/").split("/")]
        ep = req.endpoint
        if ep == "media":
            return self.get_media(req, parts[0])
        if req.body is not None and not isinstance(req.body, dict):
            return bad_param("Invalid parameter")
        if req.bad_json:
            return graph_error(400, 100, "(#100) Invalid parameter")
        if ep == "wa_messages":
            return self.wa_send(req, parts[0])
        if ep == "wa_read":
            return self.wa_read(req, parts[0])
        if ep == "fb_messages":
            return self.fb_send(req, parts[0])
        if ep in HOP:
            return self.hop(req, parts[0], ep)
        return unsupported("/".join(parts))

    def bad_token(self, req):
        has = (req.headers.get("Authorization") or
               req.query.get("access_token"))
        if not has:
            return graph_error(401, 190, "An active access token must be used "
                               "to query information about the current user.")
        return graph_error(401, 190, "Invalid OAuth access token - Cannot "
                           "parse access token")

    # -- WhatsApp --------------------------------------------------------------

    def wa_send(self, req, phone_id):
        p = self.params(req)
        to = idstr(p.get("to"))
        to = to.lstrip("+") if to and to.lstrip("+").isdigit() else to
        if not to:
            return bad_param("The parameter to is required.", True)
        mtype = p.get("type", "text")
        if mtype == "text":
            text = p.get("text")
            body = text.get("body") if isinstance(text, dict) else None
            if not isinstance(body, str) or not body:
                return bad_param("The parameter text['body'] is required.", True)
            if len(body) > 4096:
                return bad_param("Invalid parameter", True, details=
                                 "Param text['body'] must be at most 4096 "
                                 "characters long.")
        ctx = p.get("context")
        if ctx is not None and not (isinstance(ctx, dict) and
                                    isinstance(ctx.get("message_id"), str)):
            return bad_param("Invalid parameter", True,
                             details="Param context['message_id'] must be a "
                             "string.")
        if mtype == "template":
            tpl = p.get("template")
            name = tpl.get("name") if isinstance(tpl, dict) else None
            lang = tpl.get("language") if isinstance(tpl, dict) else None
            if not isinstance(name, str) or not name:
                return bad_param("The parameter template['name'] is required.",
                                 True)
            if not (isinstance(lang, dict) and isinstance(lang.get("code"), str)):
                return bad_param("The parameter template['language']['code'] "
                                 "is required.", True)
            known = self.config.get("templates")
            if isinstance(known, list) and name not in known:
                return graph_error(404, 132001, "(#132001) Template name does "
                                   "not exist in the translation", None,
                                   "template name (%s) does not exist in %s"
                                   % (name, lang["code"]), True)
        else:
            ago = self.since_inbound(to)
            closed = (ago > DAY if ago is not None
                      else self.config.get("window_default") == "closed")
            if closed:
                return graph_error(400, 131047, "(#131047) Re-engagement "
                                   "message", None, REENGAGE, True)
        if self.over_rate(("wa", phone_id), self.config.get("wa_mps")):
            s, c, sub, msg, det = ERRORS["rate_limit"]
            return graph_error(s, c, msg, sub, det, True)
        pair = self.config.get("pair_interval")
        if isinstance(pair, (int, float)) and pair > 0:
            t = time.monotonic()
            with self.lock:
                last = self.last_to.get(to)
                if last is not None and t - last < pair:
                    s, c, sub, msg, det = ERRORS["pair_rate_limit"]
                    return graph_error(s, c, msg, sub, det, True)
                self.last_to[to] = t
        wamid = self.new_wamid(to)
        contact = {"input": to}
        if to.lstrip("+").isdigit():
            contact["wa_id"] = to.lstrip("+")
        else:
            contact["user_id"] = to         # a BSUID (our guess at the shape)
        answer = {"messaging_product": "whatsapp", "contacts": [contact],
                  "messages": [{"id": wamid}]}
        if mtype == "template":
            answer["messages"][0]["message_status"] = "accepted"
        self.record("whatsapp", "wa_messages", phone_id, to, p, answer, wamid)
        return Response(200, answer)

    def wa_read(self, req, phone_id):
        p = self.params(req)
        if not isinstance(p.get("message_id"), str) or not p["message_id"]:
            return bad_param("The parameter message_id is required.", True)
        answer = {"success": True}
        self.record("whatsapp", "wa_read", phone_id, None, p, answer,
                    p["message_id"])
        return Response(200, answer)

    def get_media(self, req, media_id):
        with self.lock:
            rec = self.media.get(media_id)
        if rec is None:
            return unsupported(media_id)
        host = req.headers.get("Host") or "127.0.0.1"
        ext = (rec["mime_type"].split("/")[-1].split(";")[0] or "bin")
        url = "http://%s/_media/%s?mid=%s&ext=%s&hash=%s" % (
            host, urllib.parse.quote(media_id, safe=""),
            urllib.parse.quote(media_id, safe=""), ext, rec["sha256"][:16])
        return Response(200, {"messaging_product": "whatsapp", "url": url,
                              "mime_type": rec["mime_type"],
                              "sha256": rec["sha256"],
                              "file_size": len(rec["content"]),
                              "id": media_id})

    def download(self, media_id):
        with self.lock:
            rec = self.media.get(media_id)
        if rec is None:
            return graph_error(404, 100, "(#100) Media not found", 33)
        return Response(200, rec["content"], content_type=rec["mime_type"])

    # -- Messenger -------------------------------------------------------------

    def owner_of(self, psid):
        with self.lock:
            t = self.threads.get(psid)
            return t["owner"] if t else None

    def set_owner(self, psid, page, owner, **extra):
        with self.lock:
            t = self.threads.setdefault(psid, {"owner": None, "page": page,
                                               "requested": False,
                                               "metadata": None})
            t["owner"] = owner
            if page is not None:
                t["page"] = page
            t.update(extra)

    def fb_send(self, req, page_id):
        p = self.params(req)
        rcpt = p.get("recipient")
        psid = idstr(rcpt.get("id")) if isinstance(rcpt, dict) else None
        if not psid:
            return bad_param("param recipient must be non-empty.")
        msg = p.get("message")
        tc = p.get("thread_control")
        if msg is None and tc is None:
            return bad_param("param message must be non-empty.")
        if msg is not None:
            if not isinstance(msg, dict):
                return bad_param("param message must be an object.")
            text = msg.get("text")
            if text is not None and (not isinstance(text, str) or not text):
                return bad_param("param message[text] must be a non-empty "
                                 "UTF-8 encoded string")
            if isinstance(text, str) and len(text) > 2000:
                return bad_param("Length of param message[text] must be less "
                                 "than or equal to 2000")
            mtype = p.get("messaging_type")
            if mtype not in MESSAGING_TYPES:
                return bad_param("param messaging_type must be one of "
                                 "{RESPONSE, UPDATE, MESSAGE_TAG}")
            tag = p.get("tag")
            if mtype == "MESSAGE_TAG" and not (isinstance(tag, str) and tag):
                return bad_param("param tag is required when messaging_type "
                                 "is MESSAGE_TAG")
            ago = self.since_inbound(psid)
            if ago is None:
                closed = self.config.get("window_default") == "closed"
                ago = 8 * DAY if closed else 0
            allowed = ago <= DAY
            if mtype == "MESSAGE_TAG" and tag == "HUMAN_AGENT":
                allowed = ago <= 7 * DAY and (
                    ago <= DAY or self.config.get("human_agent", True))
            elif mtype == "MESSAGE_TAG" and tag in ANYTIME_TAGS:
                allowed = True
            if not allowed:
                return graph_error(400, 10, "(#10) This message is sent "
                                   "outside of allowed window.", 2018278)
        if tc is not None:
            if not (isinstance(tc, dict) and
                    tc.get("control_type") in ("pass", "release") and
                    (tc["control_type"] == "release" or idstr(tc.get("app_id")))):
                return bad_param("param thread_control must have control_type "
                                 "pass (with app_id) or release")
        owner = self.owner_of(psid)
        if owner is not None and owner != self.app_id:
            return graph_error(400, 10, OWNED, 2018300)
        if self.over_rate(("fb", page_id), self.config.get("fb_mps")):
            s, c, sub, m, d = ERRORS["api_rate_limit"]
            return graph_error(s, c, m, sub)
        if msg is not None:
            mid = self.new_mid()
            answer = {"recipient_id": psid, "message_id": mid}
        else:
            mid = None
            answer = {"recipient_id": psid, "success": True}
        if tc is not None:
            self.set_owner(psid, page_id, idstr(tc.get("app_id"))
                           if tc["control_type"] == "pass" else None)
        self.record("messenger", "fb_messages", page_id, psid, p, answer, mid)
        return Response(200, answer)

    def hop(self, req, page_id, ep):
        p = self.params(req)
        rcpt = p.get("recipient")
        psid = idstr(rcpt.get("id")) if isinstance(rcpt, dict) else None
        if not psid:
            return bad_param("param recipient must be non-empty.")
        off = self.config.get("handover_disabled")
        if off is True or (isinstance(off, list) and ep in off):
            e = self.config.get("handover_error") or {}
            return graph_error(int(e.get("status", 400)), e.get("code", 10),
                               e.get("message", "(#10) " + HANDOVER_DISABLED),
                               e.get("subcode"))
        meta = p.get("metadata")
        if ep == "take_thread_control":
            self.set_owner(psid, page_id, self.app_id, metadata=meta,
                           requested=False)
        elif ep == "pass_thread_control":
            target = idstr(p.get("target_app_id"))
            if not target:
                return bad_param("param target_app_id must be non-empty.")
            self.set_owner(psid, page_id, target, metadata=meta,
                           requested=False)
        elif ep == "release_thread_control":
            self.set_owner(psid, page_id, None)
        else:
            self.set_owner(psid, page_id, self.owner_of(psid), metadata=meta,
                           requested=True)
        answer = {"success": True}
        self.record("messenger", ep, page_id, psid, p, answer, None)
        return Response(200, answer)

    # -- control -------------------------------------------------------------------

    def control(self, req, name):
        body = req.body
        if name == "inbound" and req.method == "POST":
            items = body if isinstance(body, list) else [body]
            with self.lock:
                now = self.now()
                for it in items:
                    if not isinstance(it, dict) or not idstr(it.get("customer")):
                        raise ControlError("inbound: expected {\"customer\": ID, "
                                           "\"time\" or \"ago\"}")
                    if isinstance(it.get("time"), (int, float)):
                        t = float(it["time"])
                    elif isinstance(it.get("ago"), (int, float)):
                        t = now - it["ago"]
                    else:
                        t = now
                    cust = idstr(it["customer"])
                    if cust.lstrip("+").isdigit():
                        cust = cust.lstrip("+")
                    self.inbound[cust] = {
                        "time": t, "account": idstr(it.get("account"))}
                return Response(200, {"customers": len(self.inbound)})
        if name == "inbound" and req.method == "GET":
            with self.lock:
                return Response(200, self.inbound)
        if name == "sent" and req.method == "GET":
            with self.lock:
                out = [s for s in self.sent
                       if req.query.get("endpoint") in (None, s["endpoint"])
                       and req.query.get("product") in (None, s["product"])]
                return Response(200, out)
        if name == "media" and req.method == "POST":
            if not isinstance(body, dict) or not idstr(body.get("id")):
                raise ControlError("media: expected an object with id")
            try:
                content = base64.b64decode(body.get("content_base64", ""),
                                           validate=True)
            except ValueError:
                raise ControlError("media: content_base64 is not base64")
            rec = {"mime_type": str(body.get("mime_type",
                                             "application/octet-stream")),
                   "content": content,
                   "sha256": hashlib.sha256(content).hexdigest(),
                   "filename": body.get("filename")}
            with self.lock:
                self.media[idstr(body["id"])] = rec
            return Response(200, {"id": idstr(body["id"]),
                                  "sha256": rec["sha256"],
                                  "file_size": len(content)})
        if name == "threads" and req.method == "GET":
            with self.lock:
                return Response(200, self.threads)
        if name == "threads" and req.method == "POST":
            items = body if isinstance(body, list) else [body]
            for it in items:
                if not isinstance(it, dict) or not idstr(it.get("recipient")):
                    raise ControlError("threads: expected {\"recipient\": PSID, "
                                       "\"owner\": APP-ID or null}")
                self.set_owner(idstr(it["recipient"]), idstr(it.get("page")),
                               idstr(it.get("owner")))
            with self.lock:
                return Response(200, self.threads)
        if name == "config" and req.method == "GET":
            with self.lock:
                return Response(200, self.config)
        if name == "config" and req.method == "POST":
            if not isinstance(body, dict):
                raise ControlError("config: expected an object")
            unknown = set(body) - set(self.config)
            if unknown:
                raise ControlError("config: unknown keys %s (known: %s)"
                                   % (", ".join(sorted(unknown)),
                                      ", ".join(sorted(self.config))))
            with self.lock:
                self.config.update(body)
                return Response(200, self.config)
        return None

    def state(self):
        with self.lock:
            return {"sent": len(self.sent),
                    "whatsapp": sum(s["product"] == "whatsapp" for s in self.sent),
                    "messenger": sum(s["product"] == "messenger" for s in self.sent),
                    "inbound": len(self.inbound),
                    "threads": len(self.threads),
                    "media": len(self.media)}


def main():
    p = common.arg_parser("A fake Meta Graph API (WhatsApp Cloud API, "
                          "Messenger Platform).")
    p.add_argument("--token", default="graph-T0KEN",
                   help="the access token requests must bear")
    p.add_argument("--app-id", default="1122334455000",
                   help="the app the token belongs to (a thread's owner)")
    args = p.parse_args()
    return common.serve(Graph(args.token, args.app_id), args)


if __name__ == "__main__":
    sys.exit(main())
