#!/usr/bin/env bash
#
# Replies end to end through `ombre reply`, `ombre outbox` and the syncer
# against the local Telegram and Matrix servers: a syncer killed with
# SIGKILL during a send (Telegram: "unknown", never resent until the agent
# says so; Matrix: sent again with the same txnId, one event), an offline
# queue drained once and in order, internal notes that never leave, the
# channel's limit and 24-hour window refusing before anything is stored,
# the double-answer guard (--base, --force), and the agent's decisions
# on the outbox (resend, mark-sent, discard).

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=7012345678:AAH-replies-T0KEN
server_start telegram --token "$TOKEN"
TG=$SERVER_PORT
server_start matrix --user @support:localhost --token syt_replies_token
MX=$SERVER_PORT
server_start graph --token graph-T0KEN
GRAPH=$SERVER_PORT

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
# config [EXTRA...]: both channels on the local servers, fast retries.
config() {
	{
		printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' \
		    "$TOKEN" "$TG"
		printf 'channel team matrix homeserver=http://127.0.0.1:%s user=@support:localhost token=syt_replies_token\n' \
		    "$MX"
		# Webhook channels: their replies are refused without them;
		# the syncer sends them to the Graph test server.
		printf 'channel wa whatsapp phone-number-id=wa-acct token=graph-T0KEN api-url=http://127.0.0.1:%s\n' "$GRAPH"
		printf 'channel fb messenger page-id=fb-page token=graph-T0KEN api-url=http://127.0.0.1:%s\n' "$GRAPH"
		printf 'set sync.retry-base 100\nset sync.retry-cap 400\n'
		printf 'set net.connect-timeout 1000\nset sync.poll-timeout 1\n'
		printf 'set store.batch-ms 20\n'
		printf '%s\n' "$@"
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
config

# wait_for SECONDS CMD [ARG...]: until CMD succeeds, at most SECONDS.
wait_for() {
	local i limit=$(($1 * 10))
	shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# The conversation (CONV, as list prints it) whose channel's id is $1.
conv_of() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["id"])' "$1"
}

# state CONV RID: the outbox state of reply RID in CONV ("-" if it has
# none, "absent" if the conversation does not hold it).
state() {
	"$OMBRE" show --json "$1" | "$PYTHON" -S -c '
import json, sys
s = "absent"
for line in sys.stdin:
    m = json.loads(line)
    if m["id"] == sys.argv[1]:
        s = m.get("outbox", "-")
print(s)' "$2"
}
state_is() { [ "$(state "$1" "$2")" = "$3" ]; }

# Number of messages in CONV.
# The messages of a conversation (events, such as a reply's take-over,
# are not counted).
count() { "$OMBRE" show --json "$1" | grep -vc '"kind":"event"'; }

# newest CONV: the Message-Id (no brackets) of the conversation's newest
# message that is not a note, derived as msgid_message does.
newest() {
	"$OMBRE" show --json "$1" | "$PYTHON" -S -c '
import json, sys
prefix = {"telegram": "tg", "whatsapp": "wa", "messenger": "fb", "matrix": "mx"}
def part(s):
    return "".join(chr(b) if chr(b).isascii() and (chr(b).isalnum() or chr(b) in "-_+")
                   else "=%02X" % b for b in s.encode())
last = None
for line in sys.stdin:
    m = json.loads(line)
    if m["from"]["kind"] != "note":
        last = m
if last["id"].startswith("out."):
    print(last["id"] + "@ombre")
else:
    print("%s.%s.%s.%s@ombre" % (prefix[last["channel"]], part(last["account"]),
                                 part(last["conversation"]["id"]), part(last["id"])))'
}

# Telegram: how many sendMessage requests carried text $1 (the request
# log), and how many messages with that text the server made (sent).
tg_requests() {
	ctl "$TG" 'log?endpoint=sendMessage' | T=$1 jq_py \
	    'len([r for r in j if isinstance(r["body"], dict) and r["body"].get("text") == __import__("os").environ["T"]])'
}
tg_sent() {
	ctl "$TG" sent | T=$1 jq_py \
	    'len([m for m in j if m["text"] == __import__("os").environ["T"]])'
}
# Matrix: the PUTs carrying body $1, and the events the server holds.
mx_requests() {
	ctl "$MX" 'log?endpoint=send' | T=$1 jq_py \
	    'len([r for r in j if isinstance(r["body"], dict) and r["body"].get("body") == __import__("os").environ["T"]])'
}
mx_events() {
	ctl "$MX" events | T=$1 jq_py \
	    'len([e for e in j if e["type"] == "m.room.message" and e["content"].get("body") == __import__("os").environ["T"]])'
}

# reply ARGS...: ombre reply; sets RID (out.<uuid>), OUT, ERR and RC.
reply() {
	OUT=$("$OMBRE" reply "$@" 2>reply.err)
	RC=$?
	ERR=$(cat reply.err)
	RID=${OUT%% *}
}

# --- three Telegram chats, a Matrix room, WhatsApp and Messenger --------
now=$(date +%s)
tg_msg() {	# CHAT NAME MESSAGE_ID DATE TEXT
	printf '{"message": {"message_id": %s, "date": %s, "chat": {"id": %s, "type": "private", "first_name": "%s"}, "from": {"id": %s, "is_bot": false, "first_name": "%s"}, "text": "%s"}}' \
	    "$3" "$4" "$1" "$2" "$1" "$2" "$5"
}
ctl "$TG" updates "[$(tg_msg 1001 Alice 1 $((now - 300)) "Bonjour, ma commande ?"),
 $(tg_msg 1002 Bruno 1 $((now - 290)) "Mon colis est abîmé"),
 $(tg_msg 1003 Chloé 1 $((now - 280)) "Où en est mon remboursement ?")]" >/dev/null
ctl "$MX" rooms '{"room_id": "!maya:localhost", "name": "Maya", "direct": true,
  "members": [{"user_id": "@maya:localhost", "displayname": "Maya"}]}' >/dev/null
ctl "$MX" events '{"room_id": "!maya:localhost", "events": [
  {"type": "m.room.message", "sender": "@maya:localhost", "content": {"msgtype": "m.text", "body": "Bonjour depuis Matrix"}}]}' >/dev/null
# Dates relative to OMBRE_NOW (2026-11-20T10:00:00Z, tests/lib.sh).
{
	json_line whatsapp wa-acct 33600000001 g1 2026-11-20T08:00:00Z 33600000001 customer "Bonjour, la livraison ?"
	json_line whatsapp wa-acct 33600000002 c1 2026-11-19T09:00:00Z 33600000002 customer "Il y a quelqu'un ?"
	json_line whatsapp wa-acct 33600000003 o1 2026-11-20T09:00:00Z 33600000003 customer "Merci de me rappeler"
	json_line messenger fb-page 7700 m1 2026-11-18T12:00:00Z 7700 customer "Hello from Messenger"
} | "$OMBRE" ingest >/dev/null
"$OMBRE" sync --once 2>err
ok "the conversations are synced" test $? = 0 || diag "$(cat err)"
ALICE=$(conv_of 1001) BRUNO=$(conv_of 1002) CHLOE=$(conv_of 1003)
MAYA=$(conv_of '!maya:localhost')
W_GUARD=$(conv_of 33600000001) W_CLOSED=$(conv_of 33600000002)
W_OPEN=$(conv_of 33600000003) FB=$(conv_of 7700)
ok "seven conversations, each found" test -n "$ALICE" -a -n "$BRUNO" -a -n "$CHLOE" \
    -a -n "$MAYA" -a -n "$W_GUARD" -a -n "$W_CLOSED" -a -n "$W_OPEN" -a -n "$FB"

# --- 1. SIGKILL during a Telegram send: unknown, never resent by itself --
text="Votre colis part demain."
reply "$ALICE" --text "$text"
like "ombre reply stores the reply in the outbox" "$OUT" '^out\.[0-9a-f-]{36} queued$'
tg_rid=$RID
# The server makes the message, sends half its answer and stalls; the
# syncer's own low-speed limit must not end the wait before the kill.
ctl "$TG" faults '[{"match": "sendMessage", "kind": "stall", "delay": 20}]' >/dev/null
config "set net.low-speed-time 20000"
"$OMBRE" sync 2>kill1.err &
syncer=$!
ok "the syncer commits the reply as sending" wait_for 10 state_is "$ALICE" "$tg_rid" sending
tg_requests_are() { [ "$(tg_requests "$1")" = "$2" ]; }
ok "and the request reaches the server" wait_for 10 tg_requests_are "$text" 1
{ kill -KILL "$syncer"; wait "$syncer"; } 2>/dev/null
config
"$OMBRE" sync --once 2>err
is "after SIGKILL mid-send and a restart, the Telegram reply is unknown" \
    "$(state "$ALICE" "$tg_rid")" unknown
like "ombre outbox lists it as unknown, with the reason" "$("$OMBRE" outbox)" \
    "(^|"$'\n'")unknown +[0-9T:Z-]+ $tg_rid [0-9a-f]+ telegram 1001  $text  \\(the syncer stopped during the send\\)"
is "the server got the sendMessage once" "$(tg_requests "$text")" 1
"$OMBRE" sync --once 2>err
is "a further sync run does not send it again" "$(tg_requests "$text")" 1
is "still unknown" "$(state "$ALICE" "$tg_rid")" unknown
out=$("$OMBRE" outbox resend "$tg_rid" 2>err)
is "ombre outbox resend queues it again" "$out" "$tg_rid queued again"
is "queued" "$(state "$ALICE" "$tg_rid")" queued
"$OMBRE" sync --once 2>err
is "the resent reply is sent" "$(state "$ALICE" "$tg_rid")" sent
is "the server got exactly two requests for it in all" "$(tg_requests "$text")" 2
"$OMBRE" sync --once 2>err
is "and no third one after another run" "$(tg_requests "$text")" 2

# --- 1b. SIGKILL during a Matrix PUT: sent again with the same txnId ----
text="Je transmets au service client."
reply "$MAYA" --text "$text"
mx_rid=$RID
ctl "$MX" faults '[{"match": "send", "kind": "stall", "delay": 20}]' >/dev/null
config "set net.low-speed-time 20000"
"$OMBRE" sync 2>kill2.err &
syncer=$!
ok "the Matrix reply is committed as sending" wait_for 10 state_is "$MAYA" "$mx_rid" sending
mx_requests_are() { [ "$(mx_requests "$1")" = "$2" ]; }
ok "and the PUT reaches the homeserver" wait_for 10 mx_requests_are "$text" 1
{ kill -KILL "$syncer"; wait "$syncer"; } 2>/dev/null
config
"$OMBRE" sync --once 2>err
ok "the restarted syncer ends well" test $? = 0 || diag "$(cat err)"
is "the Matrix reply is sent" "$(state "$MAYA" "$mx_rid")" sent
is "the PUT was made again" "$(mx_requests "$text")" 2
is "the homeserver holds exactly one event with that body" "$(mx_events "$text")" 1
is "made with the reply's txnId" \
    "$(ctl "$MX" events | T=$text jq_py '[e.get("_txn_id") for e in j if e["type"] == "m.room.message" and e["content"].get("body") == __import__("os").environ["T"]]')" \
    "[\"ombre-${mx_rid#out.}\"]"
"$OMBRE" sync --once 2>err
is "its echo is not stored as another message" \
    "$("$OMBRE" show --json "$MAYA" | grep -c "Je transmets au service client")" 1

# --- 2. an offline queue drains once, in order ---------------------------
# Every request answered 502: the channel is not connected, replies wait.
ctl "$TG" reset '{}' >/dev/null
ctl "$TG" faults '[{"match": "*", "kind": "status", "status": 502, "count": 100000}]' >/dev/null
"$OMBRE" sync 2>offline.err &
syncer=$!
refused() {
	[ "$(ctl "$TG" 'log?endpoint=getUpdates' | jq_py 'len([r for r in j if r["fault"] == "status"])')" -ge 1 ]
}
ok "the syncer meets the 502s" wait_for 10 refused
queued=()
for i in 1 2 3 4 5; do
	reply "$ALICE" --text "Hors ligne A$i"
	queued+=("$ALICE $RID")
done
for i in 1 2; do
	reply "$BRUNO" --text "Hors ligne B$i"
	queued+=("$BRUNO $RID")
done
sleep 1.5	# the syncer reads the outbox every second
states=$(for q in "${queued[@]}"; do state $q; done | sort | uniq -c | tr -s ' ')
is "while the server is down the 7 replies stay queued" "$states" " 7 queued"
is "and no sendMessage was tried" "$(ctl "$TG" 'log?endpoint=sendMessage' | jq_py 'len(j)')" 0
ctl "$TG" reset '{}' >/dev/null	# the server is back
all_sent() {
	local q
	for q in "${queued[@]}"; do state_is $q sent || return 1; done
}
ok "once it is back, every reply is sent" wait_for 20 all_sent
kill -TERM "$syncer"
wait "$syncer"
is "the syncer stops on SIGTERM with status 0" "$?" 0
sent=$(ctl "$TG" sent)
is "each one exactly once, Alice's in the order queued" \
    "$(jq_py '[m["text"] for m in j if m["chat_id"] == 1001 and m["text"].startswith("Hors ligne")]' <<<"$sent")" \
    '["Hors ligne A1", "Hors ligne A2", "Hors ligne A3", "Hors ligne A4", "Hors ligne A5"]'
is "and Bruno's" \
    "$(jq_py '[m["text"] for m in j if m["chat_id"] == 1002 and m["text"].startswith("Hors ligne")]' <<<"$sent")" \
    '["Hors ligne B1", "Hors ligne B2"]'
is "one request per reply" \
    "$(ctl "$TG" 'log?endpoint=sendMessage' | jq_py 'len([r for r in j if r["body"]["text"].startswith("Hors ligne")])')" 7
unlike "ombre outbox no longer lists them" "$("$OMBRE" outbox)" 'Hors ligne'

# --- 3. internal notes never reach a server ------------------------------
tg_note="Note interne : client VIP, geste commercial accordé"
mx_note="Note interne : vérifier le RIB de Maya"
reply "$ALICE" --note --text "$tg_note"
like "a note on Telegram is noted" "$OUT" '^out\.[0-9a-f-]{36} noted$'
tg_note_id=$RID
reply "$MAYA" --note --text "$mx_note"
like "a note on Matrix is noted" "$OUT" '^out\.[0-9a-f-]{36} noted$'
mx_note_id=$RID
unlike "notes are not in the outbox" "$("$OMBRE" outbox)" 'Note interne'
"$OMBRE" sync --once 2>err
ok "the syncer runs until the outbox is empty" test $? = 0 || diag "$(cat err)"
unlike "the Telegram server never saw the note" "$(ctl "$TG" log; ctl "$TG" sent)" 'geste commercial'
unlike "nor the homeserver" "$(ctl "$MX" log; ctl "$MX" events)" 'RIB de Maya'
like "ombre show shows the Telegram note, as a note" "$("$OMBRE" show "$ALICE")" \
    "\\(internal note\\)  <[^>]+>"$'\n'"  $tg_note"
like "tagged ombre/note" "$("$OMBRE" show --json "$ALICE" | grep "\"id\":\"$tg_note_id\"")" \
    '"kind":"note".*"ombre/note"'
unlike "with no outbox state" "$("$OMBRE" show --json "$ALICE" | grep "\"id\":\"$tg_note_id\"")" '"outbox"'
like "and the Matrix one" "$("$OMBRE" show --json "$MAYA" | grep "\"id\":\"$mx_note_id\"")" \
    '"kind":"note".*"ombre/note"'

# --- 4. the channel's window and limit, before anything is stored --------
before=$(count "$W_CLOSED")
reply "$W_CLOSED" --text "Bonjour, je reviens vers vous"
is "a WhatsApp reply 25 h after the customer's message is refused: exit 1" "$RC" 1
like "with the reason" "$ERR" \
    'reply window of whatsapp closed 1h ago .*2026-11-19T09:00:00Z.*only an approved template can be sent'
like "saying nothing was stored" "$ERR" 'nothing stored'
is "and nothing was" "$(count "$W_CLOSED")" "$before"
is "no id printed" "$OUT" ""
reply "$FB" --text "Hello"
is "Messenger too: exit 1" "$RC" 1
like "its window closed" "$ERR" 'reply window of messenger closed'
reply "$W_CLOSED" --note --text "Relancer par template"
like "a note in a closed window is taken (never sent)" "$OUT" ' noted$'
before=$(count "$W_OPEN")
reply "$W_OPEN" --text "Je vous rappelle dans l'heure"
is "a WhatsApp reply 1 h after the customer's message is taken" "$RC" 0
like "queued" "$OUT" '^out\.[0-9a-f-]{36} queued$'
is "and stored" "$(count "$W_OPEN")" $((before + 1))
is "in the outbox" "$(state "$W_OPEN" "$RID")" queued
# Telegram counts UTF-16 units: an emoji is two.
printf -v a4094 '%*s' 4094 ''
a4094=${a4094// /a}
before=$(count "$BRUNO")
reply "$BRUNO" --text "a${a4094}😀"
is "4,097 UTF-16 units to Telegram: exit 1" "$RC" 1
like "with the number over, one character in the singular" "$ERR" \
    "the reply is 1 character over telegram's limit of 4096"
reply "$BRUNO" --text "aaaaa${a4094}😀"
like "5 over, in the plural" "$ERR" "the reply is 5 characters over telegram's limit of 4096"
if [ -e "$top_builddir/po/fr/LC_MESSAGES/ombre.mo" ] && french_init; then
	err=$(in_french "$OMBRE" reply "$BRUNO" --text "a${a4094}😀" 2>&1)
	like "in French too, one is singular" "$err" \
	    "la réponse a 1 caractère de trop pour telegram, limité à 4096"
	err=$(in_french "$OMBRE" reply "$BRUNO" --text "aaaaa${a4094}😀" 2>&1)
	like "and five plural" "$err" \
	    "la réponse a 5 caractères de trop pour telegram, limité à 4096"
else
	skip "one and five over in French" "no French catalog or locale"
	skip "one and five over in French" "no French catalog or locale"
fi
is "nothing stored" "$(count "$BRUNO")" "$before"
reply "$BRUNO" --text "${a4094}😀"
like "exactly 4,096 units is taken" "$OUT" ' queued$'
"$OMBRE" sync --once 2>err
is "and sent" "$(state "$BRUNO" "$RID")" sent

# --- 5. the double-answer guard --------------------------------------------
base=$(newest "$CHLOE")
is "the base is the newest message's Message-Id" "$base" "tg.7012345678.1003.1@ombre"
ctl "$TG" updates "[$(tg_msg 1003 Chloé 2 $((now - 60)) "Finalement c'est réglé, merci")]" >/dev/null
"$OMBRE" sync --once 2>err
before=$(count "$CHLOE")
text="Je regarde votre remboursement"
reply "$CHLOE" --base "$base" --text "$text"
is "a reply on a base the customer wrote after is held: exit 3" "$RC" 3
like "stderr says what the customer wrote" "$ERR" "the customer wrote again: \"Finalement c'est réglé, merci\""
like "and how to send it anyway" "$ERR" '--force'
is "nothing stored" "$(count "$CHLOE")" "$before"
unlike "nothing in the outbox" "$("$OMBRE" outbox)" "$text"
reply "$CHLOE" --base "$base" --force --text "$text"
like "with --force it is stored" "$OUT" '^out\.[0-9a-f-]{36} queued$'
is "one message more" "$(count "$CHLOE")" $((before + 1))
"$OMBRE" sync --once 2>err
is "and sent once" "$(tg_sent "$text")" 1
reply "$CHLOE" --base "$(newest "$CHLOE")" --text "Parfait, bonne journée"
is "a reply on the newest message goes" "$RC" 0
"$OMBRE" sync --once 2>err
is "and is sent" "$(state "$CHLOE" "$RID")" sent
# Notes after the base do not hold a reply; another agent's answer does.
wbase=$(newest "$W_GUARD")
reply "$W_GUARD" --note --text "Attention, client pressé"
reply "$W_GUARD" --base "$wbase" --text "Je regarde"
is "a note after the base does not hold the reply" "$RC" 0
json_line whatsapp wa-acct 33600000001 g2 2026-11-20T09:00:00Z bob-id agent "C'est parti ce matin" |
    sed 's/"kind":"agent"/"name":"Bob","kind":"agent"/' | "$OMBRE" ingest >/dev/null
before=$(count "$W_GUARD")
reply "$W_GUARD" --base "$wbase" --text "Je regarde encore"
is "another agent's answer after the base holds it: exit 3" "$RC" 3
like "naming who answered" "$ERR" "Bob replied: \"C'est parti ce matin\""
unlike "not the note" "$ERR" 'client pressé'
is "nothing stored" "$(count "$W_GUARD")" "$before"

# --- 6. the agent's decisions on the outbox --------------------------------
reply "$BRUNO" --text "Réponse à marquer envoyée"
mark=$RID
"$OMBRE" outbox mark-sent "$mark" 2>err
is "mark-sent on a queued reply is refused: exit 1" "$?" 1
like "saying why" "$(cat err)" 'the reply is queued'
is "still queued" "$(state "$BRUNO" "$mark")" queued
reply "$BRUNO" --text "Réponse à jeter"
drop=$RID
# Cut before the server performs it: the syncer cannot know, so unknown.
ctl "$TG" faults '[{"match": "sendMessage", "kind": "reset_before", "count": 2}]' >/dev/null
"$OMBRE" sync --once 2>err
is "a send cut off is unknown" "$(state "$BRUNO" "$mark") $(state "$BRUNO" "$drop")" "unknown unknown"
out=$("$OMBRE" outbox mark-sent "$mark" 2>err)
is "ombre outbox mark-sent" "$out" "$mark marked sent"
is "makes it sent" "$(state "$BRUNO" "$mark")" sent
like "tagged ombre/sent" "$("$OMBRE" show --json "$BRUNO" | grep "\"id\":\"$mark\"")" '"ombre/sent"'
out=$("$OMBRE" outbox discard "$drop" 2>err)
is "ombre outbox discard" "$out" "$drop discarded"
is "makes it discarded" "$(state "$BRUNO" "$drop")" discarded
reply "$BRUNO" --text "Réponse jetée avant tout envoi"
queued_drop=$RID
out=$("$OMBRE" outbox discard "$queued_drop" 2>err)
is "a queued reply is discarded while no syncer runs" "$out" "$queued_drop discarded"
outbox=$("$OMBRE" outbox)
unlike "ombre outbox lists none of them" "$outbox" 'Réponse'
"$OMBRE" sync --once 2>err
ok "a syncer runs after the decisions" test $? = 0 || diag "$(cat err)"
is "the reply marked sent is never sent by the syncer" "$(tg_sent "Réponse à marquer envoyée")" 0
is "nor tried again" "$(tg_requests "Réponse à marquer envoyée")" 1
is "the discarded one neither" "$(tg_sent "Réponse à jeter")" 0
is "nor tried again" "$(tg_requests "Réponse à jeter")" 1
is "the one discarded while queued never reaches the server" \
    "$(tg_requests "Réponse jetée avant tout envoi")" 0
is "and stays discarded" "$(state "$BRUNO" "$queued_drop")" discarded
"$OMBRE" outbox resend "$drop" 2>err
is "a discarded reply cannot be resent: exit 1" "$?" 1
"$OMBRE" outbox mark-sent "$tg_rid" 2>err
is "nor can a sent one be marked sent again: exit 1" "$?" 1
"$OMBRE" outbox discard "$tg_rid" 2>err
is "or discarded: exit 1" "$?" 1
"$OMBRE" outbox resend nonsense 2>err
is "an argument that is no reply's id: usage, exit 2" "$?" 2

test_done
