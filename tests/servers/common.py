"""Shared plumbing of ombre's fake API servers (tests/servers/telegram.py, matrix.py).

Python 3.11 standard library only. A server is an App (the fake API: routing,
data, error bodies) run by serve() on a ThreadingHTTPServer bound to
127.0.0.1 port 0 that speaks HTTP/1.1 with Content-Length (keep-alive), one
thread per connection, so any number of long polls can wait at once. The
chosen port is written to --port-file (FILE.tmp then rename). SIGTERM or
SIGINT stop the server with exit status 0. Nothing is printed on stdout
unless --verbose (then one line per request).

Control API, on the same port, JSON, no authentication:

  POST /_control/faults   a JSON list of faults (or one fault object), appended
                          to a FIFO queue; answers {"queued": N}.
  GET  /_control/faults   the faults still queued.
  GET  /_control/log      every API request received (not control ones), in
                          arrival order; ?endpoint=NAME keeps one endpoint.
                          Each entry: {"t": time.monotonic(), "wall": time.time(),
                          "method", "endpoint", "path" (secrets replaced by
                          "<token>"), "query": {}, "body": JSON, form dict or
                          null, "fault": kind applied or null, "status": HTTP
                          status answered, null while pending or if none}.
  POST /_control/reset    clears the queued faults and the log (not the data).
  GET  /_control/state    server-specific summary.
  ...                     server-specific routes (see each server).

A fault is {"match": ENDPOINT or "*", "count": N (default 1), "kind": K, ...}.
A request takes the first queued fault whose match is its endpoint name
(case-insensitive) or "*"; the fault is dropped after `count` requests.
Kinds handled here, for every server:

  slow          sleep "delay" seconds (default 5), then answer normally.
  stall         perform the request, send the status line and headers with the
                full Content-Length, then half the body, sleep "delay" seconds
                (default 60) and close.
  reset         read the request, PERFORM it, then close with an RST (SO_LINGER
                0) and no response.
  reset_before  read the request and close with an RST without performing it.
  malformed     200 with the body {"ok":tru (not performed).
  huge          200 with "bytes" bytes (default 20 MiB) of a JSON-looking body
                (not performed); "content_length": false sends it without
                Content-Length and with Connection: close.
  redirect      "status" (default 302) with Location: "location", in which
                {path} stands for the request's own path and query (not
                performed).
  truncate      perform the request and send only the first "bytes" bytes
                of its answer, with a Content-Length of that many: a proxy
                that cuts long answers.
  raw           "status" (default 200) with the bytes of "body_base64" as
                the body, whatever they are (not performed): an answer cut
                short, invalid UTF-8, a body no JSON parser takes.

Every other kind ("status", "rate_limit", "unauthorized", and the
server-specific ones) is an error answer built by the App (not performed).

Request bodies: JSON, x-www-form-urlencoded and multipart/form-data (file
parts logged as "<file NAME, N bytes>") are parsed by Content-Type; control
requests, and every request of an App with json_only (Matrix), are parsed as
JSON whatever the Content-Type. A bug in a server answers 500 with
{"error": "fake server bug: ..."} and a traceback on stderr.
"""

import argparse
import base64
import email.parser
import email.policy
import json
import os
import signal
import socket
import struct
import sys
import threading
import time
import traceback
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# Sample data for the generators: varied names (accents, other scripts, emoji)
# and text endings.
FIRST_NAMES = ["Zoë", "José", "Ana", "Łukasz", "Søren", "Chloé", "Renée",
               "François", "Björn", "Mei 🌸", "Ahmed", "Nguyễn", "Ümit",
               "Dmitri", "Aoife", "Siobhán", "Kofi", "Priya ✨", "Jürgen",
               "Inès", "Hélène", "Ōta", "Marie-Ève", "Tomás", "Ayşe",
               "Sam", "Олег", "Λένα", "Yūki", "Noé 🚀"]
LAST_NAMES = [None, "Dupont", "García", "Nowak", "Ødegaard", "Müller",
              "O'Brien", "Lefèvre", "Çelik", "Nakamura", "Smith", "Da Silva",
              None, "Ng", "Łopata", "Brontë"]
TEXT_ENDINGS = ["", "", "", "", " 👋", " — bonjour !", " (urgent)",
                "\nsecond line", ", merci d'avance", " 🙏🏽", " ça marche ?",
                " https://example.org/commande/42", " <b>not html</b> & co",
                " " + "très long " * 40]

COMMON_KINDS = {"slow", "stall", "reset", "reset_before", "malformed", "huge",
                "redirect", "raw", "truncate"}
ERROR_KINDS = {"status", "rate_limit", "unauthorized"}
MAX_BODY = 256 * 1024 * 1024


class ControlError(Exception):
    """A bad control request: answered with {"error": message}."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


class Response:
    """An HTTP answer. body: bytes, or any JSON-serialisable object."""

    def __init__(self, status=200, body=None, headers=None,
                 content_type="application/json"):
        if isinstance(body, (bytes, bytearray)):
            self.data = bytes(body)
        else:
            self.data = json.dumps(body, ensure_ascii=False,
                                   separators=(",", ":")).encode("utf-8")
        self.status = status
        self.headers = dict(headers or {})
        self.content_type = content_type


def flatten(pairs):
    """parse_qsl pairs -> dict (the last value of a repeated key wins)."""
    out = {}
    for k, v in pairs:
        out[k] = v
    return out


def parse_multipart(content_type, body):
    """multipart/form-data -> dict of fields (files as "<file NAME, N bytes>")."""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    out = {}
    if not msg.is_multipart():
        return out
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name is None:
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        out[name] = ("<file %s, %d bytes>" % (filename, len(data)) if filename
                     else data.decode("utf-8", "replace"))
    return out


class Request:
    """One parsed request as the Apps see it."""

    def __init__(self, handler, body, force_json=False):
        split = urllib.parse.urlsplit(handler.path)
        self.method = handler.command
        self.path = split.path                  # still percent-encoded
        self.query = flatten(urllib.parse.parse_qsl(split.query,
                                                    keep_blank_values=True))
        self.headers = handler.headers
        self.raw_body = body
        self.body = None                        # JSON value, form dict or None
        self.bad_json = False
        ctype = (self.headers.get("Content-Type") or "").lower()
        if body:
            if "multipart/form-data" in ctype and not force_json:
                self.body = parse_multipart(self.headers.get("Content-Type"), body)
            elif "x-www-form-urlencoded" in ctype and not force_json:
                self.body = flatten(urllib.parse.parse_qsl(
                    body.decode("utf-8", "replace"), keep_blank_values=True))
            elif (force_json or "json" in ctype or not ctype
                  or body[:1] in (b"{", b"[")):
                try:
                    self.body = json.loads(body.decode("utf-8"))
                except (ValueError, UnicodeDecodeError):
                    self.bad_json = True
        self.endpoint = None
        self.entry = None                       # its log entry


class FaultQueue:
    def __init__(self, kinds):
        self.kinds = kinds
        self.lock = threading.Lock()
        self.queue = []

    def add(self, faults):
        if isinstance(faults, dict):
            faults = [faults]
        if not isinstance(faults, list):
            raise ControlError("faults: expected a JSON list of objects")
        checked = []
        for f in faults:
            if not isinstance(f, dict):
                raise ControlError("faults: expected objects")
            f = dict(f)
            if f.get("kind") not in self.kinds:
                raise ControlError("faults: unknown kind %r (known: %s)"
                                   % (f.get("kind"), ", ".join(sorted(self.kinds))))
            f.setdefault("match", "*")
            if not isinstance(f["match"], str):
                raise ControlError("faults: match must be a string")
            f.setdefault("count", 1)
            if not isinstance(f["count"], int) or f["count"] < 1:
                raise ControlError("faults: count must be an integer >= 1")
            checked.append(f)
        with self.lock:
            self.queue.extend(checked)
            return len(self.queue)

    def take(self, endpoint):
        with self.lock:
            for i, f in enumerate(self.queue):
                m = f["match"]
                if m == "*" or m.lower() == (endpoint or "").lower():
                    f["count"] -= 1
                    if f["count"] <= 0:
                        del self.queue[i]
                    return dict(f)
        return None

    def snapshot(self):
        with self.lock:
            return [dict(f) for f in self.queue]

    def clear(self):
        with self.lock:
            self.queue.clear()


class RequestLog:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []

    def add(self, entry):
        with self.lock:
            self.entries.append(entry)

    def snapshot(self, endpoint=None):
        with self.lock:
            return [dict(e) for e in self.entries
                    if endpoint is None or e["endpoint"] == endpoint]

    def clear(self):
        with self.lock:
            self.entries.clear()


class App:
    """Base of a fake API. Subclasses set `kinds` and override the hooks."""

    kinds = COMMON_KINDS | ERROR_KINDS
    json_only = False          # True: bodies are JSON whatever Content-Type says
    huge_prefix = b'{"ok":true,"result":"'

    def __init__(self):
        self.faults = FaultQueue(self.kinds)
        self.log = RequestLog()

    def endpoint(self, req):
        """Short endpoint name of an API request (for faults and the log)."""
        return "unknown"

    def log_path(self, req):
        """The request path as logged (secrets replaced by <token>)."""
        return req.path

    def log_query(self, req):
        return dict(req.query)

    def received(self, req):
        """Called once per API request, before any fault is applied."""

    def handle(self, req):
        """Perform an API request; returns a Response (may block)."""
        raise NotImplementedError

    def fault_response(self, kind, fault, req):
        """The error Response of an error-kind fault."""
        raise NotImplementedError

    def control(self, req, name):
        """Server-specific control route /_control/NAME; None if unknown."""
        return None

    def state(self):
        return {}


def _num(fault, key, default):
    v = fault.get(key, default)
    return v if isinstance(v, (int, float)) else default


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ombre-fake/1"
    disable_nagle_algorithm = True   # headers and body go out in two writes

    def version_string(self):
        return self.server_version

    def do_GET(self):
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def log_request(self, code="-", size="-"):
        if self.server.verbose:
            req = getattr(self, "_logged", None)
            what = ("%s %s" % (req.method, self.server.app.log_path(req))
                    if req is not None else self.requestline.split(" ")[0])
            self.log_message("%s %s", what, getattr(code, "value", code))

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stdout.write("%s %s\n" % (time.strftime("%H:%M:%S"), fmt % args))
            sys.stdout.flush()

    # -- body ---------------------------------------------------------------

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            parts = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                total += size
                if total > MAX_BODY:
                    raise ValueError("body too large")
                parts.append(self.rfile.read(size))
                self.rfile.readline(65537)
        n = int(self.headers.get("Content-Length") or 0)
        if n < 0 or n > MAX_BODY:
            raise ValueError("bad Content-Length")
        return self.rfile.read(n) if n else b""

    # -- dispatch -----------------------------------------------------------

    def _serve(self):
        app = self.server.app
        t, wall = time.monotonic(), time.time()
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._send(Response(400, {"error": "bad request body"}))
            return
        control = self.path.startswith("/_control/")
        req = Request(self, body, force_json=control or app.json_only)
        self._logged = req
        if control:
            self._send(self._control(app, req))
            return
        req.endpoint = app.endpoint(req)
        fault = app.faults.take(req.endpoint)
        req.entry = {
            "t": t, "wall": wall, "method": req.method,
            "endpoint": req.endpoint, "path": app.log_path(req),
            "query": app.log_query(req), "body": req.body,
            "fault": fault["kind"] if fault else None,
            "status": None,
        }
        self._entry = req.entry
        app.log.add(req.entry)
        app.received(req)
        try:
            self._apply(app, req, fault)
        except Exception as e:           # a bug here: say so, do not fake a fault
            traceback.print_exc(file=sys.stderr)
            if self._entry is not None:  # nothing sent yet
                self.close_connection = True
                self._send(Response(500, {"error": "fake server bug: %r" % e}))

    def _apply(self, app, req, fault):
        kind = fault["kind"] if fault else None
        if kind is None:
            self._send(app.handle(req))
        elif kind == "slow":
            time.sleep(_num(fault, "delay", 5))
            self._send(app.handle(req))
        elif kind == "stall":
            self._stall(app.handle(req), _num(fault, "delay", 60))
        elif kind == "reset":
            app.handle(req)
            self._reset()
        elif kind == "reset_before":
            self._reset()
        elif kind == "malformed":
            self._send(Response(200, b'{"ok":tru'))
        elif kind == "truncate":
            resp = app.handle(req)
            resp.data = resp.data[:int(_num(fault, "bytes", 1024))]
            self._send(resp)
        elif kind == "raw":
            self._send(Response(int(_num(fault, "status", 200)),
                                base64.b64decode(fault.get("body_base64", ""))))
        elif kind == "huge":
            self._huge(app, int(_num(fault, "bytes", 20 * 1024 * 1024)),
                       fault.get("content_length", True) is not False)
        elif kind == "redirect":
            # "location": where to (a URL or a path); "{path}" in it is the
            # request's own path and query.
            target = str(fault.get("location", "/")).replace(
                "{path}", self.path)
            self._send(Response(int(_num(fault, "status", 302)),
                                {"redirect": True}, {"Location": target}))
        else:
            self._send(app.fault_response(kind, fault, req))

    def _control(self, app, req):
        name = req.path[len("/_control/"):].strip("/")
        try:
            if name == "faults" and req.method == "POST":
                if req.bad_json:
                    raise ControlError("faults: body is not JSON")
                return Response(200, {"queued": app.faults.add(req.body)})
            if name == "faults" and req.method == "GET":
                return Response(200, app.faults.snapshot())
            if name == "log" and req.method == "GET":
                return Response(200, app.log.snapshot(req.query.get("endpoint")))
            if name == "reset" and req.method == "POST":
                app.faults.clear()
                app.log.clear()
                return Response(200, {"ok": True})
            if name == "state" and req.method == "GET":
                return Response(200, app.state())
            if req.bad_json:
                raise ControlError("body is not JSON")
            resp = app.control(req, name)
            if resp is None:
                raise ControlError("unknown control route %s %s"
                                   % (req.method, req.path), 404)
            return resp
        except ControlError as e:
            return Response(e.status, {"error": str(e)})

    # -- writing ------------------------------------------------------------

    def _head(self, status, ctype, length, extra):
        entry = getattr(self, "_entry", None)
        if entry is not None:
            entry["status"] = status
            self._entry = None
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in extra.items():
            self.send_header(k, str(v))
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def _send(self, resp):
        try:
            self._head(resp.status, resp.content_type, len(resp.data), resp.headers)
            if self.command != "HEAD":
                self.wfile.write(resp.data)
        except (BrokenPipeError, ConnectionError):
            self.close_connection = True

    def _stall(self, resp, delay):
        try:
            self._head(resp.status, resp.content_type, len(resp.data), resp.headers)
            self.wfile.write(resp.data[:len(resp.data) // 2])
            self.wfile.flush()
        except (BrokenPipeError, ConnectionError):
            pass
        time.sleep(delay)
        self.close_connection = True

    def _huge(self, app, nbytes, content_length):
        prefix, suffix = app.huge_prefix, b'"}'
        if nbytes < len(prefix) + len(suffix):
            prefix, suffix = b"", b""
        fill = nbytes - len(prefix) - len(suffix)
        if not content_length:
            self.close_connection = True
        try:
            self._head(200, "application/json",
                       nbytes if content_length else None, {})
            self.wfile.write(prefix)
            chunk = b"x" * 65536
            while fill > 0:
                n = min(fill, len(chunk))
                self.wfile.write(chunk[:n])
                fill -= n
            self.wfile.write(suffix)
        except (BrokenPipeError, ConnectionError):
            self.close_connection = True

    def _reset(self):
        """Close the connection with an RST (no FIN, no response)."""
        self.close_connection = True
        self.log_request("RST")
        sock = self.connection
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                            struct.pack("ii", 1, 0))
            os.close(sock.detach())
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, BrokenPipeError, TimeoutError)):
            return
        sys.stderr.write("fake server: error on a request from %s:\n"
                         % (client_address,))
        traceback.print_exc(file=sys.stderr)


def write_port_file(path, port):
    """Write the port atomically: PATH.tmp then rename."""
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, path)


def arg_parser(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--port-file", required=True,
                   help="file that receives the chosen port number")
    p.add_argument("--verbose", action="store_true",
                   help="one line per request on stdout")
    return p


def install_stop_signals():
    """SIGTERM and SIGINT set the returned Event (install before the port
    file is written, so an early SIGTERM still exits cleanly)."""
    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    return stop


def wait_for(stop):
    while not stop.wait(3600):
        pass


def serve(app, args):
    """Run app on 127.0.0.1:0 until SIGTERM; returns the exit status."""
    stop = install_stop_signals()
    server = Server(("127.0.0.1", 0), Handler)
    server.app = app
    server.verbose = args.verbose
    port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever,
                              kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    write_port_file(args.port_file, port)
    if args.verbose:
        print("listening on 127.0.0.1:%d" % port, flush=True)
    wait_for(stop)
    server.shutdown()
    server.server_close()
    return 0
