#!/usr/bin/env bash
#
# The handoff loop end to end, through `ombre sync` against the local
# Telegram and Matrix test servers: a conversation on a channel with the
# built-in bot (bot=faq) starts with the bot, which answers in turn,
# falls back on a miss and hands off after two; handed off, taken over or
# handed back, the bot keeps quiet or speaks again as it should; a
# customer asking for a person hands off at once; an external bot's
# marker hands off a channel without bot=; out of hours the hours text,
# once; every answer sent once, a syncer killed in the middle included;
# on Matrix, a customer's "talk to a human" hands off and the handoff
# hook hears of it. Each check reads what the test server received and
# what ombre says (list, show --json, handoffs, notmuch's tags).

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=7012345678:AAH-loop-s3cr3t-T0KEN
server_start telegram --token "$TOKEN"
TG=$SERVER_PORT
EXT_TOKEN=7012349999:AAH-ext-s3cr3t-T0KEN
server_start telegram --token "$EXT_TOKEN"
TG_EXT=$SERVER_PORT
server_start matrix --user @support:localhost --token syt_loop_SECRET \
    --timeline-limit 10
MX=$SERVER_PORT

# The bot's clock and the customers' messages share OMBRE_NOW (lib.sh):
# the bot answers only what is recent.
NOW_EPOCH=$(date -u -d "$OMBRE_NOW" +%s)

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
# config [EXTRA...]: the bot, three channels on the local servers (two
# Telegram bots, without account=: each is known by its token's bot id,
# so the second gets no bot= of the first's), fast polls and batches.
config() {
	{
		cat <<'BOT'
bot-answer faq "horaire|heure|ouvert" "Nous sommes ouverts de 9 h à 18 h." "Notre service répond de 9 h à 18 h."
bot-fallback faq "Je n'ai pas bien compris : pouvez-vous reformuler ?"
bot-handoff faq after=2 "Je vous passe un conseiller, il vous répond au plus vite."
BOT
		printf '%s\n' "$@"
		printf 'channel shop telegram token=%s api-url=http://127.0.0.1:%s bot=faq\n' \
		    "$TOKEN" "$TG"
		printf 'channel ext telegram token=%s api-url=http://127.0.0.1:%s\n' \
		    "$EXT_TOKEN" "$TG_EXT"
		printf 'channel team matrix homeserver=http://127.0.0.1:%s user=@support:localhost token=syt_loop_SECRET bot-hook="cat >>%s/bot-hook.jsonl"\n' \
		    "$MX" "$TEST_DIR"
		printf 'hook handoff "cat >>%s/handoff.jsonl; echo >>%s/handoff.jsonl"\n' \
		    "$TEST_DIR" "$TEST_DIR"
		printf 'set sync.retry-base 100\nset sync.retry-cap 400\n'
		printf 'set net.connect-timeout 1000\nset sync.poll-timeout 1\n'
		printf 'set store.batch-ms 20\n'
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
config

# wait_for SECONDS CMD [ARG...]: until CMD succeeds, at most SECONDS.
wait_for() {
	local i limit=$(($1 * 20))
	shift
	for ((i = 0; i < limit; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

start_syncer() {
	"$OMBRE" sync 2>>sync.err &
	SYNCER=$!
	wait_for 10 bash -c "\"$OMBRE\" sync --status | grep -q 'shop (telegram): connected'"
}
stop_syncer() {
	kill -"${1:-TERM}" "$SYNCER" 2>/dev/null
	wait "$SYNCER" 2>/dev/null
}

# say PORT CHAT NAME MESSAGE_ID TEXT [FROM_ID IS_BOT]: an update queued
# on a Telegram server, dated now (OMBRE_NOW).
say() {
	local text
	json_quote "$5"
	text=$REPLY
	ctl "$1" updates "[{\"message\": {\"message_id\": $4, \"date\": $NOW_EPOCH,
	  \"chat\": {\"id\": $2, \"type\": \"private\", \"first_name\": \"$3\"},
	  \"from\": {\"id\": ${6:-$2}, \"is_bot\": ${7:-false}, \"first_name\": \"$3\"},
	  \"text\": $text}}]" >/dev/null
}

# sent PORT CHAT: the texts the server's sendMessage got for CHAT, in
# order, as a JSON list.
sent() {
	ctl "$1" sent | jq_py "[m['text'] for m in j if str(m['chat_id']) == '$2']"
}
n_sent() { ctl "$1" sent | jq_py "len([m for m in j if str(m['chat_id']) == '$2'])"; }
sent_at_least() { [ "$(n_sent "$1" "$2")" -ge "$3" ]; }

# The conversation (CONV, as list prints it) of the channel's id $1.
conv_of() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["id"])' "$1"
}
has_conv() { [ -n "$(conv_of "$1")" ]; }
# mode CHAT: the mode list --json gives the conversation (bot, handoff,
# human).
mode() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["mode"])' "$1"
}
# row CHAT: the conversation's row of the plain list.
row() { "$OMBRE" list --limit 1000 '*' | awk -v id="$(conv_of "$1")" '$1 == id'; }
# shows CONV TEXT: show --json has a message with this text.
shows() { "$OMBRE" show --json "$1" 2>/dev/null | grep -qF "\"text\":\"$2\""; }
# kinds CONV: the kinds of the conversation's messages, in order.
kinds() {
	"$OMBRE" show --json "$1" | "$PYTHON" -S -c '
import json, sys
print(" ".join(json.loads(l)["kind"] for l in sys.stdin if l.strip()))'
}
# quiet PORT CHAT N: after a poll and an outbox round, still N sends.
quiet() { sleep 1; [ "$(n_sent "$1" "$2")" = "$3" ]; }

A1="Nous sommes ouverts de 9 h à 18 h."
A2="Notre service répond de 9 h à 18 h."
FALLBACK="Je n'ai pas bien compris : pouvez-vous reformuler ?"
HANDOFF="Je vous passe un conseiller, il vous répond au plus vite."

start_syncer
ok "the syncer runs" kill -0 "$SYNCER"

# --- the bot answers, in turn -----------------------------------------
say "$TG" 1001 Zoé 1 "Bonjour, quels sont vos horaires ?"
ok "a question is stored" wait_for 10 has_conv 1001
ZOE=$(conv_of 1001)
ok "the bot's answer is sent" wait_for 10 sent_at_least "$TG" 1001 1
is "sendMessage got the first answer" "$(sent "$TG" 1001)" "$(jq_py 'j' <<<"[\"$A1\"]")"
is "a new conversation on a bot= channel is the bot's" "$(mode 1001)" bot
like "list shows it as the bot's" "$(row 1001)" ' bot '
ok "notmuch: tagged ombre/bot" test "$(nm count "tag:ombre/bot and property:ombre.conv-id=1001")" -ge 1
say "$TG" 1001 Zoé 2 "Et vous êtes ouvert le dimanche ?"
ok "a second question gets an answer" wait_for 10 sent_at_least "$TG" 1001 2
is "the other answer (answers in turn)" "$(sent "$TG" 1001)" "$(jq_py 'j' <<<"[\"$A1\", \"$A2\"]")"
like "the answers are kept in the conversation as the bot's" "$(kinds "$ZOE")" \
    '^customer bot customer bot'

# --- a miss, then two: fallback, then handoff --------------------------
say "$TG" 1001 Zoé 3 "Mon colis est arrivé cassé"
ok "a miss gets the fallback" wait_for 10 sent_at_least "$TG" 1001 3
is "sendMessage got the fallback" "$(sent "$TG" 1001 | jq_py 'j[-1]')" "$FALLBACK"
is "still the bot's after one miss" "$(mode 1001)" bot
say "$TG" 1001 Zoé 4 "Je vous dis qu'il est cassé"
ok "a second miss in a row gets a fourth send" wait_for 10 sent_at_least "$TG" 1001 4
is "the handoff text" "$(sent "$TG" 1001 | jq_py 'j[-1]')" "$HANDOFF"
ok "the conversation is handed off" wait_for 5 bash -c "[ \"\$(\"$OMBRE\" list --json --limit 1000 '*' | grep '\"conversation\":\"1001\"' | grep -o '\"mode\":\"[a-z]*\"')\" = '\"mode\":\"handoff\"' ]"
like "list says it needs a human" "$(row 1001)" 'needs human'
ok "notmuch: tagged ombre/handoff, no longer ombre/bot" \
    test "$(nm count "property:ombre.conv-id=1001 and tag:ombre/handoff and not tag:ombre/bot")" -ge 4
json=$("$OMBRE" show --json "$ZOE")
event=$("$PYTHON" -S -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if o.get("kind") == "event" and o["event"]["type"] == "handoff":
        print(o["text"])' <<<"$json")
is "show --json has the handoff event, an object of kind event" "$event" \
    "handed off by the bot: the bot did not understand 2 times"
like "ombre handoffs lists it with the bot's reason" "$("$OMBRE" handoffs)" \
    "Zoé.*the bot did not understand 2 times"

# --- handed off: the bot keeps quiet ------------------------------------
say "$TG" 1001 Zoé 5 "Allô ? Il y a quelqu'un ?"
ok "the next message is stored" wait_for 10 shows "$ZOE" "Allô ? Il y a quelqu'un ?"
ok "in handoff it gets no answer from the bot" quiet "$TG" 1001 4
unlike "nor any in the store" "$(kinds "$ZOE")" 'customer bot$'

# --- take-over, then hand-back -----------------------------------------
"$OMBRE" take-over "$ZOE" >/dev/null 2>&1
ok "take-over: a human has it" wait_for 5 bash -c "\"$OMBRE\" list --json --limit 1000 '*' | grep '\"conversation\":\"1001\"' | grep -q '\"mode\":\"human\"'"
say "$TG" 1001 Zoé 6 "Merci, quelles sont vos heures d'ouverture ?"
ok "a customer message reaches the human" wait_for 10 shows "$ZOE" "Merci, quelles sont vos heures d'ouverture ?"
ok "the bot does not answer it, even a question it knows" quiet "$TG" 1001 4
is "still the human's" "$(mode 1001)" human
"$OMBRE" hand-back "$ZOE" >/dev/null 2>&1
ok "hand-back: the bot's again" wait_for 5 bash -c "\"$OMBRE\" list --json --limit 1000 '*' | grep '\"conversation\":\"1001\"' | grep -q '\"mode\":\"bot\"'"
say "$TG" 1001 Zoé 7 "Vous ouvrez à quelle heure ?"
ok "handed back, the bot answers again" wait_for 10 sent_at_least "$TG" 1001 5
is "with its next answer in turn" "$(sent "$TG" 1001 | jq_py 'j[-1]')" "$A1"

# --- a customer asking for a person: at once --------------------------
say "$TG" 1002 Karim 1 "je veux parler à un humain"
ok "Karim's message is stored" wait_for 10 has_conv 1002
KARIM=$(conv_of 1002)
ok "asking for a person hands off at once" wait_for 5 bash -c "\"$OMBRE\" list --json --limit 1000 '*' | grep '\"conversation\":\"1002\"' | grep -q '\"mode\":\"handoff\"'"
ok "without a bot answer" quiet "$TG" 1002 0
is "nor a bot message in the store" "$(kinds "$KARIM")" "customer event"
like "ombre handoffs gives the reason" "$("$OMBRE" handoffs | grep Karim)" \
    'the customer asked for a person'
like "show gives it too" "$("$OMBRE" show "$KARIM")" \
    'handed off by the bot: the customer asked for a person'

# --- an external bot's marker, on a channel without bot= ---------------
say "$TG_EXT" 2001 Lina 1 "Bonjour, je suis l'assistant de la boutique." 7012349999 true
ok "the external bot's greeting is stored" wait_for 10 has_conv 2001
LINA=$(conv_of 2001)
is "a conversation a bot opened is the bot's" "$(mode 2001)" bot
say "$TG_EXT" 2001 Lina 2 "Je voudrais un remboursement"
ok "the customer's message is stored" wait_for 10 shows "$LINA" "Je voudrais un remboursement"
is "still the bot's: no bot= here, nothing but a marker hands off" "$(mode 2001)" bot
ok "ombre sends nothing there: the first channel's bot=faq is not this one's" \
    quiet "$TG_EXT" 2001 0
say "$TG_EXT" 2001 Lina 3 "Je vous passe un conseiller." 7012349999 true
ok "the bot's marker hands off" wait_for 10 bash -c "\"$OMBRE\" list --json --limit 1000 '*' | grep '\"conversation\":\"2001\"' | grep -q '\"mode\":\"handoff\"'"
like "with the reason 'the bot handed off'" "$("$OMBRE" handoffs | grep Lina)" 'the bot handed off'

# --- the syncer killed in the middle: nothing sent twice --------------
# Killed while the answer's sendMessage is in flight (the server holds it
# 2 s, then takes it): the request had left, so it is not sent again.
ctl "$TG" faults '[{"match": "sendMessage", "kind": "slow", "delay": 2}]' >/dev/null
say "$TG" 1003 Paul 1 "C'est ouvert aujourd'hui ?"
in_flight() {
	[ "$(ctl "$TG" log | jq_py 'len([r for r in j if r["endpoint"] == "sendMessage" and r["status"] is None])')" -ge 1 ]
}
ok "the answer's sendMessage is in flight" wait_for 10 in_flight
stop_syncer KILL
start_syncer
ok "killed and restarted: the server took the answer" wait_for 10 sent_at_least "$TG" 1003 1
ok "once: the restarted syncer does not send it again" quiet "$TG" 1003 1
like "the answer's delivery is unknown, for an agent to decide" \
    "$("$OMBRE" outbox)" "unknown .*$A1"
# Killed with nothing in flight, then a question while it is down.
stop_syncer KILL
say "$TG" 1003 Paul 2 "Et demain, vous êtes ouverts ?"
start_syncer
ok "a question queued while the syncer was down is answered" wait_for 10 sent_at_least "$TG" 1003 2
ok "once" quiet "$TG" 1003 2
is "every answer to Zoé went once, in order" "$(sent "$TG" 1001)" \
    "$(jq_py 'j' <<<"[\"$A1\", \"$A2\", \"$FALLBACK\", \"$HANDOFF\", \"$A1\"]")"
stop_syncer

# --- out of hours: the hours text, once ----------------------------------
config 'bot-hours faq "mon-sun 00:00-00:01 UTC" "Nous sommes fermés."'
start_syncer
say "$TG" 1004 Nina 1 "Vous êtes ouverts ?"
ok "out of hours: an answer" wait_for 10 sent_at_least "$TG" 1004 1
is "the hours text" "$(sent "$TG" 1004)" '["Nous sommes ferm\u00e9s."]'
NINA=$(conv_of 1004)
say "$TG" 1004 Nina 2 "Allô ?"
ok "a second message is stored" wait_for 10 shows "$NINA" "Allô ?"
ok "and not answered with the hours again" quiet "$TG" 1004 1

# --- Matrix: a customer asking for a human in a room of a bot ---------
ctl "$MX" rooms '{"room_id": "!eve:localhost", "name": "Eve",
  "members": [{"user_id": "@eve:localhost", "displayname": "Eve"}]}' >/dev/null
ctl "$MX" events '{"room_id": "!eve:localhost", "events": [
  {"type": "m.room.message", "sender": "@eve:localhost", "content": {"msgtype": "m.text", "body": "Hello"}}]}' >/dev/null
ok "a Matrix room's message is stored" wait_for 10 has_conv '!eve:localhost'
is "on a channel with a bot-hook, the room is the bot's" "$(mode '!eve:localhost')" bot
ctl "$MX" events '{"room_id": "!eve:localhost", "events": [
  {"type": "m.room.message", "sender": "@eve:localhost", "content": {"msgtype": "m.text", "body": "I want to talk to a human"}}]}' >/dev/null
ok "asking for a human hands off" wait_for 10 bash -c "\"$OMBRE\" list --json --limit 1000 '*' | grep -F '\"conversation\":\"!eve:localhost\"' | grep -q '\"mode\":\"handoff\"'"
ok "the handoff hook hears of it" wait_for 10 grep -qF '"customer":{"id":"@eve:localhost"' handoff.jsonl
like "with the channel and the reason" "$(grep -F '"customer":{"id":"@eve:localhost"' handoff.jsonl)" \
    '"event":"handoff".*"channel":"matrix".*"reason":"the customer asked for a person"'
# A bridged room: the bridge's notice (a bot's) first, then the customer.
ctl "$MX" rooms '{"room_id": "!wa:localhost", "name": "Zoé (WA)",
  "members": [{"user_id": "@whatsapp_33612345678:localhost", "displayname": "Zoé (WA)"}],
  "bridge": {"protocol": "whatsapp", "displayname": "WhatsApp"}}' >/dev/null
ctl "$MX" events '{"room_id": "!wa:localhost", "events": [
  {"type": "m.room.message", "sender": "@whatsapp_33612345678:localhost", "content": {"msgtype": "m.notice", "body": "Bienvenue chez nous !"}}]}' >/dev/null
ok "the bridged room's notice is stored" wait_for 10 has_conv '!wa:localhost'
is "a room a bot opened is the bot's" "$(mode '!wa:localhost')" bot
ctl "$MX" events '{"room_id": "!wa:localhost", "events": [
  {"type": "m.room.message", "sender": "@whatsapp_33612345678:localhost", "content": {"msgtype": "m.text", "body": "je veux un conseiller"}}]}' >/dev/null
ok "a customer asking for a conseiller in it hands off" wait_for 10 bash -c "\"$OMBRE\" list --json --limit 1000 '*' | grep -F '\"conversation\":\"!wa:localhost\"' | grep -q '\"mode\":\"handoff\"'"
ok "the handoff hook hears of it, as a whatsapp conversation" \
    wait_for 10 grep -qF '"channel":"whatsapp","account":"@support:localhost","customer":{"id":"@whatsapp_33612345678:localhost"' handoff.jsonl
stop_syncer
ok "no token in what a hook read" bash -c "! grep -qaE 's3cr3t|syt_loop_SECRET' handoff.jsonl"

test_done
