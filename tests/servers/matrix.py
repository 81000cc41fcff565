#!/usr/bin/env python3
"""A fake Matrix client-server API homeserver for ombre's tests (stdlib only).

Usage:
  matrix.py --port-file FILE [--user @support:localhost] [--password secret]
            [--token syt_test_token] [--device-id OMBRE] [--timeline-limit 10]
            [--verbose]

Listens on 127.0.0.1 (port 0, number written to FILE). One user, with a
password and a static access token (whose device is --device-id). API under
/_matrix/client/v3/ (r0 accepted too); token as "Authorization: Bearer T" or
?access_token=T; missing: 401 M_MISSING_TOKEN, wrong: 401 M_UNKNOWN_TOKEN.

Endpoints (endpoint names, as used by faults and the log, in brackets):
  GET  /_matrix/client/versions                           [versions]
  GET|POST login                                           [login]
  POST logout                                              [logout]
  GET  account/whoami                                      [whoami]
  POST user/{userId}/filter, GET user/{userId}/filter/{id} [filter]
  GET  sync?since=&timeout=(ms)&filter=&full_state=        [sync]
  GET  rooms/{roomId}/messages?from=&dir=b|f&limit=&filter= [messages]
  PUT  rooms/{roomId}/send/{eventType}/{txnId}             [send]
  GET  joined_rooms                                        [joined_rooms]
  GET  rooms/{roomId}/state[/{type}[/{stateKey}]]          [state]
  GET  rooms/{roomId}/joined_members                       [joined_members]
  GET  profile/{userId}[/displayname]                      [profile]
  GET|PUT user/{userId}[/rooms/{roomId}]/account_data/{type} [account_data]
  GET  user/{userId}/rooms/{roomId}/tags, PUT|DELETE .../tags/{tag} [tags]
  POST rooms/{roomId}/read_markers                         [read_markers]
  POST rooms/{roomId}/receipt/{type}/{eventId}             [receipt]
  PUT  rooms/{roomId}/typing/{userId}                      [typing]

The event stream is one global ordered log; every event and account data
change takes the next position N. Tokens "s<N>" (next_batch) and "t<N>"
(prev_batch, /messages) both mean "just after position N". State events
(those with a state_key, e.g. the ones made by /_control/rooms) come down
/sync in "state", never in "timeline", and are not paged by /messages.
A sync timeline holds at most the filter's room.timeline.limit events
(default --timeline-limit), the newest ones, with limited:true when there were
more; /messages omits "end" when there are no more events in that direction.
PUT send is idempotent per (device of the access token, room, txnId); the
sending device sees unsigned.transaction_id on its events in /sync.

Control API (JSON, no auth; see common.py for faults, log, reset):
  POST /_control/faults    kinds: status ("error": its text), rate_limit
                           ("retry_after" s, default 2),
                           slow, stall, reset, reset_before, malformed, huge,
                           unauthorized.
  POST /_control/rooms     {"room_id", "name", "members": [{"user_id",
                           "displayname"}], "direct": bool, "bridge": {"protocol",
                           "displayname", "channel_id"?, "bridgebot"?},
                           "encrypted": bool} -> {"room_id", "created"}
  POST /_control/events    {"room_id", "events": [{"type", "sender", "content",
                           "origin_server_ts"?, "state_key"?}]}
                           -> {"event_ids": [...], "position": N}
                           An event {"raw_base64": B, "type"?} is sent as the
                           bytes B (anything: invalid UTF-8, an integer above
                           2^63, deep nesting), "{event_id}" in them replaced by
                           its id, in /sync timelines and /messages chunks.
  POST /_control/generate  {"count": N, "rooms": R, "seed": S, "start_ts": ms}
                           creates direct rooms !gen<J>:SERVER if missing and N
                           m.text messages from their members.
  GET  /_control/events?room_id=R   every event of R (all rooms without
                           room_id) in order, with "room_id", "_position" and,
                           for sends, "_device_id" and "_txn_id".
  GET  /_control/state     {"position", "rooms", "events", "sends" (PUT send
                           requests received), "send_events" (events they made)}

Example:
  python3 tests/servers/matrix.py --port-file /tmp/mx.port &
  curl -H 'Authorization: Bearer syt_test_token' \\
       "http://127.0.0.1:$(cat /tmp/mx.port)/_matrix/client/v3/sync?timeout=5000"
"""

import base64
import bisect
import fnmatch
import json
import random
import re
import secrets
import string
import sys
import threading
import time
import urllib.parse

sys.dont_write_bytecode = True      # no __pycache__ in the source tree
import common  # noqa: E402
from common import ControlError, Response

PREFIX = re.compile(r"^/_matrix/client/(?:v3|r0)/(.*)$")
MAX_EVENT = 65536

# (methods, path pattern ("*" = one segment, captured), endpoint, handler, auth)
ROUTES = [
    ({"GET", "POST"}, ("login",), "login", "login", False),
    ({"POST"}, ("logout",), "logout", "logout", True),
    ({"GET"}, ("account", "whoami"), "whoami", "whoami", True),
    ({"POST"}, ("user", "*", "filter"), "filter", "post_filter", True),
    ({"GET"}, ("user", "*", "filter", "*"), "filter", "get_filter", True),
    ({"GET"}, ("sync",), "sync", "sync", True),
    ({"GET"}, ("joined_rooms",), "joined_rooms", "joined_rooms", True),
    ({"GET"}, ("rooms", "*", "messages"), "messages", "messages", True),
    ({"PUT"}, ("rooms", "*", "send", "*", "*"), "send", "send", True),
    ({"GET"}, ("rooms", "*", "state"), "state", "room_state", True),
    ({"GET"}, ("rooms", "*", "state", "*"), "state", "state_event", True),
    ({"GET"}, ("rooms", "*", "state", "*", "*"), "state", "state_event", True),
    ({"GET"}, ("rooms", "*", "joined_members"), "joined_members",
     "joined_members", True),
    ({"GET"}, ("profile", "*"), "profile", "profile", True),
    ({"GET"}, ("profile", "*", "displayname"), "profile", "profile", True),
    ({"GET", "PUT"}, ("user", "*", "account_data", "*"), "account_data",
     "global_account_data", True),
    ({"GET", "PUT"}, ("user", "*", "rooms", "*", "account_data", "*"),
     "account_data", "room_account_data", True),
    ({"GET"}, ("user", "*", "rooms", "*", "tags"), "tags", "get_tags", True),
    ({"PUT", "DELETE"}, ("user", "*", "rooms", "*", "tags", "*"), "tags",
     "put_tag", True),
    ({"POST"}, ("rooms", "*", "read_markers"), "read_markers", "read_markers",
     True),
    ({"POST"}, ("rooms", "*", "receipt", "*", "*"), "receipt", "receipt", True),
    ({"PUT"}, ("rooms", "*", "typing", "*"), "typing", "typing", True),
]


def mx_error(status, errcode, error, headers=None, **extra):
    body = {"errcode": errcode, "error": error}
    body.update(extra)
    return Response(status, body, headers)


def parse_pos(token):
    """'s<N>' or 't<N>' -> N, else None."""
    if isinstance(token, str) and len(token) > 1 and token[0] in "st" \
            and token[1:].isdigit():
        return int(token[1:])
    return None


def type_matcher(spec):
    """types / not_types of a filter (with '*' wildcards) -> predicate."""
    spec = spec if isinstance(spec, dict) else {}
    types, not_types = spec.get("types"), spec.get("not_types") or []

    def match(etype):
        if any(fnmatch.fnmatchcase(etype, p) for p in not_types):
            return False
        return types is None or any(fnmatch.fnmatchcase(etype, p) for p in types)
    return match


RAW_MARK = "@@ombre-raw-%d@@"


def raw_json(app, body):
    """body as JSON bytes, the raw events' marks replaced by their bytes."""
    data = json.dumps(body, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")
    if b"@@ombre-raw-" not in data:
        return body
    for pos, raw in app.raw_events.items():
        data = data.replace(b'"' + (RAW_MARK % pos).encode() + b'"', raw)
    return data


def now_ms():
    return int(time.time() * 1000)


class Entry:
    """One event at one position of the stream."""
    __slots__ = ("pos", "room_id", "event", "device", "txn_id")

    def __init__(self, pos, room_id, event, device=None, txn_id=None):
        self.pos, self.room_id, self.event = pos, room_id, event
        self.device, self.txn_id = device, txn_id


class Room:
    def __init__(self, room_id):
        self.room_id = room_id
        self.timeline = []      # non-state Entries, by position
        self.positions = []     # their positions (for bisect)
        self.state = {}         # (type, state_key) -> Entry
        self.state_log = []     # state Entries, by position
        self.all = []           # every Entry, in order
        self.account_data = {}  # type -> (content, position)


class Matrix(common.App):
    json_only = True           # homeservers parse JSON whatever Content-Type
    huge_prefix = b'{"next_batch":"s0","padding":"'

    def __init__(self, user, password, token, device_id, timeline_limit):
        super().__init__()
        self.user = user
        self.server_name = user.split(":", 1)[1] if ":" in user else "localhost"
        self.localpart = user[1:].split(":", 1)[0]
        self.password = password
        self.tokens = {token: device_id}         # access token -> device_id
        self.timeline_limit = timeline_limit
        self.cond = threading.Condition()
        self.pos = 0
        self.rooms = {}
        self.global_ad = {}                      # type -> (content, position)
        self.profiles = {user: "Support"}
        self.filters = {}
        self.txns = {}                           # (device, room, txnId) -> event_id
        self.nevents = 0
        self.raw_events = {}                     # position -> raw bytes
        self.sends = 0
        self.send_events = 0

    # -- common.App hooks ------------------------------------------------------

    def _route(self, method, segs):
        """-> (route, args, method_ok) or None."""
        found = None
        for r in ROUTES:
            pat = r[1]
            if len(pat) != len(segs):
                continue
            if all(p == "*" or p == s for p, s in zip(pat, segs)):
                args = [s for p, s in zip(pat, segs) if p == "*"]
                if method in r[0]:
                    return r, args, True
                found = found or (r, args, False)
        return found

    def _segments(self, req):
        m = PREFIX.match(req.path)
        if not m:
            return None
        return [urllib.parse.unquote(s) for s in m.group(1).split("/")]

    def endpoint(self, req):
        if req.path == "/_matrix/client/versions":
            return "versions"
        segs = self._segments(req)
        found = self._route(req.method, segs) if segs is not None else None
        return found[0][2] if found else "unknown"

    def log_query(self, req):
        q = dict(req.query)
        if "access_token" in q:
            q["access_token"] = "<token>"
        return q

    def received(self, req):
        if req.endpoint == "send" and req.method == "PUT":
            with self.cond:
                self.sends += 1

    def fault_response(self, kind, fault, req):
        if kind == "status":
            return mx_error(int(fault.get("status", 500)), "M_UNKNOWN",
                            fault.get("error", "Internal server error"))
        if kind == "rate_limit":
            n = fault.get("retry_after", 2)
            return mx_error(429, "M_LIMIT_EXCEEDED", "Too many requests",
                            {"Retry-After": n}, retry_after_ms=int(n * 1000))
        if kind == "unauthorized":
            return mx_error(401, "M_UNKNOWN_TOKEN", "Invalid access token passed.")
        return mx_error(500, "M_UNKNOWN", "Internal server error")

    def handle(self, req):
        if req.path == "/_matrix/client/versions":
            return Response(200, {"versions": ["r0.6.1", "v1.1", "v1.5", "v1.11"],
                                  "unstable_features": {}})
        segs = self._segments(req)
        found = self._route(req.method, segs) if segs is not None else None
        if found is None:
            return mx_error(404, "M_UNRECOGNIZED", "Unrecognized request")
        route, args, method_ok = found
        if not method_ok:
            return mx_error(405, "M_UNRECOGNIZED", "Unrecognized request")
        device = None
        if route[4]:
            device, err = self._auth(req)
            if err:
                return err
        return getattr(self, "h_" + route[3])(req, device, *args)

    # -- helpers -------------------------------------------------------------------

    def _auth(self, req):
        auth = req.headers.get("Authorization") or ""
        token = None
        if auth.startswith("Bearer "):
            token = auth[7:].strip()
        elif "access_token" in req.query:
            token = req.query["access_token"]
        if not token:
            return None, mx_error(401, "M_MISSING_TOKEN", "Missing access token")
        with self.cond:
            device = self.tokens.get(token)
        if device is None:
            return None, mx_error(401, "M_UNKNOWN_TOKEN",
                                  "Invalid access token passed.")
        return device, None

    def _not_in_room(self, room_id):
        return mx_error(403, "M_FORBIDDEN", "User %s not in room %s"
                        % (self.user, room_id))

    def _bump(self):
        """Take the next stream position (caller holds the lock)."""
        self.pos += 1
        self.cond.notify_all()
        return self.pos

    def _append(self, room, etype, sender, content, state_key=None, ts=None,
                device=None, txn_id=None, event_id=None):
        """Append one event to room (caller holds the lock)."""
        ev = {"event_id": event_id or "$" + secrets.token_urlsafe(32),
              "type": etype, "sender": sender,
              "origin_server_ts": int(ts) if ts is not None else now_ms(),
              "content": content}
        if state_key is not None:
            ev["state_key"] = state_key
        e = Entry(self._bump(), room.room_id, ev, device, txn_id)
        room.all.append(e)
        self.nevents += 1
        if state_key is not None:
            room.state[(etype, state_key)] = e
            room.state_log.append(e)
            if etype == "m.room.member" and isinstance(content, dict) \
                    and content.get("displayname"):
                self.profiles[state_key] = content["displayname"]
        else:
            room.timeline.append(e)
            room.positions.append(e.pos)
        return e

    def _fmt(self, e, device=None, with_room=False, now=None):
        if "_raw" in e.event:
            return RAW_MARK % e.pos      # replaced by raw_json()
        ev = dict(e.event)
        unsigned = {"age": max((now or now_ms()) - ev["origin_server_ts"], 0)}
        if e.txn_id is not None and device is not None and e.device == device:
            unsigned["transaction_id"] = e.txn_id
        ev["unsigned"] = unsigned
        if with_room:
            ev["room_id"] = e.room_id
        return ev

    def _load_filter(self, spec):
        """filter query parameter (id or inline JSON) -> (dict, error)."""
        if not spec:
            return {}, None
        if spec.lstrip().startswith("{"):
            try:
                f = json.loads(spec)
            except ValueError:
                return None, mx_error(400, "M_NOT_JSON", "Filter is not JSON")
            return (f if isinstance(f, dict) else {}), None
        with self.cond:
            f = self.filters.get(spec)
        if f is None:
            return None, mx_error(400, "M_INVALID_PARAM", "No such filter")
        return f, None

    # -- auth endpoints --------------------------------------------------------------

    def h_login(self, req, device):
        if req.method == "GET":
            return Response(200, {"flows": [{"type": "m.login.password"}]})
        body = req.body if isinstance(req.body, dict) else None
        if body is None:
            return mx_error(400, "M_NOT_JSON", "Content not JSON.")
        if body.get("type") != "m.login.password":
            return mx_error(400, "M_UNKNOWN", "Unknown login type")
        ident = body.get("identifier")
        if isinstance(ident, dict):
            user = ident.get("user") if ident.get("type") == "m.id.user" else None
        else:
            user = body.get("user")
        if isinstance(user, str) and not user.startswith("@"):
            user = "@%s:%s" % (user, self.server_name)
        if user != self.user or body.get("password") != self.password:
            return mx_error(403, "M_FORBIDDEN", "Invalid username or password")
        dev = body.get("device_id") or "".join(
            secrets.choice(string.ascii_uppercase) for _ in range(10))
        token = "syt_" + secrets.token_urlsafe(24)
        with self.cond:
            self.tokens[token] = dev
        return Response(200, {"user_id": self.user, "access_token": token,
                              "device_id": dev})

    def h_logout(self, req, device):
        auth = req.headers.get("Authorization") or ""
        token = auth[7:].strip() if auth.startswith("Bearer ") \
            else req.query.get("access_token")
        with self.cond:
            self.tokens.pop(token, None)
        return Response(200, {})

    def h_whoami(self, req, device):
        return Response(200, {"user_id": self.user, "device_id": device,
                              "is_guest": False})

    def h_post_filter(self, req, device, user_id):
        if user_id != self.user:
            return mx_error(403, "M_FORBIDDEN",
                            "Can only create filters for your own user")
        if not isinstance(req.body, dict):
            return mx_error(400, "M_NOT_JSON", "Content not JSON.")
        with self.cond:
            fid = str(len(self.filters) + 1)
            self.filters[fid] = req.body
        return Response(200, {"filter_id": fid})

    def h_get_filter(self, req, device, user_id, fid):
        with self.cond:
            f = self.filters.get(fid)
        if user_id != self.user or f is None:
            return mx_error(404, "M_NOT_FOUND", "No such filter")
        return Response(200, f)

    # -- sync ------------------------------------------------------------------------

    def h_sync(self, req, device):
        q = req.query
        since = None
        if q.get("since"):
            since = parse_pos(q["since"])
            if since is None:
                return mx_error(400, "M_INVALID_PARAM", "Invalid stream token")
        try:
            timeout = max(int(q.get("timeout") or 0), 0) / 1000.0
        except ValueError:
            return mx_error(400, "M_INVALID_PARAM", "timeout must be an integer")
        flt, err = self._load_filter(q.get("filter"))
        if err:
            return err
        tl_spec = (flt.get("room") or {}).get("timeline") or {}
        limit = tl_spec.get("limit", self.timeline_limit)
        limit = limit if isinstance(limit, int) and limit >= 0 else self.timeline_limit
        match = type_matcher(tl_spec)
        full_state = q.get("full_state") == "true"
        deadline = time.monotonic() + timeout
        with self.cond:
            if since is not None:
                while self.pos <= since:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self.cond.wait(remaining)
            return Response(200, raw_json(self, self._sync_body(
                since, device, limit, match, full_state)))

    def _recent(self, room, after, limit, match):
        """The last `limit` matching timeline events after position `after`,
        and whether there were more."""
        out, limited = [], False
        for e in reversed(room.timeline):
            if e.pos <= after:
                break
            if match(e.event["type"]):
                if len(out) == limit:
                    limited = True
                    break
                out.append(e)
        out.reverse()
        return out, limited

    def _sync_body(self, since, device, limit, match, full_state):
        initial = since is None
        after = since or 0
        now = now_ms()
        join = {}
        for room in self.rooms.values():
            tl, limited = self._recent(room, after, limit, match)
            if initial or full_state:
                state = sorted(room.state.values(), key=lambda e: e.pos)
            else:
                i = bisect.bisect_right([e.pos for e in room.state_log], after)
                state = room.state_log[i:]
            rad = [{"type": t, "content": c}
                   for t, (c, p) in room.account_data.items()
                   if initial or p > after]
            if not (initial or full_state or tl or limited or state or rad):
                continue
            prev = "t%d" % (tl[0].pos - 1) if tl else "t%d" % self.pos
            join[room.room_id] = {
                "timeline": {"events": [self._fmt(e, device, now=now) for e in tl],
                             "limited": limited, "prev_batch": prev},
                "state": {"events": [self._fmt(e, device, now=now) for e in state]},
                "account_data": {"events": rad},
                "ephemeral": {"events": []},
                "unread_notifications": {},
            }
        body = {"next_batch": "s%d" % self.pos}
        if join:
            body["rooms"] = {"join": join}
        gad = [{"type": t, "content": c} for t, (c, p) in self.global_ad.items()
               if initial or p > after]
        if gad:
            body["account_data"] = {"events": gad}
        return body

    # -- rooms -----------------------------------------------------------------------

    def h_joined_rooms(self, req, device):
        with self.cond:
            return Response(200, {"joined_rooms": list(self.rooms)})

    def h_messages(self, req, device, room_id):
        q = req.query
        direction = q.get("dir", "b")
        if direction not in ("b", "f"):
            return mx_error(400, "M_INVALID_PARAM", "dir must be b or f")
        try:
            limit = min(max(int(q.get("limit") or 10), 1), 1000)
        except ValueError:
            return mx_error(400, "M_INVALID_PARAM", "limit must be an integer")
        flt = {}
        if q.get("filter"):
            flt, err = self._load_filter(q["filter"])
            if err:
                return err
        match = type_matcher(flt)
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None:
                return self._not_in_room(room_id)
            if q.get("from"):
                p = parse_pos(q["from"])
                if p is None:
                    return mx_error(400, "M_INVALID_PARAM",
                                    "Invalid pagination token")
            else:
                p = self.pos if direction == "b" else 0
            tl = room.timeline
            idx = bisect.bisect_right(room.positions, p)
            chunk = []
            if direction == "b":
                i = idx - 1
                while i >= 0 and len(chunk) < limit:
                    if match(tl[i].event["type"]):
                        chunk.append(tl[i])
                    i -= 1
                more = any(match(tl[j].event["type"]) for j in range(i, -1, -1))
                end = chunk[-1].pos - 1 if chunk else None
            else:
                i = idx
                while i < len(tl) and len(chunk) < limit:
                    if match(tl[i].event["type"]):
                        chunk.append(tl[i])
                    i += 1
                more = any(match(tl[j].event["type"]) for j in range(i, len(tl)))
                end = chunk[-1].pos if chunk else None
            now = now_ms()
            body = {"chunk": [self._fmt(e, device, True, now) for e in chunk],
                    "start": q.get("from") or "t%d" % p}
            if more and end is not None:
                body["end"] = "t%d" % end
            return Response(200, raw_json(self, body))

    def h_send(self, req, device, room_id, etype, txn_id):
        if len(req.raw_body) > MAX_EVENT:
            return mx_error(413, "M_TOO_LARGE", "Event too large")
        if not isinstance(req.body, dict):
            return mx_error(400, "M_NOT_JSON", "Content not JSON.")
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None:
                return self._not_in_room(room_id)
            key = (device, room_id, txn_id)
            if key not in self.txns:
                e = self._append(room, etype, self.user, req.body,
                                 device=device, txn_id=txn_id)
                self.txns[key] = e.event["event_id"]
                self.send_events += 1
            return Response(200, {"event_id": self.txns[key]})

    def h_room_state(self, req, device, room_id):
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None:
                return self._not_in_room(room_id)
            now = now_ms()
            return Response(200, [self._fmt(e, device, True, now) for e in
                                  sorted(room.state.values(), key=lambda e: e.pos)])

    def h_state_event(self, req, device, room_id, etype, state_key=""):
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None:
                return self._not_in_room(room_id)
            e = room.state.get((etype, state_key))
            if e is None:
                return mx_error(404, "M_NOT_FOUND", "Event not found.")
            return Response(200, e.event["content"])

    def h_joined_members(self, req, device, room_id):
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None:
                return self._not_in_room(room_id)
            joined = {}
            for (t, k), e in room.state.items():
                c = e.event["content"]
                if t == "m.room.member" and c.get("membership") == "join":
                    joined[k] = {"display_name": c.get("displayname")}
            return Response(200, {"joined": joined})

    def h_profile(self, req, device, user_id):
        with self.cond:
            name = self.profiles.get(user_id)
        if name is None:
            return mx_error(404, "M_NOT_FOUND", "Profile was not found")
        return Response(200, {"displayname": name})

    # -- account data, tags, receipts ---------------------------------------------------

    def _account_data(self, req, store, user_id):
        """GET or PUT one account data type in `store` (caller holds lock)."""
        if user_id != self.user:
            return mx_error(403, "M_FORBIDDEN",
                            "Cannot access account data of other users.")
        etype = req.ad_type
        if req.method == "GET":
            if etype not in store:
                return mx_error(404, "M_NOT_FOUND", "Account data not found")
            return Response(200, store[etype][0])
        if not isinstance(req.body, dict):
            return mx_error(400, "M_NOT_JSON", "Content not JSON.")
        store[etype] = (req.body, self._bump())
        return Response(200, {})

    def h_global_account_data(self, req, device, user_id, etype):
        req.ad_type = etype
        with self.cond:
            return self._account_data(req, self.global_ad, user_id)

    def h_room_account_data(self, req, device, user_id, room_id, etype):
        req.ad_type = etype
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None:
                return self._not_in_room(room_id)
            return self._account_data(req, room.account_data, user_id)

    def h_get_tags(self, req, device, user_id, room_id):
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None or user_id != self.user:
                return self._not_in_room(room_id)
            content = room.account_data.get("m.tag", ({"tags": {}}, 0))[0]
            return Response(200, {"tags": content.get("tags", {})})

    def h_put_tag(self, req, device, user_id, room_id, tag):
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None or user_id != self.user:
                return self._not_in_room(room_id)
            tags = dict(room.account_data.get("m.tag", ({"tags": {}}, 0))[0]
                        .get("tags", {}))
            if req.method == "PUT":
                if not isinstance(req.body, dict):
                    return mx_error(400, "M_NOT_JSON", "Content not JSON.")
                tags[tag] = req.body
            else:
                tags.pop(tag, None)
            room.account_data["m.tag"] = ({"tags": tags}, self._bump())
            return Response(200, {})

    def h_read_markers(self, req, device, room_id):
        with self.cond:
            room = self.rooms.get(room_id)
            if room is None:
                return self._not_in_room(room_id)
            body = req.body if isinstance(req.body, dict) else {}
            if body.get("m.fully_read"):
                room.account_data["m.fully_read"] = (
                    {"event_id": body["m.fully_read"]}, self._bump())
            return Response(200, {})

    def h_receipt(self, req, device, room_id, rtype, event_id):
        with self.cond:
            if room_id not in self.rooms:
                return self._not_in_room(room_id)
        return Response(200, {})

    def h_typing(self, req, device, room_id, user_id):
        return Response(200, {})

    # -- control -----------------------------------------------------------------------

    def create_room(self, spec):
        """Create a room from a /_control/rooms object (caller holds lock)."""
        rid = spec.get("room_id") or "!%s:%s" % (secrets.token_hex(9),
                                                 self.server_name)
        if rid in self.rooms:
            return rid, False
        room = Room(rid)
        self.rooms[rid] = room
        name = spec.get("name")
        self._append(room, "m.room.create", self.user,
                     {"creator": self.user, "room_version": "10"}, "")
        self._append(room, "m.room.member", self.user,
                     {"membership": "join",
                      "displayname": self.profiles[self.user]}, self.user)
        others = []
        for m in spec.get("members") or []:
            if isinstance(m, str):
                m = {"user_id": m}
            uid = m["user_id"]
            dn = m.get("displayname") or uid[1:].split(":", 1)[0]
            self._append(room, "m.room.member", uid,
                         {"membership": "join", "displayname": dn}, uid)
            if uid != self.user:
                others.append(uid)
        if name:
            self._append(room, "m.room.name", self.user, {"name": name}, "")
        if spec.get("encrypted"):
            self._append(room, "m.room.encryption", self.user,
                         {"algorithm": "m.megolm.v1.aes-sha2"}, "")
        bridge = spec.get("bridge")
        if isinstance(bridge, dict):
            proto = bridge.get("protocol", "whatsapp")
            bot = bridge.get("bridgebot", "@%sbot:%s" % (proto, self.server_name))
            channel = bridge.get("channel_id") or (
                others[0][1:].split(":", 1)[0] if others else rid)
            content = {"bridgebot": bot, "creator": bot,
                       "protocol": {"id": proto,
                                    "displayname": bridge.get("displayname",
                                                              proto.capitalize())},
                       "channel": {"id": channel,
                                   "displayname": name or channel}}
            if spec.get("direct"):
                content["com.beeper.room_type"] = "dm"
            self._append(room, "m.room.member", bot,
                         {"membership": "join", "displayname":
                          "%s bridge bot" % content["protocol"]["displayname"]},
                         bot)
            key = "fi.mau.%s://%s/%s" % (proto, proto, channel)
            for etype in ("m.bridge", "uk.half-shot.bridge"):
                self._append(room, etype, bot, dict(content), key)
        if spec.get("direct") and others:
            direct = {k: list(v) for k, v in
                      self.global_ad.get("m.direct", ({}, 0))[0].items()}
            for uid in others:
                if rid not in direct.setdefault(uid, []):
                    direct[uid].append(rid)
            self.global_ad["m.direct"] = (direct, self._bump())
        return rid, True

    def add_events(self, room_id, events):
        room = self.rooms.get(room_id)
        if room is None:
            raise ControlError("events: unknown room %s" % room_id, 404)
        if not isinstance(events, list):
            raise ControlError("events: expected a list")
        default_sender = next((k for (t, k) in room.state
                               if t == "m.room.member" and k != self.user),
                              self.user)
        ids = []
        for ev in events:
            if not isinstance(ev, dict):
                raise ControlError("events: expected objects")
            if "raw_base64" in ev:
                try:
                    raw = base64.b64decode(ev["raw_base64"], validate=True)
                except ValueError:
                    raise ControlError("events: raw_base64 is not base64")
                e = self._append(room, ev.get("type", "m.room.message"),
                                 default_sender, {})
                e.event["_raw"] = True
                self.raw_events[e.pos] = raw.replace(
                    b"{event_id}", e.event["event_id"].encode())
                ids.append(e.event["event_id"])
                continue
            e = self._append(room, ev.get("type", "m.room.message"),
                             ev.get("sender", default_sender),
                             ev.get("content", {}), ev.get("state_key"),
                             ev.get("origin_server_ts"),
                             event_id=ev.get("event_id"))
            ids.append(e.event["event_id"])
        return ids

    def generate(self, spec):
        count = int(spec.get("count", 10))
        nrooms = max(int(spec.get("rooms", 1)), 1)
        rng = random.Random(spec.get("seed", 0))
        now = now_ms()
        start = int(spec.get("start_ts", now - 3600 * 1000))
        span = max(now - start, 1)
        senders, made = [], []
        per_room = [0] * nrooms
        with self.cond:
            for j in range(nrooms):
                uid = "@gen%d:%s" % (j, self.server_name)
                first = rng.choice(common.FIRST_NAMES)
                last = rng.choice(common.LAST_NAMES)
                dn = first + (" " + last if last else "")
                rid, _ = self.create_room({
                    "room_id": "!gen%d:%s" % (j, self.server_name),
                    "members": [{"user_id": uid, "displayname": dn}],
                    "direct": True})
                senders.append((rid, uid))
            first_pos = self.pos + 1
            for k in range(count):
                j = k if k < nrooms else rng.randrange(nrooms)
                per_room[j] += 1
                rid, uid = senders[j]
                body = "message %d of room %d%s" % (per_room[j], j,
                                                    rng.choice(common.TEXT_ENDINGS))
                content = {"msgtype": "m.text", "body": body}
                if rng.random() < 0.1:
                    content["format"] = "org.matrix.custom.html"
                    content["formatted_body"] = "<p>%s</p>" % body.replace(
                        "&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                e = self._append(self.rooms[rid], "m.room.message", uid, content,
                                 ts=start + (k * span) // max(count, 1))
                made.append(e.pos)
            return {"rooms": [r for r, _ in senders],
                    "first_position": first_pos if made else None,
                    "last_position": self.pos}

    def control(self, req, name):
        body = req.body
        if name == "rooms" and req.method == "POST":
            if not isinstance(body, dict):
                raise ControlError("rooms: expected an object")
            with self.cond:
                rid, created = self.create_room(body)
            return Response(200, {"room_id": rid, "created": created})
        if name == "events" and req.method == "POST":
            if not isinstance(body, dict):
                raise ControlError("events: expected an object")
            with self.cond:
                ids = self.add_events(body.get("room_id"), body.get("events", []))
                return Response(200, {"event_ids": ids, "position": self.pos})
        if name == "events" and req.method == "GET":
            rid = req.query.get("room_id")
            with self.cond:
                if rid is not None and rid not in self.rooms:
                    raise ControlError("events: unknown room %s" % rid, 404)
                rooms = [self.rooms[rid]] if rid else list(self.rooms.values())
                entries = sorted((e for r in rooms for e in r.all),
                                 key=lambda e: e.pos)
                out = []
                for e in entries:
                    ev = self._fmt(e, with_room=True)
                    ev["_position"] = e.pos
                    if e.txn_id is not None:
                        ev["_device_id"], ev["_txn_id"] = e.device, e.txn_id
                    out.append(ev)
                return Response(200, out)
        if name == "generate" and req.method == "POST":
            return Response(200, self.generate(body if isinstance(body, dict) else {}))
        return None

    def state(self):
        with self.cond:
            return {"position": self.pos, "rooms": len(self.rooms),
                    "events": self.nevents, "sends": self.sends,
                    "send_events": self.send_events}


def main():
    p = common.arg_parser("A fake Matrix client-server API homeserver.")
    p.add_argument("--user", default="@support:localhost")
    p.add_argument("--password", default="secret")
    p.add_argument("--token", default="syt_test_token",
                   help="a static access token, always valid")
    p.add_argument("--device-id", default="OMBRE",
                   help="the device of the static token (default OMBRE)")
    p.add_argument("--timeline-limit", type=int, default=10,
                   help="sync timeline limit when the filter sets none")
    args = p.parse_args()
    if not re.fullmatch(r"@[^:]+:.+", args.user):
        p.error("--user must look like @name:server")
    app = Matrix(args.user, args.password, args.token, args.device_id,
                 args.timeline_limit)
    return common.serve(app, args)


if __name__ == "__main__":
    sys.exit(main())
