#!/usr/bin/env bash
#
# LINE Messaging API end to end (issue 14): the reference's sample events
# (tests/corpora/line) POSTed with X-Line-Signature to `ombre webhook`,
# taken from the spool by `ombre sync`, replies sent to the LINE test
# server (tests/servers/line.py) through real libcurl. Signatures good,
# bad and missing; redeliveries stored once; every event type; a fresh
# reply token answered with /reply, an old one by /push with
# X-Line-Retry-Key; a push cut off sent once (409 on the repeat); the
# monthly quota failing with its reason; content on demand; mark as read.

. "$top_srcdir/tests/lib.sh"
test_init
# A reply token's age is counted on the real clock (the events' times are).
unset OMBRE_NOW
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=line-T0KEN-never-shown
server_start line --token "$TOKEN"
LINE=$SERVER_PORT
SAMPLES=$top_srcdir/tests/corpora/line
USER=U4af4980629aaaaaaaaaaaaaaaaaaaaaa

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
cat >"$CONFIG" <<CONF
channel line line token=$TOKEN channel-secret=ch4nn3l api-url=http://127.0.0.1:$LINE data-api-url=http://127.0.0.1:$LINE
set sync.retry-base 100
set sync.retry-cap 400
CONF
chmod 600 "$CONFIG"

webhook_start
post() { "$PYTHON" -S "$top_srcdir/tests/servers/meta_post.py" --line \
    --url "http://127.0.0.1:$WEBHOOK_PORT/webhook/line" --app-secret ch4nn3l "$@"; }
spool() { find "$DATA/webhook/spool" -type f 2>/dev/null | wc -l; }
sync_once() { "$OMBRE" sync --once >sync.out 2>sync.err; }
conv() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["id"])' "$1"
}
sent() { ctl "$LINE" sent; }
# event_body ID TOKEN [AGO-SECONDS]: a text message event from USER.
event_body() {
	"$PYTHON" -S - "$@" <<'PY'
import json, sys, time
mid, token = sys.argv[1], sys.argv[2]
ago = int(sys.argv[3]) if len(sys.argv) > 3 else 0
print(json.dumps({"destination": "Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "events": [{
    "type": "message", "mode": "active",
    "timestamp": int((time.time() - ago) * 1000),
    "source": {"type": "user", "userId": "U4af4980629aaaaaaaaaaaaaaaaaaaaaa"},
    "webhookEventId": "01H" + mid, "deliveryContext": {"isRedelivery": False},
    "replyToken": token,
    "message": {"id": mid, "type": "text", "text": "question " + mid,
                "quoteToken": "q" + mid, "markAsReadToken": "read-" + mid}}]}))
PY
}

# --- signatures -----------------------------------------------------------------
post --quiet --bad-signature --expect 401 "$SAMPLES/line-text.json"
ok "a bad X-Line-Signature is answered 401" test $? = 0
post --quiet --no-signature --expect 401 "$SAMPLES/line-text.json"
ok "a missing one too" test $? = 0
is "and nothing is spooled" "$(spool)" 0
printf '{"object":"page","entry":[]}' >other.json
post --quiet --expect 400 other.json
ok "a body of another shape is refused (400)" test $? = 0
is "and kept by the receiver" "$(find "$DATA/webhook/quarantine" -name '*.json' | wc -l)" 1

# --- every sample event -------------------------------------------------------------
n_samples=$(ls "$SAMPLES"/line-*.json | wc -l)
post --quiet --expect 200 "$SAMPLES"/line-*.json
ok "every LINE sample is answered 200" test $? = 0
sync_once
ok "ombre sync --once takes the spool" test $? = 0 || diag "$(cat sync.err)"
is "the spool is empty" "$(spool)" 0
expected=$("$PYTHON" -S - "$SAMPLES" <<'PY'
import glob, json, sys
print(sum(len(json.load(open(f))["events"]) for f in glob.glob(sys.argv[1] + "/line-*.json")))
PY
)
is "every event of the samples is stored ($expected)" "$(nm count '*')" "$expected"
user=$(conv "$USER")
ok "the user's conversation" test -n "$user"
json=$("$OMBRE" show --json "$user")
like "a text" "$json" 'Hello, world! \(love\)'
like "an image is fetched on demand (line-content:ID)" "$json" '"url":"line-content:354718705033693859"'
like "an external video keeps its URL" "$json" '"url":"https://example.com/original.mp4"'
like "a file its name" "$json" '\[file\] file.txt'
like "a location is text" "$json" '\[location\] my location, 1-3 Kioicho'
like "a sticker" "$json" '\[sticker 1/1\]'
like "an unsend says so" "$json" '\[unsent by the customer\]'
like "and names the message taken back, which is kept" "$json" '"reply_to":"325712"'
like "follow" "$json" '\[followed the account\]'
like "unfollow" "$json" '\[unfollowed the account\]'
like "a postback its data" "$json" '\[postback\] storeId=12345'
like "a standby event is stored" "$json" 'seen by another module'
group=$(conv Ca56f94637cc4347f90a25382909b24b9)
ok "a group is a conversation of its own" test -n "$group"
like "an edit names the message edited" "$("$OMBRE" show --json "$group")" '"edit_of":"468789577898262530"'

# --- redeliveries ------------------------------------------------------------------
post --quiet --repeat 3 --shuffle 5 --concurrency 3 --expect 200 "$SAMPLES"/line-*.json
sync_once
is "redelivered three times: still one message each" "$(nm count '*')" "$expected"

# --- content on demand ----------------------------------------------------------
printf 'JPEG bytes of the photo' >photo.jpg
ctl "$LINE" content "{\"id\": \"354718705033693859\", \"mime_type\": \"image/jpeg\", \"content_base64\": \"$(base64 -w0 photo.jpg)\"}" >/dev/null
"$OMBRE" fetch "$user" >/dev/null
sync_once
path=$("$OMBRE" show --json "$user" | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    for a in json.loads(line).get("attachments", []):
        if a.get("url") == "line-content:354718705033693859":
            print(a.get("local", ""))')
ok "the image is fetched from the content endpoint with the token" cmp -s photo.jpg "$path"

# --- a fresh reply token: /reply --------------------------------------------------
ctl "$LINE" token '{"token": "tok-fresh"}' >/dev/null
event_body 900001 tok-fresh >fresh.json
post --quiet --expect 200 fresh.json
sync_once
"$OMBRE" reply "$user" --text "Bonjour, je regarde." >/dev/null
ok "ombre reply queues it" test $? = 0
sync_once
ok "sync --once sends it" test $? = 0 || diag "$(cat sync.err)"
is "through /reply with the fresh token" \
    "$(sent | jq_py '[[r["endpoint"], r.get("replyToken"), r["text"]] for r in j][-1]')" \
    '["reply", "tok-fresh", "Bonjour, je regarde."]'
id=$(sent | jq_py '[r["id"] for r in j][-1]')
is "the reply is sent, LINE's id kept" \
    "$(nm count "property:ombre.remote-id=$id and property:ombre.outbox=sent")" 1

# --- the token used, or expired: /push with a retry key -------------------------------
"$OMBRE" reply "$user" --text "Encore un mot." >/dev/null
sync_once
is "a second reply (the token is single use) is pushed" \
    "$(sent | jq_py '[[r["endpoint"], r.get("to"), r["text"]] for r in j][-1]')" \
    "[\"push\", \"$USER\", \"Encore un mot.\"]"
like "with X-Line-Retry-Key set to the reply's uuid" \
    "$(sent | jq_py '[r["retry_key"] for r in j][-1]')" \
    '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
ctl "$LINE" token '{"token": "tok-old", "ago": 120}' >/dev/null
event_body 900002 tok-old 120 >old.json
post --quiet --expect 200 old.json
sync_once
"$OMBRE" reply "$user" --text "Deux minutes plus tard." >/dev/null
sync_once
is "a token two minutes old is not tried: pushed" \
    "$(sent | jq_py '[r["endpoint"] for r in j][-1]')" push
is "the old token was never sent" \
    "$(ctl "$LINE" log | jq_py 'len([r for r in j if r["endpoint"] == "reply"])')" 1
ctl "$LINE" token '{"token": "tok-refused", "ago": 120}' >/dev/null
event_body 900003 tok-refused >refused.json
post --quiet --expect 200 refused.json
sync_once
"$OMBRE" reply "$user" --text "Refusé puis poussé." >/dev/null
sync_once
is "a token LINE refuses (400): nothing sent, pushed instead" \
    "$(ctl "$LINE" log | jq_py '[r["endpoint"] + " " + str(r["status"]) for r in j if r["endpoint"] in ("reply", "push")][-2:]')" \
    '["reply 400", "push 200"]'
is "the reply is sent once" "$(nm count 'property:ombre.outbox=sent and poussé')" 1

# --- a push cut off, sent again: 409, sent once ------------------------------------
n0=$(sent | jq_py 'len(j)')
ctl "$LINE" faults '[{"kind": "reset", "match": "push"}]' >/dev/null
"$OMBRE" reply "$user" --text "Coupé en route." >/dev/null
sync_once
ok "sync --once ends" test $? = 0 || diag "$(cat sync.err)"
is "the cut push was tried again with the same key (log: 2 pushes)" \
    "$(ctl "$LINE" log | jq_py 'len(set(r["retry_key"] for r in j if r["endpoint"] == "push" and r["body"]["messages"][0]["text"] == "Coupé en route."))'),$(ctl "$LINE" log | jq_py 'len([r for r in j if r["endpoint"] == "push" and r["body"]["messages"][0]["text"] == "Coupé en route."])')" "1,2"
is "LINE answered 409 the second time" \
    "$(ctl "$LINE" log | jq_py '[r["status"] for r in j if r["endpoint"] == "push"][-1]')" 409
is "and it went out once" "$(sent | jq_py 'len(j)')" $((n0 + 1))
is "the reply is sent, not unknown" \
    "$(nm count 'property:ombre.outbox=sent and Coupé')" 1

# --- throttled, then the monthly quota ------------------------------------------------
ctl "$LINE" faults '[{"kind": "rate_limit", "retry_after": 1, "match": "push"}]' >/dev/null
"$OMBRE" reply "$user" --text "Patience." >/dev/null
sync_once
is "a 429 is tried again, sent" "$(nm count 'property:ombre.outbox=sent and Patience')" 1
ctl "$LINE" faults '[{"kind": "quota", "match": "push"}]' >/dev/null
"$OMBRE" reply "$user" --text "Hors quota." >/dev/null
sync_once
is "the monthly quota fails the reply" "$(nm count 'property:ombre.outbox=failed')" 1
like "with LINE's reason" "$("$OMBRE" show "$user")" 'monthly limit'

# --- standby: never answered ----------------------------------------------------------
is "no reply token was kept from a standby event" \
    "$(ctl "$LINE" log | jq_py 'len([r for r in j if r["endpoint"] == "reply" and r["body"].get("replyToken") == "nHuyWiB7yP5Zw52FIkcQobQuGDXCTA"])')" 0

# --- mark as read ------------------------------------------------------------------------
"$OMBRE" sync >syncd.out 2>syncd.err &
SYNC_PID=$!
for ((i = 0; i < 50; i++)); do
	"$OMBRE" sync --status | grep -q '^syncer: running' && break
	sleep 0.1
done
"$OMBRE" tag "$user" +unread
"$OMBRE" tag "$user" -unread
for ((i = 0; i < 50; i++)); do
	[ "$(sent | jq_py 'len([r for r in j if r["endpoint"] == "mark_read"])')" -ge 1 ] && break
	sleep 0.1
done
is "reading the conversation marks it read with its newest markAsReadToken" \
    "$(sent | jq_py '[r["token"] for r in j if r["endpoint"] == "mark_read"]')" '["read-900003"]'
kill "$SYNC_PID"; wait "$SYNC_PID" 2>/dev/null

webhook_stop
test_done
