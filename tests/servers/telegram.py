#!/usr/bin/env python3
"""A fake Telegram Bot API server for ombre's tests (standard library only).

Usage:
  telegram.py --port-file FILE --token TOKEN [--first-update-id N] [--verbose]

Listens on 127.0.0.1 (port 0, number written to FILE) and answers as
https://api.telegram.org does, over plain HTTP/1.1:

  /bot<TOKEN>/<method>          GET with a query string, or POST with
                                x-www-form-urlencoded or JSON; method names are
                                case-insensitive. Wrong token: 401; unknown
                                method: 404 "Not Found: method not found".
  /file/bot<TOKEN>/<file_path>  downloads of files registered by the control API
                                (endpoint name "download").

Methods (parameters from the query string and the body, body wins):
  getMe          the bot user; its id is the digits before ':' in the token.
  getUpdates     offset confirms (drops for good) every update below it; a
                 negative offset keeps only the last -offset updates; returns
                 up to limit (1..100, default 100) updates in update_id order;
                 with none queued and timeout > 0 (seconds) it waits for one or
                 for the timeout, then returns []. A newer getUpdates makes a
                 waiting one answer 409 Conflict. allowed_updates is recorded,
                 not applied.
  sendMessage    chat_id and text (1..4096 code points; empty or blank: "message
                 text is empty", longer: "message is too long"); answers the
                 Message: message_id per chat, at least 1000 and above any
                 incoming message_id of that chat; chat is the Chat seen in
                 queued updates, else {"id", "type": "private"}.
  getFile        files registered by /_control/files; else 400 "invalid file_id".
  deleteWebhook, getWebhookInfo, sendChatAction, logOut, close: harmless no-ops.
A "status" fault answers {"ok":false,"error_code":N,"description":PHRASE}
with the HTTP reason phrase ("Internal Server Error" for 500) unless the fault
gives "description". multipart/form-data bodies are parsed (text fields).

Control API (JSON, no auth; see common.py for faults, log, reset):
  POST /_control/faults     kinds: status, rate_limit ("retry_after", default 2),
                            slow, stall, reset, reset_before, malformed, huge,
                            unauthorized, conflict, blocked, migrate
                            ("migrate_to_chat_id", default -1001000000001).
  POST /_control/updates    a JSON list of Update objects; those without
                            "update_id" get the next sequential id (from 100000000
                            or --first-update-id). -> {"last_update_id": N}
                            An object {"raw_base64": B} is an update sent as the
                            bytes B (anything: invalid UTF-8, a lone surrogate,
                            an integer above 2^63, deep nesting), in which
                            "{update_id}" is replaced by the id it gets; it
                            comes in getUpdates pages between the others as
                            it is. -> also "update_ids": [...]
  POST /_control/generate   {"count": N, "chats": C, "seed": S, "start_date": unix s}
                            queues N private text messages spread over C chats
                            (ids above 2^32), deterministic from the seed, dates
                            spread from start_date (default now-3600) to now.
                            -> {"first_update_id": A, "last_update_id": B}
  POST /_control/files      {"file_id", "file_unique_id", "file_path",
                            "content_base64"} registers a downloadable file.
  GET  /_control/sent       sent messages: {"chat_id", "text", "message_id",
                            "reply_parameters", "date"}.
  GET  /_control/state      {"confirmed_offset", "queued", "last_update_id", "sent"}.

Example:
  python3 tests/servers/telegram.py --port-file /tmp/tg.port --token 123:ABC &
  curl "http://127.0.0.1:$(cat /tmp/tg.port)/bot123:ABC/getUpdates?timeout=5"
"""

import base64
import collections
import json
import random
import re
import sys
import threading
import time
import urllib.parse
from http import HTTPStatus

sys.dont_write_bytecode = True      # no __pycache__ in the source tree
import common  # noqa: E402
from common import ControlError, Response

METHODS = ["getMe", "getUpdates", "sendMessage", "getFile", "deleteWebhook",
           "getWebhookInfo", "sendChatAction", "logOut", "close"]
CANONICAL = {m.lower(): m for m in METHODS}

API_PATH = re.compile(r"^/bot([^/]*)/([^/]*)$")
FILE_PATH = re.compile(r"^/file/bot([^/]*)/(.+)$")
TOKEN_IN_PATH = re.compile(r"^(/(?:file/)?bot)[^/]*")

CONFLICT = ("Conflict: terminated by other getUpdates request; "
            "make sure that only one bot instance is running")


def tg_error(code, description, parameters=None):
    body = {"ok": False, "error_code": code, "description": description}
    if parameters is not None:
        body["parameters"] = parameters
    return Response(code, body)


def ok(result):
    return Response(200, {"ok": True, "result": result})


def raw_page(batch):
    """A getUpdates answer holding raw updates as their bytes."""
    parts = [u["_raw"] if "_raw" in u else
             json.dumps(u, ensure_ascii=False,
                        separators=(",", ":")).encode("utf-8") for u in batch]
    return Response(200, b'{"ok":true,"result":[' + b",".join(parts) + b"]}")


def int_param(params, name, default):
    v = params.get(name)
    if v is None or v == "":
        return default
    try:
        return int(v)
    except (TypeError, ValueError):
        try:
            return int(float(v))
        except (TypeError, ValueError):
            return default


def json_param(params, name):
    """A JSON-typed parameter: an object in a JSON body, a string elsewhere."""
    v = params.get(name)
    if isinstance(v, str):
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def norm_chat_id(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, str) and re.fullmatch(r"-?\d+", v.strip()):
        return int(v.strip())
    return v


class Telegram(common.App):
    kinds = common.App.kinds | {"conflict", "blocked", "migrate"}
    huge_prefix = b'{"ok":true,"result":"'

    def __init__(self, token, first_update_id):
        super().__init__()
        self.token = token
        head = token.split(":", 1)[0]
        self.bot = {"id": int(head) if head.isdigit() else 1, "is_bot": True,
                    "first_name": "Support", "username": "support_bot"}
        self.cond = threading.Condition()
        self.updates = collections.deque()   # unconfirmed, by update_id
        self.next_update_id = first_update_id
        self.last_update_id = None
        self.confirmed_offset = 0
        self.poll_gen = 0
        self.allowed_updates = None
        self.sent = []
        self.next_msg_id = {}                # chat id -> next message_id
        self.chats = {}                      # chat id -> Chat seen in updates
        self.files = {}                      # file_id -> record
        self.files_by_path = {}

    # -- common.App hooks ----------------------------------------------------

    def endpoint(self, req):
        m = API_PATH.match(req.path)
        if m:
            name = m.group(2)
            return CANONICAL.get(name.lower(), name)
        if FILE_PATH.match(req.path):
            return "download"
        return "unknown"

    def log_path(self, req):
        return TOKEN_IN_PATH.sub(r"\1<token>", req.path)

    def fault_response(self, kind, fault, req):
        if kind == "status":
            code = int(fault.get("status", 500))
            try:
                phrase = HTTPStatus(code).phrase
            except ValueError:
                phrase = "Error"
            return tg_error(code, fault.get("description", phrase))
        if kind == "rate_limit":
            n = fault.get("retry_after", 2)
            return tg_error(429, "Too Many Requests: retry after %s" % n,
                            {"retry_after": n})
        if kind == "unauthorized":
            return tg_error(401, "Unauthorized")
        if kind == "conflict":
            return tg_error(409, CONFLICT)
        if kind == "blocked":
            return tg_error(403, "Forbidden: bot was blocked by the user")
        if kind == "migrate":
            return tg_error(400, "Bad Request: group chat was upgraded to a "
                            "supergroup chat",
                            {"migrate_to_chat_id":
                             fault.get("migrate_to_chat_id", -1001000000001)})
        return tg_error(500, "Internal Server Error")

    def handle(self, req):
        unquote = urllib.parse.unquote
        m = FILE_PATH.match(req.path)
        if m:
            if unquote(m.group(1)) != self.token:
                return tg_error(401, "Unauthorized")
            return self.download(unquote(m.group(2)))
        m = API_PATH.match(req.path)
        if not m:
            return tg_error(404, "Not Found")
        if unquote(m.group(1)) != self.token:
            return tg_error(401, "Unauthorized")
        method = CANONICAL.get(unquote(m.group(2)).lower())
        if method is None:
            return tg_error(404, "Not Found: method not found")
        params = dict(req.query)
        if isinstance(req.body, dict):
            params.update(req.body)
        return getattr(self, "m_" + method.lower())(params)

    # -- API methods -----------------------------------------------------------

    def m_getme(self, p):
        return ok(self.bot)

    def _confirm(self, offset):
        """Drop the updates that offset confirms (caller holds the lock)."""
        if offset > 0:
            self.confirmed_offset = max(self.confirmed_offset, offset)
            while self.updates and self.updates[0]["update_id"] < offset:
                self.updates.popleft()
        elif offset < 0:
            while len(self.updates) > -offset:
                self.updates.popleft()

    def m_getupdates(self, p):
        offset = int_param(p, "offset", 0)
        limit = min(max(int_param(p, "limit", 100), 1), 100)
        try:
            timeout = max(float(p.get("timeout") or 0), 0.0)
        except (TypeError, ValueError):
            timeout = 0.0
        deadline = time.monotonic() + timeout
        with self.cond:
            if "allowed_updates" in p:
                self.allowed_updates = json_param(p, "allowed_updates")
            self.poll_gen += 1
            me = self.poll_gen
            self.cond.notify_all()           # an older poll answers 409
            self._confirm(offset)
            while True:
                if self.poll_gen != me:
                    return tg_error(409, CONFLICT)
                if self.updates:
                    batch = [self.updates[i]
                             for i in range(min(limit, len(self.updates)))]
                    if any("_raw" in u for u in batch):
                        return raw_page(batch)
                    return ok(batch)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return ok([])
                self.cond.wait(remaining)

    def m_sendmessage(self, p):
        chat_id = norm_chat_id(p.get("chat_id"))
        if chat_id is None or chat_id == "":
            return tg_error(400, "Bad Request: chat_id is empty")
        text = p.get("text")
        if text is None or not str(text).strip():
            return tg_error(400, "Bad Request: message text is empty")
        text = str(text)
        if len(text) > 4096:
            return tg_error(400, "Bad Request: message is too long")
        reply = json_param(p, "reply_parameters")
        with self.cond:
            mid = max(self.next_msg_id.get(chat_id, 1), 1000)
            self.next_msg_id[chat_id] = mid + 1
            chat = dict(self.chats.get(chat_id) or
                        {"id": chat_id, "type": "private"})
            msg = {"message_id": mid, "from": self.bot, "chat": chat,
                   "date": int(time.time()), "text": text}
            self.sent.append({"chat_id": chat_id, "text": text,
                              "message_id": mid, "reply_parameters": reply,
                              "date": msg["date"]})
            return ok(msg)

    def m_getfile(self, p):
        rec = self.files.get(str(p.get("file_id") or ""))
        if rec is None:
            return tg_error(400, "Bad Request: invalid file_id")
        return ok({"file_id": rec["file_id"],
                   "file_unique_id": rec["file_unique_id"],
                   "file_size": len(rec["content"]),
                   "file_path": rec["file_path"]})

    def download(self, path):
        rec = self.files_by_path.get(path)
        if rec is None:
            return tg_error(404, "Not Found")
        return Response(200, rec["content"],
                        content_type="application/octet-stream")

    def m_deletewebhook(self, p):
        return ok(True)

    def m_getwebhookinfo(self, p):
        with self.cond:
            n = len(self.updates)
        return ok({"url": "", "has_custom_certificate": False,
                   "pending_update_count": n})

    def m_sendchataction(self, p):
        return ok(True)

    def m_logout(self, p):
        return ok(True)

    def m_close(self, p):
        return ok(True)

    # -- control -----------------------------------------------------------------

    def _queue(self, updates):
        """Queue Update objects (caller holds the lock); returns their ids."""
        ids = []
        for u in updates:
            if not isinstance(u, dict):
                raise ControlError("updates: expected objects")
            if "raw_base64" in u:
                try:
                    raw = base64.b64decode(u["raw_base64"], validate=True)
                except ValueError:
                    raise ControlError("updates: raw_base64 is not base64")
                uid = u.get("update_id")
                if not isinstance(uid, int) or isinstance(uid, bool):
                    uid = self.next_update_id
                u = {"update_id": uid,
                     "_raw": raw.replace(b"{update_id}", str(uid).encode())}
            uid = u.get("update_id")
            if not isinstance(uid, int) or isinstance(uid, bool):
                uid = self.next_update_id
            if "_raw" not in u:
                u = dict({"update_id": uid}, **u)   # update_id first
                u["update_id"] = uid
            self.next_update_id = max(self.next_update_id, uid + 1)
            if self.last_update_id is None or uid > self.last_update_id:
                self.last_update_id = uid
            if self.updates and self.updates[-1]["update_id"] > uid:
                self.updates.append(u)
                self.updates = collections.deque(
                    sorted(self.updates, key=lambda x: x["update_id"]))
            else:
                self.updates.append(u)
            for v in u.values():
                if isinstance(v, dict) and isinstance(v.get("chat"), dict):
                    chat = v["chat"]
                    cid = chat.get("id")
                    if cid is not None:
                        self.chats.setdefault(cid, chat)
                        if isinstance(v.get("message_id"), int):
                            self.next_msg_id[cid] = max(
                                self.next_msg_id.get(cid, 1), v["message_id"] + 1)
            ids.append(uid)
        self.cond.notify_all()
        return ids

    def generate(self, spec):
        count = int(spec.get("count", 10))
        nchats = max(int(spec.get("chats", 1)), 1)
        seed = spec.get("seed", 0)
        rng = random.Random(seed)
        now = int(time.time())
        start = int(spec.get("start_date", now - 3600))
        span = max(now - start, 1)
        people = []
        for j in range(nchats):
            uid = 7000000000 + j * 1009 + rng.randrange(997)   # > 32 bits
            user = {"id": uid, "is_bot": False,
                    "first_name": rng.choice(common.FIRST_NAMES)}
            last = rng.choice(common.LAST_NAMES)
            if last:
                user["last_name"] = last
            if rng.random() < 0.5:
                user["username"] = "user%d_%d" % (j, rng.randrange(1000))
            user["language_code"] = rng.choice(["fr", "en", "de", "es"])
            chat = {k: v for k, v in user.items()
                    if k in ("id", "first_name", "last_name", "username")}
            chat["type"] = "private"
            people.append((user, chat))
        per_chat = [0] * nchats
        updates = []
        with self.cond:
            for k in range(count):
                j = k if k < nchats else rng.randrange(nchats)
                per_chat[j] += 1
                user, chat = people[j]
                cid = chat["id"]
                mid = self.next_msg_id.get(cid, 1)
                self.next_msg_id[cid] = mid + 1
                text = "message %d of chat %d%s" % (per_chat[j], j,
                                                    rng.choice(common.TEXT_ENDINGS))
                updates.append({"message": {
                    "message_id": mid, "from": dict(user), "chat": dict(chat),
                    "date": start + (k * span) // max(count, 1), "text": text}})
            ids = self._queue(updates)
        if not ids:
            return {"first_update_id": None, "last_update_id": self.last_update_id}
        return {"first_update_id": ids[0], "last_update_id": ids[-1]}

    def control(self, req, name):
        body = req.body
        if name == "updates" and req.method == "POST":
            if isinstance(body, dict):
                body = [body]
            if not isinstance(body, list):
                raise ControlError("updates: expected a JSON list")
            with self.cond:
                ids = self._queue(body)
                return Response(200, {"last_update_id": self.last_update_id,
                                      "update_ids": ids})
        if name == "generate" and req.method == "POST":
            return Response(200, self.generate(body if isinstance(body, dict) else {}))
        if name == "files" and req.method == "POST":
            if not isinstance(body, dict) or "file_id" not in body:
                raise ControlError("files: expected an object with file_id")
            try:
                content = base64.b64decode(body.get("content_base64", ""),
                                           validate=True)
            except ValueError:
                raise ControlError("files: content_base64 is not base64")
            fid = str(body["file_id"])
            rec = {"file_id": fid,
                   "file_unique_id": str(body.get("file_unique_id", "u" + fid)),
                   "file_path": str(body.get("file_path", "documents/" + fid)),
                   "content": content}
            with self.cond:
                self.files[fid] = rec
                self.files_by_path[rec["file_path"]] = rec
            return Response(200, {"file_id": fid, "file_path": rec["file_path"],
                                  "file_size": len(content)})
        if name == "sent" and req.method == "GET":
            with self.cond:
                return Response(200, self.sent)
        return None

    def state(self):
        with self.cond:
            return {"confirmed_offset": self.confirmed_offset,
                    "queued": len(self.updates),
                    "last_update_id": self.last_update_id,
                    "sent": len(self.sent)}


def main():
    p = common.arg_parser("A fake Telegram Bot API server.")
    p.add_argument("--token", required=True, help="the bot token")
    p.add_argument("--first-update-id", type=int, default=100000000,
                   help="first automatic update_id (default 100000000)")
    args = p.parse_args()
    return common.serve(Telegram(args.token, args.first_update_id), args)


if __name__ == "__main__":
    sys.exit(main())
