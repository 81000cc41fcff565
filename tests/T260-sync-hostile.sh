#!/usr/bin/env bash
#
# Hostile answers from the channels (issue 10) against the local Bot API
# and homeserver: one value jansson refuses (NUL, a lone surrogate, a raw
# 0xFF byte, an integer above 2^63, 5,000 levels of nesting, a float or a
# number where a string or an integer is due) never blocks a channel: the
# good updates of the page are stored, the cursor moves on, the bad one is
# quarantined and listed. An answer cut short every time is skipped one
# update at a time. Dates past the year 9999 never kill the syncer; a
# server's retry_after is bounded by sync.max-wait; a server's error text
# reaches stderr sanitised, even under -v.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=7012345678:AAH-hostile-T0KEN
server_start telegram --token "$TOKEN"
TG=$SERVER_PORT
server_start matrix --user @support:localhost --token syt_static_SECRET
MX=$SERVER_PORT

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
config() {
	{
		printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' \
		    "$TOKEN" "$TG"
		printf 'channel team matrix homeserver=http://127.0.0.1:%s user=@support:localhost token=syt_static_SECRET\n' \
		    "$MX"
		printf 'set sync.retry-base 100\nset sync.retry-cap 400\n'
		printf 'set net.connect-timeout 1000\nset sync.poll-timeout 1\n'
		printf 'set sync.attempts 5\n'
		printf '%s\n' "$@"
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
config

# clean FILE: no ESC, BEL, CR or C1 control (raw or as UTF-8) in FILE.
clean() {
	"$PYTHON" -S - "$1" <<'PY'
import re, sys
d = open(sys.argv[1], "rb").read()
bad = re.search(rb"[\x1b\x07\r]|\xc2[\x80-\x9f]", d)
if bad:
    print("control byte at %d: %r" % (bad.start(), d[max(bad.start() - 20, 0):bad.end() + 20]))
    sys.exit(1)
PY
}
# texts CONV: the texts of a conversation's messages, one a line.
texts() {
	"$OMBRE" show --json "$1" | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    print(json.loads(line).get("text", ""))'
}
# conv ID: the CONV of the conversation whose channel id is ID.
conv() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["id"])' "$1"
}

# --- A: one getUpdates page, good and hostile updates ------------------
now=$(date +%s)
"$PYTHON" -S - "$now" >page.json <<'PY'
import base64, json, sys
now = int(sys.argv[1])
who = (b'"chat":{"id":900,"type":"private","first_name":"Hostile"},'
       b'"from":{"id":900,"is_bot":false,"first_name":"Hostile"}')
def raw(mid, rest, head=b'"update_id":{update_id},', date=b"%d" % now):
    body = (b'{' + head + b'"message":{"message_id":' + mid + b',"date":' +
            date + b',' + who + rest + b'}}')
    return {"raw_base64": base64.b64encode(body).decode()}
good = lambda mid, text: {"message": {"message_id": mid, "date": now,
    "chat": {"id": 900, "type": "private", "first_name": "Hostile"},
    "from": {"id": 900, "is_bot": False, "first_name": "Hostile"}, "text": text}}
page = [
    good(1, "avant"),
    raw(b"2", b',"text":"nul\\u0000here"'),
    raw(b"3", b',"text":"lone\\ud800here"'),
    raw(b"4", b',"text":"raw\xffbyte"'),
    raw(b"18446744073709551616", b',"text":"big id"'),
    raw(b"6", b',"x":' + b"[" * 5000 + b"]" * 5000 + b',"text":"deep"'),
    raw(b"7", b',"text":"float date"', date=b"1.7e9"),
    raw(b"8", b',"text":42'),
    raw(b"9", b',"text":"no update_id"', head=b""),
    raw(b"10", b',"text":"year 10000"', date=b"253402300800"),
    good(11, "après"),
]
json.dump(page, sys.stdout)
PY
ctl "$TG" updates "$(cat page.json)" >ids.json
last=$(jq_py 'j["last_update_id"]' <ids.json)
"$OMBRE" sync --once --channel support 2>err
ok "a page with hostile updates: sync --once exits 0" test $? = 0 || diag "$(cat err)"
c900=$(conv 900)
t=$(texts "$c900")
is "the good updates are stored, bad strings repaired (NUL, lone surrogate, 0xFF as U+FFFD)" \
    "$t" "avant
nul�here
lone�here
raw�byte
après"
is "the offset moved past the page" "$(cat "$DATA/sync/support.offset")" $((last + 1))
is "the server saw every update confirmed" \
    "$(ctl "$TG" state | jq_py 'j["confirmed_offset"]')" $((last + 1))
q=$("$OMBRE" sync --quarantine)
ok "sync --quarantine exits 0" test $? = 0
like "it counts 6 items" "$q" '^6 items quarantined'
like "an integer above 2^63 is quarantined, the update alone" "$q" 'update, [0-9]+ bytes: not JSON that can be read: too big integer'
like "so is nesting 5,000 deep" "$q" 'update, 10[0-9]{3} bytes: not JSON that can be read: .*depth'
like "a float date" "$q" 'date is not an integer'
like "a text that is a number" "$q" 'text is not a string'
like "an update without update_id" "$q" 'an update without an integer update_id'
like "a date in the year 10000" "$q" 'date is out of range'
like "with the channel and a full date" "$q" 'support  [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8}  update'
is "one file each in DATA/sync/quarantine" "$(ls "$DATA/sync/quarantine" | wc -l)" 6
like "sync --status shows the count" "$("$OMBRE" sync --status)" \
    '6 updates quarantined: see `ombre sync --quarantine`'
is "a second run takes nothing twice" "$("$OMBRE" sync --once --channel support 2>&1; ls "$DATA/sync/quarantine" | wc -l)" 6

# --- A: an answer cut short every time, at the same byte ---------------
"$PYTHON" -S - "$now" >page.json <<'PY'
import base64, json, sys
now = int(sys.argv[1])
who = (b'"chat":{"id":901,"type":"private","first_name":"Cut"},'
       b'"from":{"id":901,"is_bot":false,"first_name":"Cut"}')
long = b"\x1b[2J\x07\xc2\x9b31m " + b"x" * 3000
body = (b'{"update_id":{update_id},"message":{"message_id":2,"date":%d,' % now +
        who + b',"text":"' + long + b'"}}')
good = lambda mid, text: {"message": {"message_id": mid, "date": now,
    "chat": {"id": 901, "type": "private", "first_name": "Cut"},
    "from": {"id": 901, "is_bot": False, "first_name": "Cut"}, "text": text}}
json.dump([good(1, "court"), {"raw_base64": base64.b64encode(body).decode()},
           good(3, "suite")], sys.stdout)
PY
ctl "$TG" updates "$(cat page.json)" >ids.json
last=$(jq_py 'j["last_update_id"]' <ids.json)
ctl "$TG" faults '[{"match": "getUpdates", "kind": "truncate", "bytes": 1500, "count": 40}]' >/dev/null
"$OMBRE" sync --once --channel support 2>err
ok "answers cut short at the same byte every time: sync --once exits 0" test $? = 0 || diag "$(cat err)"
ctl "$TG" reset '{}' >/dev/null
is "the updates before and after the one cut are stored" "$(texts "$(conv 901)")" "court
suite"
is "the offset moved past them" "$(cat "$DATA/sync/support.offset")" $((last + 1))
q=$("$OMBRE" sync --quarantine)
like "the update cut short is quarantined" "$q" 'update, [0-9]+ bytes: HTTP 200: the answer is not JSON \(cut short\)'
"$OMBRE" sync --quarantine >q.out
ok "sync --quarantine shows no control byte of what it keeps" clean q.out
ok "the quarantine keeps the raw bytes" grep -qa $'\e\\[2J' "$DATA"/sync/quarantine/*

# --- A and B: a /sync answer with hostile events ----------------------
ctl "$MX" rooms '{"room_id": "!h:localhost", "name": "Hostile room",
  "members": [{"user_id": "@eve:localhost", "displayname": "Eve"}]}' >/dev/null
ms=$((now * 1000))
"$PYTHON" -S - "$ms" >events.json <<'PY'
import base64, json, sys
ms = int(sys.argv[1])
def raw(body):
    ev = (b'{"event_id":"{event_id}","type":"m.room.message","sender":"@eve:localhost",'
          b'"origin_server_ts":%d,"content":{"msgtype":"m.text","body":"' % ms + body + b'"}')
    return {"raw_base64": base64.b64encode(ev + b"}").decode()}
def ev(body, ts=ms):
    return {"type": "m.room.message", "sender": "@eve:localhost",
            "origin_server_ts": ts, "content": {"msgtype": "m.text", "body": body}}
events = [
    ev("avant"),
    raw(b'raw\xffbyte'),
    raw(b'big", "size": 99999999999999999999, "x":"'),
    raw(b'deep", "x":' + b"[" * 5000 + b"]" * 5000 + b', "y":"'),
    ev("year 10000", 253402300800000),
    ev("long ago", -9000000000000000),
    ev(42),
    ev("après"),
]
json.dump({"room_id": "!h:localhost", "events": events}, sys.stdout)
PY
ctl "$MX" events "$(cat events.json)" >/dev/null
"$OMBRE" sync --once --channel team 2>err
ok "a /sync answer with hostile events and dates: sync --once exits 0 (not 70)" test $? = 0 ||
    diag "$(cat err)"
is "the good events are stored" "$(texts "$(conv '!h:localhost')")" "avant
raw�byte
après"
is "the since token moved on" "$(cat "$DATA/sync/team.since")" \
    "s$(ctl "$MX" state | jq_py 'j["position"]')"
q=$("$OMBRE" sync --quarantine)
like "12 items are quarantined now (6 updates, 1 cut short, 5 events)" "$q" '^12 items quarantined'
like "a date past the year 9999 is quarantined" "$q" 'team  [0-9-]+ [0-9:]+  event, [0-9]+ bytes: origin_server_ts is out of range'
like "a body that is a number" "$q" 'team  .*event.*body is not a string'
like "an event with an integer above 2^63" "$q" 'team  .*event.*too big integer'
ctl "$MX" events '{"room_id": "!h:localhost", "events": [{"type": "m.room.message", "sender": "@eve:localhost", "origin_server_ts": 253402300800000, "content": {"msgtype": "m.text", "body": "again"}}, {"type": "m.room.message", "sender": "@eve:localhost", "content": {"msgtype": "m.text", "body": "later"}}]}' >/dev/null
"$OMBRE" sync --once --channel team 2>err
ok "the syncer starts again over a date past 9999" test $? = 0 || diag "$(cat err)"
like "and stores what came later" "$(texts "$(conv '!h:localhost')")" 'later$'

# --- A: a /sync answer cut short every time -----------------------------
pos=$(ctl "$MX" state | jq_py 'j["position"]')
body=$(printf '{"next_batch":"s%s","rooms":{"join":{"!h:localhost":{"timeline":{"events":[{"type":"m.room.mess' "$pos" | base64 -w0)
ctl "$MX" faults '[{"match": "sync", "kind": "raw", "body_base64": "'"$body"'", "count": 3}]' >/dev/null
"$OMBRE" sync --once --channel team 2>err
ok "a /sync answer cut short 3 times: sync --once exits 0" test $? = 0 || diag "$(cat err)"
like "it is quarantined whole" "$("$OMBRE" sync --quarantine)" 'team  .*answer, [0-9]+ bytes: /sync: the answer is not JSON'
is "and since moved to its next_batch" "$(cat "$DATA/sync/team.since")" "s$pos"
ctl "$MX" reset '{}' >/dev/null

# --- C: a retry_after of 10^8 s waits sync.max-wait ---------------------
config "set sync.max-wait 2"
ctl "$TG" generate '{"count": 1, "chats": 1, "seed": 5}' >/dev/null
ctl "$TG" faults '[{"match": "getUpdates", "kind": "rate_limit", "retry_after": 100000000},
                   {"match": "getUpdates", "kind": "rate_limit", "retry_after": 9223372036854775807}]' >/dev/null
ctl "$MX" faults '[{"match": "sync", "kind": "rate_limit", "retry_after": 100000000}]' >/dev/null
before=$(nm count '*')
start=$(date +%s)
timeout 60 "$OMBRE" sync --once 2>err &
pid=$!
sleep 1
st=$("$OMBRE" sync --status)
wait $pid
rc=$?
took=$(($(date +%s) - start))
is "sync --once with retry_after 10^8 and 2^63-1 ends well" "$rc" 0 || diag "$(cat err)"
ok "within the cap (sync.max-wait 2), not the 10^8 s asked: ${took}s" test "$took" -le 45
like "sync --status shows the full date of the next try" "$st" \
    'rate-limited until [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'
is "and the update is stored" "$(nm count '*')" $((before + 1))

# --- D: a server's error text under -v --------------------------------
ctl "$TG" reset '{}' >/dev/null
ctl "$TG" faults '[{"match": "getUpdates", "kind": "status", "status": 500, "count": 5,
  "description": "\u001b]0;pwned\u0007\r\u0085\u009b2J boom\nombre: support: connected"}]' >/dev/null
ctl "$MX" faults '[{"match": "sync", "kind": "status", "status": 500, "count": 5,
  "error": "\u001b[31m\u0007\r\u009dred\nombre: team: connected"}]' >/dev/null
config "set sync.attempts 2"
"$OMBRE" -v sync --once 2>err
like "the errors are reported" "$(cat err)" 'boom.*'
ok "stderr under -v holds no ESC, BEL, CR or C1 control" clean err
ok "and no forged log line" bash -c "! grep -qa '^ombre: [a-z]*: connected' err"
ok "nor does the status file" clean "$DATA/sync/status"
ctl "$TG" reset '{}' >/dev/null
ctl "$MX" reset '{}' >/dev/null

test_done
