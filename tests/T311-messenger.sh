#!/usr/bin/env bash
#
# Messenger end to end (issue 13): Meta's sample payloads
# (tests/corpora/meta) through `ombre webhook` and `ombre sync`, replies
# to the Graph API test server. Messages, attachments, quick replies,
# replies, edits and standby traffic stored; an agent's reply from Meta
# Business Suite stored as ours, our own echo never stored twice;
# deliveries and reads on replies; handovers setting the mode; take-over
# and hand-back making the thread-control calls (and the Send API's
# thread_control where Conversation Routing refuses them); HUMAN_AGENT
# past the window, 2018278 without it, a thread another app owns.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=graph-T0KEN-never-shown
PAGE=987654321
PSID=4125730857493412
server_start graph --token "$TOKEN"
GRAPH=$SERVER_PORT
SAMPLES=$top_srcdir/tests/corpora/meta

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
config() {
	{
		printf 'channel page messenger page-id=%s token=%s app-secret=s3cr3t app-id=1122334455000 bot-app-id=1122334455 api-url=http://127.0.0.1:%s %s\n' \
		    "$PAGE" "$TOKEN" "$GRAPH" "$*"
		printf 'set sync.retry-base 100\nset sync.retry-cap 400\n'
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
config human-agent-tag=yes

webhook_start
post() { "$PYTHON" -S "$top_srcdir/tests/servers/meta_post.py" \
    --url "http://127.0.0.1:$WEBHOOK_PORT/webhook/page" --app-secret s3cr3t "$@"; }
sync_once() { "$OMBRE" sync --once >sync.out 2>sync.err; }
conv() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["id"])' "$1"
}
sent() { ctl "$GRAPH" "sent?endpoint=${1:-fb_messages}"; }
# syncer_start / syncer_stop: ombre sync in the background (the feed is
# followed from when it starts).
syncer_start() {
	"$OMBRE" sync >syncd.out 2>>syncd.err &
	SYNC_PID=$!
	for ((i = 0; i < 400; i++)); do
		"$OMBRE" sync --status | grep -q '^syncer: running' && return
		sleep 0.05
	done
	diag "the syncer is not running after 20 s: $(tail -n 5 syncd.err)"
}
syncer_stop() { kill "$SYNC_PID"; wait "$SYNC_PID" 2>/dev/null; }
# wait_sent ENDPOINT N: until the server performed N requests there (30 s
# at most: a loaded machine), else what the syncer said.
wait_sent() {
	local end=$((SECONDS + 30))
	while ((SECONDS < end)); do
		[ "$(sent "$1" | jq_py 'len(j)')" -ge "$2" ] && return 0
		sleep 0.2
	done
	diag "no $1 call; the syncer said: $(tail -n 5 syncd.err)"
	return 1
}

# --- messages, attachments, echoes from elsewhere, edits, standby ----------
post --quiet --expect 200 "$SAMPLES"/fb-text.json "$SAMPLES"/fb-attachment-*.json \
    "$SAMPLES"/fb-quick-reply.json "$SAMPLES"/fb-reply-to.json \
    "$SAMPLES"/fb-echo-business-suite.json "$SAMPLES"/fb-edit.json \
    "$SAMPLES"/fb-standby.json "$SAMPLES"/fb-batched.json "$SAMPLES"/fb-app-roles.json
ok "every Messenger sample is answered 200" test $? = 0
sync_once
ok "ombre sync --once takes them" test $? = 0 || diag "$(cat sync.err)"
is "the spool is empty" "$(find "$DATA/webhook/spool" -type f | wc -l)" 0
c=$(conv "$PSID")
ok "the customer's conversation is keyed on the PSID" test -n "$c"
json=$("$OMBRE" show --json "$c")
like "a text" "$json" '"kind":"customer"'
like "an image attachment keeps its URL" "$json" '"url":"https://'
like "a reply keeps what it answers" "$json" '"reply_to":"m_'
like "an edit points at the message edited" "$json" '"edit_of":"m_'
like "an agent's reply from Meta Business Suite is ours" "$json" '"kind":"agent"'
is "nothing quarantined (app_roles is information, not a message)" \
    "$(find "$DATA/sync/quarantine" -type f 2>/dev/null | wc -l)" 0
n_before=$(nm count '*')
post --quiet --repeat 3 --shuffle 11 --expect 200 "$SAMPLES"/fb-text.json \
    "$SAMPLES"/fb-batched.json "$SAMPLES"/fb-echo-business-suite.json
sync_once
is "redelivered and reordered: nothing stored twice" "$(nm count '*')" "$n_before"

# --- a reply, its echo, its delivery and read ---------------------------------
post --quiet --generate-messenger 1 --page-id "$PAGE" --customers 1 --seed 4 \
    --start "$(date +%s)" --canonical fresh.jsonl >/dev/null
sync_once
cust=$(jq_py 'j["conversation"]["id"]' <fresh.jsonl)
c1=$(conv "$cust")
"$OMBRE" reply "$c1" --text "Bonjour ! Je regarde." >/dev/null
sync_once
ok "sync --once sends it" test $? = 0 || diag "$(cat sync.err)"
req=$(sent | jq_py '[r["request"] for r in j][-1]')
is "RESPONSE inside the window, to the PSID, with the outbound id as metadata" \
    "$(jq_py '[j["messaging_type"], j["recipient"]["id"], j["message"]["text"], j["message"]["metadata"].startswith("ombre:out.")]' <<<"$req")" \
    "[\"RESPONSE\", \"$cust\", \"Bonjour ! Je regarde.\", true]"
mid=$(sent | jq_py '[r["id"] for r in j][-1]')
meta=$(jq_py 'j["message"]["metadata"]' <<<"$req")
n1=$(nm count '*')
"$PYTHON" -S - "$PAGE" "$cust" "$mid" "$meta" >echo.json <<'PY'
import json, sys, time
page, psid, mid, meta = sys.argv[1:5]
t = int(time.time() * 1000)
print(json.dumps({"object": "page", "entry": [{"id": page, "time": t, "messaging": [
    {"sender": {"id": page}, "recipient": {"id": psid}, "timestamp": t,
     "message": {"is_echo": True, "app_id": 1122334455000, "metadata": meta,
                 "mid": mid, "text": "Bonjour ! Je regarde."}}]}]}))
print(json.dumps({"object": "page", "entry": [{"id": page, "time": t, "messaging": [
    {"sender": {"id": psid}, "recipient": {"id": page},
     "delivery": {"mids": [mid], "watermark": t}}]}]}))
print(json.dumps({"object": "page", "entry": [{"id": page, "time": t, "messaging": [
    {"sender": {"id": psid}, "recipient": {"id": page}, "timestamp": t,
     "read": {"watermark": t}}]}]}))
PY
split -l 1 echo.json part.
post --quiet --expect 200 part.aa part.ab part.ac
sync_once
is "our own echo is not stored again" "$(nm count '*')" "$n1"
like "delivered, then read: the thread says read" "$("$OMBRE" show "$c1")" '\[read [^]]*[0-9]{2}:[0-9]{2}\]'

# --- handovers set the mode -----------------------------------------------
post --quiet --expect 200 "$SAMPLES/fb-handover-pass-to-inbox.json"
sync_once
is "a thread passed to the Page Inbox needs a human" \
    "$(nm count "tag:ombre/handoff and property:ombre.conv-id=$PSID")" \
    "$(nm count "property:ombre.conv-id=$PSID")"
like "the history says so" "$("$OMBRE" show "$c")" 'the thread was passed to the Page Inbox'
like "and show says who has the thread" "$("$OMBRE" show "$c")" $'\nThread control: the Page Inbox\n'
post --quiet --expect 200 "$SAMPLES/fb-handover-pass-to-bot.json"
sync_once
is "passed to the bot app: the bot has it again" \
    "$(nm count "tag:ombre/bot and not tag:ombre/handoff and property:ombre.conv-id=$PSID")" \
    "$(nm count "property:ombre.conv-id=$PSID")"
like "the bot app has the thread" "$("$OMBRE" show "$c")" $'\nThread control: the bot app\n'

# --- take-over and hand-back make the thread-control calls --------------------
syncer_start
"$OMBRE" take-over "$c" >/dev/null
ok "a take-over in ombre takes the thread" wait_sent take_thread_control 1
is "for the PSID" "$(sent take_thread_control | jq_py '[r["recipient"] for r in j]')" "[\"$PSID\"]"
"$OMBRE" hand-back "$c" >/dev/null
ok "a hand-back passes it" wait_sent pass_thread_control 1
is "to the bot app" "$(sent pass_thread_control | jq_py '[r["request"]["target_app_id"] for r in j]')" \
    '["1122334455"]'
# Conversation Routing: take_thread_control refused, the Send API's
# thread_control instead (an idle thread: only its owner may pass one).
ctl "$GRAPH" config '{"handover_disabled": ["take_thread_control"]}' >/dev/null
ctl "$GRAPH" threads "{\"recipient\": \"$PSID\", \"owner\": null, \"page\": \"$PAGE\"}" >/dev/null
n0=$(sent | jq_py 'len(j)')
"$OMBRE" take-over "$c" >/dev/null
ok "refused take_thread_control: the Send API's thread_control" wait_sent fb_messages $((n0 + 1))
is "passing the thread to ombre's app" \
    "$(sent | jq_py '[r["request"].get("thread_control") for r in j][-1]')" \
    '{"app_id": "1122334455000", "control_type": "pass"}'
syncer_stop
ctl "$GRAPH" config '{"handover_disabled": false}' >/dev/null

# --- past the 24-hour window ------------------------------------------------------
ctl "$GRAPH" inbound "{\"customer\": \"$cust\", \"ago\": 172800}" >/dev/null
"$OMBRE" reply "$c1" --text "Désolé pour l'attente." >/dev/null
sync_once
req=$(sent | jq_py '[r["request"] for r in j][-1]')
is "a human's reply refused past the window goes again with HUMAN_AGENT" \
    "$(jq_py '[j["messaging_type"], j["tag"]]' <<<"$req")" '["MESSAGE_TAG", "HUMAN_AGENT"]'
is "and is sent" "$("$OMBRE" outbox | grep -c queued)" 0
config
"$OMBRE" reply "$c1" --text "Et maintenant ?" >/dev/null
sync_once
like "without human-agent-tag: 2018278 fails it with its reason" "$("$OMBRE" show "$c1")" 'FAILED: 10/2018278'

# --- a thread another app owns ----------------------------------------------------
ctl "$GRAPH" inbound "{\"customer\": \"$cust\", \"ago\": 10}" >/dev/null
ctl "$GRAPH" faults '[{"kind": "thread_owned", "match": "fb_messages"}]' >/dev/null
"$OMBRE" reply "$c1" --text "Encore moi." >/dev/null
sync_once
like "a send refused because another app owns the thread says so" \
    "$("$OMBRE" show "$c1")" 'another app owns the thread'
ok "no token anywhere" bash -c "! grep -rqa '$TOKEN' '$DATA' sync.err syncd.err"

webhook_stop
test_done
