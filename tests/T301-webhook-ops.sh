#!/usr/bin/env bash
#
# The webhook receiver in operation: webhook.timeout cuts off a client
# that stalls in its body (nothing spooled) while others are answered;
# past webhook.max-connections clients wait in the listen queue and are
# served once the others go; DATA/webhook/status counts payloads and bad
# signatures per channel; `ombre sync --status` shows the receiver's
# block, and "not running" after SIGTERM or SIGKILL; `ombre webhook
# --quarantine` lists the refused bodies and shows one with its control
# sequences made visible.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

SPOOL=$DATA/webhook/spool
STATUS=$DATA/webhook/status
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
cat >"$CONFIG" <<'CONF'
channel shop whatsapp phone-number-id=1 token=x-T0KEN-x app-secret=s3cr3t verify-token=vt api-url=http://127.0.0.1:9
channel page messenger page-id=2 token=y-T0KEN-y
set webhook.timeout 2s
set webhook.max-connections 3
CONF
chmod 600 "$CONFIG"

count() { find "$1" -type f 2>/dev/null | wc -l; }

# client.py PORT METHOD PATH [BODY [SECRET|-|BAD]]: "STATUS BODY".
cat >client.py <<'PY'
import hashlib, hmac, http.client, sys
port, method, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = sys.argv[4].encode() if len(sys.argv) > 4 else None
headers = {}
if len(sys.argv) > 5 and sys.argv[5] not in ("-", ""):
    if sys.argv[5] == "BAD":
        headers["X-Hub-Signature-256"] = "sha256=" + "0" * 64
    else:
        headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(
            sys.argv[5].encode(), body, hashlib.sha256).hexdigest()
c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
c.request(method, path, body=body, headers=headers)
r = c.getresponse()
print(r.status, r.read().decode().strip())
PY

# stall.py PORT N: N clients that send their headers and half a body,
# then nothing; prints how long until the server closed each, or
# "open" when it did not within 15 s. With "release" as $3, one more
# request is made meanwhile (it must wait: the cap), the stalled clients
# close themselves after 1 s, and what is printed is whether the request
# was still waiting then and how it was answered.
cat >stall.py <<'PY'
import http.client, socket, sys, threading, time
port, n = int(sys.argv[1]), int(sys.argv[2])
mode = sys.argv[3] if len(sys.argv) > 3 else ""
body = b'{"object":"page","entry":[]}'
socks = []
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /webhook/page HTTP/1.1\r\nHost: x\r\n"
              b"Content-Type: application/json\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body[:10])
    socks.append(s)
time.sleep(0.3)
if mode == "release":
    got = []
    def one():
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        c.request("POST", "/webhook/page", body=b'{"object":"page","entry":[]}')
        got.append(c.getresponse().status)
    t = threading.Thread(target=one)
    t.start()
    time.sleep(1)
    print("waiting" if not got else "answered at once")
    for s in socks:
        s.close()
    t.join(15)
    print(got[0] if got else "never answered")
    sys.exit(0)
start = time.time()
for s in socks:
    s.settimeout(15)
    try:
        data = s.recv(100)
        print("closed %.1f %s" % (time.time() - start, "with an answer" if data else "unanswered"))
    except socket.timeout:
        print("open")
PY

start_receiver() {
	local try i
	for try in 1 2 3 4 5; do
		PORT=$("$PYTHON" -S -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		"$OMBRE" webhook --listen "127.0.0.1:$PORT" 2>"$1" &
		PID=$!
		for ((i = 0; i < 50; i++)); do
			grep -q 'listening on' "$1" && break
			kill -0 "$PID" 2>/dev/null || break
			sleep 0.1
		done
		grep -q 'listening on' "$1" && return 0
		wait "$PID" 2>/dev/null
	done
	return 1
}
req() { "$PYTHON" -S client.py "$PORT" "$@"; }

start_receiver webhook.log
ok "ombre webhook listens" grep -q "listening on 127.0.0.1:$PORT" webhook.log
ok "the status file is written at start" test -f "$STATUS"
like "with the pid and the address" "$(cat "$STATUS")" \
    "^pid	$PID
listen	127.0.0.1:$PORT
started	[0-9]+
"

# webhook.timeout: a stalled body is cut off, others are answered.
"$PYTHON" -S stall.py "$PORT" 1 >stall.out &
STALL=$!
sleep 0.5
is "meanwhile another client is answered" \
    "$(req POST /webhook/page '{"object":"page","entry":[]}' | cut -d' ' -f1)" 200
wait "$STALL"
like "the stalled client is closed unanswered after webhook.timeout (2s)" \
    "$(cat stall.out)" '^closed [1-5]\.[0-9] unanswered$'
is "only the answered body is spooled" "$(count "$SPOOL")" 1
like "the timeout is logged" "$(cat webhook.log)" \
    'webhook: /webhook/page timed out after 10 bytes of body, closed'

# A client that trickles its body, a byte every half second: never
# silent for long, cut off all the same once the request took the
# timeout in all.
cat >trickle.py <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"POST /webhook/page HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n")
start = time.time()
try:
    for i in range(40):
        s.sendall(b" ")
        time.sleep(0.5)
        s.setblocking(False)
        try:
            print("closed %.1f" % (time.time() - start) if s.recv(100) == b"" else "answered")
            break
        except BlockingIOError:
            pass
        s.setblocking(True)
    else:
        print("never closed")
except (BrokenPipeError, ConnectionResetError):
    print("closed %.1f" % (time.time() - start))
PY
like "a trickled body is cut off once the request took webhook.timeout" \
    "$("$PYTHON" -S trickle.py "$PORT")" '^closed [2-6]\.[0-9]$'
is "nothing spooled of it" "$(count "$SPOOL")" 1

# webhook.max-connections (3): a fourth client waits, and is served
# once the others go.
"$PYTHON" -S stall.py "$PORT" 3 release >cap.out
is "past the cap a client waits, and is served when the others close" \
    "$(cat cap.out)" "waiting
200"
is "the receiver still answers" \
    "$(req GET '/webhook/shop?hub.mode=subscribe&hub.verify_token=vt&hub.challenge=7')" "200 7"

# The status file's counts: 2 good POSTs and 1 bad signature to shop.
BODY='{"object":"whatsapp_business_account","entry":[]}'
is "a signed POST" "$(req POST /webhook/shop "$BODY" s3cr3t | cut -d' ' -f1)" 200
is "another" "$(req POST /webhook/shop "$BODY" s3cr3t | cut -d' ' -f1)" 200
is "a bad signature" "$(req POST /webhook/shop "$BODY" BAD | cut -d' ' -f1)" 401
for ((i = 0; i < 30; i++)); do
	grep -q '^channel	shop	2	[0-9]*	1	' "$STATUS" && break
	sleep 0.1
done
line=$(grep '^channel	shop	' "$STATUS")
is "shop: 2 payloads, 1 bad signature, nothing refused" \
    "$(cut -f3,5,7 <<<"$line")" "2	1	0"
is "its last failure" "$(cut -f9 <<<"$line")" "401 bad X-Hub-Signature-256"
ok "the times of the last payload and bad signature" \
    test "$(cut -f4 <<<"$line")" -gt 0 -a "$(cut -f6 <<<"$line")" -gt 0

out=$("$OMBRE" sync --status)
is "ombre sync --status: exit 0" "$?" 0
is "--json: the running receiver's pid" \
    "$("$OMBRE" sync --status --json | jq_py 'j["webhook"]["pid"]')" "$PID"
like "the receiver's block" "$out" \
    "webhook receiver: listening on 127.0.0.1:$PORT since [-0-9]+ [0-9:]+ \\(pid $PID\\)"
like "shop's payloads and bad signatures" "$out" \
    'shop: 2 payloads, last [-0-9]+ [0-9:]+, 1 bad signature \(last [-0-9]+ [0-9:]+\)'
like "page's" "$out" 'page: 2 payloads, last [^;]*; last failure [-0-9]+ [0-9:]+: timed out after [0-9]+ bytes of body'

# A refused body, with a control sequence in it.
BAD_BODY=$'not json \e]0;owned\a\e[31mred'
is "not JSON: 400" "$(req POST /webhook/page "$BAD_BODY" | cut -d' ' -f1)" 400
out=$("$OMBRE" webhook --quarantine)
is "ombre webhook --quarantine: exit 0" "$?" 0
like "lists it: time, channel, size, why" "$out" \
    $'1 body refused and kept[^\n]*\n[-0-9]+ [0-9:]+  page  '"$(printf '%s' "$BAD_BODY" | wc -c)"$' bytes  400 not JSON\n  /'
f=$(find "$DATA/webhook/quarantine" -name '*.json' | head -1)
like "and its path" "$out" "  $f"
ok "the reason beside it" test -f "${f%.json}.why"
out=$("$OMBRE" webhook --quarantine "$(basename "$f")")
is "--quarantine FILE: exit 0" "$?" 0
is "shows the body with its control characters made visible" "$out" \
    'not json ^[]0;owned^G^[[31mred'
is "the same by path" "$("$OMBRE" webhook --quarantine "$f")" "$out"
"$OMBRE" webhook --quarantine nope.json 2>/dev/null
is "a FILE that is not there: exit 1" "$?" 1
"$OMBRE" webhook --quarantine a b 2>/dev/null
is "two FILEs: exit 2" "$?" 2
for ((i = 0; i < 30; i++)); do
	grep -q '^channel	page	[0-9]*	[0-9]*	0	0	1	' "$STATUS" && break
	sleep 0.1
done
like "counted as refused" "$("$OMBRE" sync --status)" \
    'page: [0-9]+ payloads, last [^,]*, 1 refused; last failure [-0-9]+ [0-9:]+: 400 not JSON'

kill -TERM "$PID"
wait "$PID"
is "SIGTERM: exit 0" "$?" 0
like "the status file written at exit" "$(cat "$STATUS")" $'\nstopped\t[0-9]+\n'
out=$("$OMBRE" sync --status)
like "ombre sync --status: not running" "$out" \
    'webhook receiver: not running \(stopped [-0-9]+ [0-9:]+\)'
like "the counts of its run kept" "$out" 'shop: 2 payloads'
is "--json: a receiver not running has no pid (null), as the syncer" \
    "$("$OMBRE" sync --status --json |
    jq_py '[j["webhook"]["running"], j["webhook"]["pid"], j["syncer"]["pid"]]')" \
    '[false, null, null]'

# Killed: the file still says listening, the pid says otherwise.
start_receiver webhook2.log
ok "started again" grep -q "listening on 127.0.0.1:$PORT" webhook2.log
like "counts start again" "$("$OMBRE" sync --status)" 'shop: 0 payloads'
kill -KILL "$PID"
wait "$PID" 2>/dev/null
like "SIGKILL: not running" "$("$OMBRE" sync --status)" \
    $'webhook receiver: not running\n'

"$OMBRE" sync --status >/dev/null
is "a receiver that ran is known, no syncer ever ran: exit 0" "$?" 0

# No status file and webhook channels declared: not running.
rm "$STATUS"
is "no status file: not running" "$("$OMBRE" sync --status | grep webhook)" \
    "webhook receiver: not running"
ok "no syncer ever ran here" test ! -e "$DATA/sync/status"
"$OMBRE" sync --status >/dev/null
is "neither known, only a webhook channel declared: exit 1 (EXIT STATUS)" "$?" 1
json=$("$OMBRE" sync --status --json)
is "the same with --json" "$?" 1
is "--json: never started, its times unknown (null), not 0" \
    "$(jq_py '[j["webhook"]["started"], j["webhook"]["stopped"]]' <<<"$json")" \
    '[null, null]'
printf 'channel tg telegram token=1:x\n' >tg.conf
chmod 600 tg.conf
unlike "no webhook channel and no file: no block" \
    "$("$OMBRE" -c tg.conf sync --status)" 'webhook'

# The console's status line, in tmux: the receiver not running while
# webhook channels are declared, then bad signatures within the hour.
if command -v tmux >/dev/null; then
	tmux_init webhook-ops
	tmux_start 80 24 "'$OMBRE'; sleep 60"
	ok "the console: webhook receiver not running" \
	    wait_screen "webhook receiver not running" 10 ||
	    diag "$(tm capture-pane -p -t t | tail -n 2)"
	start_receiver webhook3.log
	is "a bad signature" "$(req POST /webhook/shop "$BODY" BAD | cut -d' ' -f1)" 401
	ok "the console: webhook: 1 bad signature" \
	    wait_screen "webhook: 1 bad signature" 10 ||
	    diag "$(tm capture-pane -p -t t | tail -n 2)"
	unlike "and no more that it is not running" \
	    "$(tm capture-pane -p -t t)" "not running"
	kill -TERM "$PID"
	wait "$PID"
	tm kill-server
else
	for t in "the console: webhook receiver not running" "a bad signature" \
	    "the console: webhook: 1 bad signature" \
	    "and no more that it is not running"; do
		skip "$t" "tmux is not installed"
	done
fi

test_done
