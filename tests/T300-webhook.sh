#!/usr/bin/env bash
#
# The webhook receiver (issue 13, first increment): `ombre webhook` on
# 127.0.0.1 and `ombre webhook --cgi`. Meta's verification GET, POSTs
# signed with X-Hub-Signature-256 (HMAC computed here in Python) spooled
# byte for byte before 200, bad or missing signatures refused with nothing
# stored, a channel without app-secret, unknown channels, the body cap,
# not-JSON kept in quarantine; no secret in the log; SIGTERM stops it
# cleanly. The spool is not parsed into messages yet.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

DATA=$XDG_DATA_HOME/ombre
SPOOL=$DATA/webhook/spool
QUAR=$DATA/webhook/quarantine
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
cat >"$CONFIG" <<'CONF'
channel shop whatsapp phone-number-id=1 token=x-T0KEN-x app-secret=s3cr3t verify-token=vt-T0KEN api-url=http://127.0.0.1:9
channel page messenger page-id=2 token=y-T0KEN-y
set webhook.max-body 1024
CONF
chmod 600 "$CONFIG"

count() { find "$1" -type f -name '*.json' 2>/dev/null | wc -l; }

# A client: req METHOD PATH [BODY [SIGNATURE-SECRET|-|BAD]] prints
# "STATUS BODY". The body is taken from $BODY_FILE when BODY is @.
cat >client.py <<'PY'
import hashlib, hmac, http.client, sys
port, method, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = sys.argv[4].encode() if len(sys.argv) > 4 else None
if body == b"@":
    body = open(sys.argv[6], "rb").read()
headers = {}
if len(sys.argv) > 5 and sys.argv[5] not in ("-", ""):
    if sys.argv[5] == "BAD":
        headers["X-Hub-Signature-256"] = "sha256=" + "0" * 64
    else:
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(
            sys.argv[5].encode(), body, hashlib.sha256).hexdigest()
if body is not None:
    headers["Content-Type"] = "application/json"
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
c.request(method, path, body=body, headers=headers)
r = c.getresponse()
print(r.status, r.read().decode().strip())
PY
# sig SECRET FILE: Meta's header for the file's bytes.
sig() {
	"$PYTHON" -S -c 'import hashlib, hmac, sys
print("sha256=" + hmac.new(sys.argv[1].encode(), open(sys.argv[2], "rb").read(), hashlib.sha256).hexdigest())' "$1" "$2"
}

# The server, on a port free a moment ago (tried again if taken since).
for try in 1 2 3 4 5; do
	PORT=$("$PYTHON" -S -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$OMBRE" webhook --listen "127.0.0.1:$PORT" 2>webhook.log &
	PID=$!
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' webhook.log && break
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	grep -q 'listening on' webhook.log && break
	wait "$PID" 2>/dev/null
done
ok "ombre webhook listens on 127.0.0.1:$PORT" grep -q "listening on 127.0.0.1:$PORT" webhook.log
req() { "$PYTHON" -S client.py "$PORT" "$@"; }

is "verification with the verify-token: 200 and the challenge" \
    "$(req GET '/webhook/shop?hub.mode=subscribe&hub.verify_token=vt-T0KEN&hub.challenge=1158201444')" \
    "200 1158201444"
is "verification with another token: 403" \
    "$(req GET '/webhook/shop?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1158201444' | cut -d' ' -f1)" 403
is "verification of a channel without verify-token: 403" \
    "$(req GET '/webhook/page?hub.mode=subscribe&hub.verify_token=vt-T0KEN&hub.challenge=1' | cut -d' ' -f1)" 403

BODY='{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"messages":[{"id":"wamid.1","text":{"body":"héllo"}}]}}]}]}'
is "a POST signed with the app-secret: 200" "$(req POST /webhook/shop "$BODY" s3cr3t | cut -d' ' -f1)" 200
is "one file in the spool" "$(count "$SPOOL")" 1
f=$(find "$SPOOL" -type f | head -1)
is "holding the exact bytes" "$(cat "$f")" "$BODY"
like "its name says the channel" "$f" '\.shop\.json$'
is "no temporary file left" "$(find "$DATA/webhook" -name '.*' -type f | wc -l)" 0
is "a bad signature: 401" "$(req POST /webhook/shop "$BODY" BAD | cut -d' ' -f1)" 401
is "a signature with another secret: 401" "$(req POST /webhook/shop "$BODY" s3cr3u | cut -d' ' -f1)" 401
is "no signature on a channel with an app-secret: 401" "$(req POST /webhook/shop "$BODY" - | cut -d' ' -f1)" 401
is "nothing spooled for them" "$(count "$SPOOL")" 1
is "a channel without app-secret takes an unsigned POST: 200" \
    "$(req POST /webhook/page '{"object":"page","entry":[]}' | cut -d' ' -f1)" 200
is "spooled" "$(count "$SPOOL")" 2
is "an unknown channel: 404" "$(req POST /webhook/nope '{}' | cut -d' ' -f1)" 404
is "another path: 404" "$(req GET /etc/passwd | cut -d' ' -f1)" 404
"$PYTHON" -S -c 'import sys; sys.stdout.write("[" + "1," * 600 + "1]")' >big.json
is "a body over webhook.max-body (1024): 413" "$(req POST /webhook/page @ - big.json | cut -d' ' -f1)" 413
is "not JSON: 400" "$(req POST /webhook/page 'not {json' | cut -d' ' -f1)" 400
is "one file in quarantine" "$(find "$QUAR" -name '*.json' | wc -l)" 1
is "with the raw bytes" "$(cat "$(find "$QUAR" -name '*.json' | head -1)")" "not {json"
is "JSON of another shape than Messenger's: 400, said" \
    "$(req POST /webhook/page '{"object":"instagram","entry":[]}')" \
    "400 not a Messenger webhook (object page, entry[])"
is "and kept in quarantine too" "$(find "$QUAR" -name '*.json' | wc -l)" 2
is "the spool unchanged by them" "$(count "$SPOOL")" 2
like "one log line per request: method, path, status, bytes" \
    "$(cat webhook.log)" "POST /webhook/shop 200 $(printf '%s' "$BODY" | wc -c) bytes"
like "a 413 logged with the size it had" "$(cat webhook.log)" \
    "POST /webhook/page 413 $(wc -c <big.json) bytes"
is "no secret, token or signature in the log" \
    "$(grep -cE 's3cr3t|T0KEN|sha256=' webhook.log)" 0

kill -TERM "$PID"
wait "$PID"
is "SIGTERM stops it with exit status 0" "$?" 0
ok "said in the log" grep -q 'webhook: stopped' webhook.log

# IPv6: [ADDR]:PORT, when the loopback has ::1.
if PORT6=$("$PYTHON" -S -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); print(s.getsockname()[1])' 2>/dev/null); then
	"$OMBRE" webhook --listen "[::1]:$PORT6" 2>webhook6.log &
	PID6=$!
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' webhook6.log && break
		sleep 0.1
	done
	out=$("$PYTHON" -S -c 'import http.client, sys
c = http.client.HTTPConnection("::1", int(sys.argv[1]), timeout=10)
c.request("POST", "/webhook/page", body=b"{\"object\":\"page\",\"entry\":[]}")
print(c.getresponse().status)' "$PORT6")
	is "on [::1]:PORT too" "$out" 200
	kill -TERM "$PID6"
	wait "$PID6"
	is "stopped by SIGTERM, exit status 0" "$?" 0
else
	skip "on [::1]:PORT too" "no IPv6 loopback"
	skip "stopped by SIGTERM, exit status 0" "no IPv6 loopback"
fi
SPOOLED=$(count "$SPOOL")

# The same routing through CGI.
cgi() { "$OMBRE" webhook --cgi 2>>cgi.log; }
out=$(REQUEST_METHOD=GET PATH_INFO=/webhook/shop \
    QUERY_STRING='hub.mode=subscribe&hub.verify_token=vt-T0KEN&hub.challenge=42' cgi </dev/null)
like "CGI: verification, 200 and the challenge" "$out" $'^Status: 200 OK\r\n.*\r\n\r\n42$'
out=$(REQUEST_METHOD=GET PATH_INFO=/shop \
    QUERY_STRING='hub.mode=subscribe&hub.verify_token=bad&hub.challenge=42' cgi </dev/null)
like "CGI: a bad token (PATH_INFO /NAME): 403" "$out" '^Status: 403 Forbidden'
printf '%s' "$BODY" >body.json
out=$(REQUEST_METHOD=POST PATH_INFO=/webhook/shop CONTENT_LENGTH=$(wc -c <body.json) \
    HTTP_X_HUB_SIGNATURE_256=$(sig s3cr3t body.json) cgi <body.json)
like "CGI: a good signature: 200" "$out" '^Status: 200 OK'
is "spooled" "$(count "$SPOOL")" $((SPOOLED + 1))
out=$(REQUEST_METHOD=POST PATH_INFO=/webhook/shop CONTENT_LENGTH=$(wc -c <body.json) \
    HTTP_X_HUB_SIGNATURE_256=$(sig other body.json) cgi <body.json)
like "CGI: a bad signature: 401" "$out" '^Status: 401 Unauthorized'
out=$(REQUEST_METHOD=POST PATH_INFO=/webhook/shop CONTENT_LENGTH=$(wc -c <body.json) cgi <body.json)
like "CGI: no signature: 401" "$out" '^Status: 401'
is "nothing spooled for them" "$(count "$SPOOL")" $((SPOOLED + 1))
out=$(REQUEST_METHOD=POST PATH_INFO=/webhook/nope CONTENT_LENGTH=2 cgi <<<'{}')
like "CGI: an unknown channel: 404" "$out" '^Status: 404 Not Found'
out=$(REQUEST_METHOD=POST PATH_INFO=/webhook/page CONTENT_LENGTH=$(wc -c <big.json) cgi <big.json)
like "CGI: over the cap: 413" "$out" '^Status: 413'
out=$(REQUEST_METHOD=POST PATH_INFO=/webhook/page CONTENT_LENGTH=3 cgi <<<'{x}')
like "CGI: not JSON: 400" "$out" '^Status: 400'
is "kept in quarantine" "$(count "$QUAR")" 3
is "CGI: no secret in the log" "$(grep -cE 's3cr3t|T0KEN|sha256=' cgi.log)" 0

# A secret command that fails: no start, the key named, exit 1.
printf 'channel bad sms app-secret-command="exit 4"\n' >bad.conf
chmod 600 bad.conf
"$OMBRE" -c bad.conf webhook --listen 127.0.0.1:1 2>bad.log
is "a failing app-secret-command: exit 1" "$?" 1
ok "the key named" grep -q 'app-secret-command' bad.log
"$OMBRE" webhook --listen nowhere 2>usage.log
is "a bad address: exit 1" "$?" 1
"$OMBRE" webhook extra 2>/dev/null
is "an extra argument: exit 2" "$?" 2

test_done
