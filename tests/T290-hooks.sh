#!/usr/bin/env bash
#
# Hooks: `hook EVENT COMMAND` run by the syncer (never the console) with
# the event as one JSON object on stdin: a handoff and customer messages
# from DATA/feed (ingested by `ombre ingest` and by the syncer itself), a
# reply sent and one refused from the outbox; no token in what a hook
# reads; a hook past hook.timeout killed with its process group, said in
# the log and in `sync --status`, while the syncer goes on ingesting;
# `ombre hook test`; an unknown event refused with file:line.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=7012345678:AAH-hooks-s3cr3t-T0KEN
SECRET=s3cr3t-T0KEN
server_start telegram --token "$TOKEN"
TG=$SERVER_PORT

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
# config [EXTRA...]: the channel on the local server, fast retries.
config() {
	{
		printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s bot-hook="tee -a %s/all.jsonl > %s/bot.json"\n' \
		    "$TOKEN" "$TG" "$TEST_DIR" "$TEST_DIR"
		printf 'set sync.retry-base 100\nset sync.retry-cap 400\n'
		printf 'set net.connect-timeout 1000\nset sync.poll-timeout 1\n'
		printf 'set store.batch-ms 20\n'
		printf '%s\n' "$@"
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}

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

# jfield FILE EXPR: a Python expression on the JSON object of FILE (j).
jfield() {
	"$PYTHON" -S -c '
import json, sys
j = json.load(open(sys.argv[1]))
print(eval(sys.argv[2]))' "$1" "$2"
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

# A customer's message on the Telegram channel, as ombre ingest takes it,
# with extra tags (JSON list text) on the end.
customer_line() {	# CONV ID NAME TEXT TAGS
	printf '{"channel":"telegram","account":"7012345678","conversation":{"id":"%s","title":"%s"},"id":"%s","date":"2026-11-20T09:00:00Z","from":{"id":"%s","name":"%s","kind":"customer"},"text":"%s","tags":%s}\n' \
	    "$1" "$3" "$2" "$1" "$3" "$4" "$5"
}

tg_msg() {	# CHAT NAME MESSAGE_ID TEXT
	printf '{"message": {"message_id": %s, "date": %s, "chat": {"id": %s, "type": "private", "first_name": "%s"}, "from": {"id": %s, "is_bot": false, "first_name": "%s"}, "text": "%s"}}' \
	    "$3" "$(date +%s)" "$1" "$2" "$1" "$2" "$4"
}

start_syncer() {
	"$OMBRE" sync 2>>sync.err &
	SYNCER=$!
	# This syncer's own status (the last one's stays behind it): it
	# follows the feed before it first writes it.
	wait_for 10 grep -q "^pid	$SYNCER\$" "$DATA/sync/status" 2>/dev/null
	wait_for 10 bash -c "\"$OMBRE\" sync --status | grep -q 'support (telegram): connected'"
}
stop_syncer() {
	kill -TERM "$SYNCER" 2>/dev/null
	wait "$SYNCER" 2>/dev/null
}

# --- an unknown event is a config error with file:line ------------------
printf 'set hook.timeout 2s\nhook handof "true"\n' >bad.conf
chmod 600 bad.conf
err=$("$OMBRE" -c bad.conf -e 'hook' 2>&1)
like "an unknown event names the file and line" "$err" 'bad\.conf:2: unknown hook event: handof'
like "and lists the valid ones" "$err" 'one of message, handoff, take-over, hand-back, assigned, closed, reopened, snoozed, undo, sent, failed'
like "a duration takes its unit" "$("$OMBRE" -c bad.conf -e 'show-options hook.timeout' 2>/dev/null)" '^hook\.timeout 2s$'
err=$("$OMBRE" -e 'set hook.timeout 2x' 2>&1)
like "a bad duration is refused" "$err" 'hook\.timeout: not a duration'

# --- the events of DATA/feed and of the outbox -------------------------
config "hook handoff \"tee -a $TEST_DIR/all.jsonl > $TEST_DIR/handoff.json\"" \
    "hook message \"tee -a $TEST_DIR/all.jsonl >> $TEST_DIR/message.jsonl\"" \
    "hook take-over \"tee -a $TEST_DIR/all.jsonl > $TEST_DIR/take-over.json\"" \
    "hook sent \"tee -a $TEST_DIR/all.jsonl > $TEST_DIR/sent.json\"" \
    "hook failed \"tee -a $TEST_DIR/all.jsonl > $TEST_DIR/failed.json\""
is "hook shows the hooks in order" "$("$OMBRE" -e hook | head -2)" \
    "hook handoff 'tee -a $TEST_DIR/all.jsonl > $TEST_DIR/handoff.json'
hook message 'tee -a $TEST_DIR/all.jsonl >> $TEST_DIR/message.jsonl'"
start_syncer
ok "the syncer runs" kill -0 "$SYNCER"

customer_line 5001 1 "Zoé Martin" "je veux parler à quelqu'un" '["+ombre/handoff"]' |
    "$OMBRE" ingest
ZOE=$(conv_of 5001)
ok "the handoff hook runs" wait_for 10 test -s handoff.json
ok "it reads valid JSON" "$PYTHON" -S -c 'import json; json.load(open("handoff.json"))'
is "event" "$(jfield handoff.json 'j["event"]')" handoff
is "conversation id: the short id list shows" "$(jfield handoff.json 'j["conversation"]["id"]')" "$ZOE"
like "and the thread id" "$(jfield handoff.json 'j["conversation"]["thread"]')" '^[0-9a-f]{16}$'
is "channel" "$(jfield handoff.json 'j["channel"]')" telegram
is "account" "$(jfield handoff.json 'j["account"]')" 7012345678
is "customer" "$(jfield handoff.json 'j["customer"]["id"] + " " + j["customer"]["name"]')" "5001 Zoé Martin"
is "text" "$(jfield handoff.json 'j["text"]')" "je veux parler à quelqu'un"
is "date" "$(jfield handoff.json 'j["date"]')" 2026-11-20T09:00:00Z
is "message id" "$(jfield handoff.json 'j["message"]')" tg.7012345678.5001.1@ombre
ok "the message hook hears of the customer message" \
    wait_for 10 grep -q '"event":"message"' message.jsonl

ctl "$TG" updates "[$(tg_msg 6001 Alice 1 'Bonjour, ma commande ?')]" >/dev/null
ok "a message the syncer fetches runs the message hook" \
    wait_for 10 grep -q '"text":"Bonjour, ma commande ?"' message.jsonl
ALICE=$(conv_of 6001)
like "with its sender as the customer" "$(grep 'Bonjour, ma commande' message.jsonl)" \
    '"customer":\{"id":"6001","name":"Alice"\}'

OUT=$("$OMBRE" reply "$ALICE" --text "Je regarde tout de suite" 2>&1)
ok "a reply is queued" test $? = 0
ok "the sent hook runs once the channel took it" wait_for 10 test -s sent.json
is "event sent" "$(jfield sent.json 'j["event"]')" sent
is "its text" "$(jfield sent.json 'j["text"]')" "Je regarde tout de suite"
is "its agent" "$(jfield sent.json 'j["agent"]')" tester
is "the conversation's customer" "$(jfield sent.json 'j["customer"]["name"]')" Alice
is "the conversation" "$(jfield sent.json 'j["conversation"]["id"]')" "$ALICE"

ctl "$TG" faults '[{"match": "sendMessage", "kind": "blocked", "count": 1}]' >/dev/null
"$OMBRE" reply "$ALICE" --text "Vous êtes là ?" >/dev/null 2>&1
ok "the failed hook runs when the channel refuses a reply" wait_for 10 test -s failed.json
is "event failed" "$(jfield failed.json 'j["event"]')" failed
like "with the channel's reason" "$(jfield failed.json 'j["reason"]')" 'blocked'

if "$OMBRE" take-over --help >/dev/null 2>&1; then
	"$OMBRE" take-over "$ZOE" >/dev/null 2>&1
	# Alice's reply took hers over already: wait for Zoé's own.
	ok "the take-over hook runs" wait_for 10 grep -q 'Zoé' take-over.json
	is "event take-over" "$(jfield take-over.json 'j["event"]')" take-over
	ok "and the channel's bot-hook" wait_for 10 grep -q 'Zoé' bot.json
else
	skip "the take-over hook runs" "no ombre take-over yet"
	skip "and the channel's bot-hook" "no ombre take-over yet"
fi

ok "no hook ever read the token" bash -c "! cat ./*.json ./*.jsonl | grep -qF '$SECRET'"
counted() { "$OMBRE" sync --status | grep -qE "^hooks: $1 run, 0 failed\$"; }
# Every run, the replies' take-overs and their bot-hook included.
n=$(grep -c . all.jsonl)
ok "sync --status counts the hooks run ($n)" wait_for 5 counted "$n"
stop_syncer

# --- ombre hook test ---------------------------------------------------
rm -f handoff.json
out=$("$OMBRE" hook test handoff "$ZOE" 2>&1)
is "hook test runs the hooks of the event: exit 0" "$?" 0
like "and says how it went" "$out" "hook handoff \\(tee -a .*\\) exit 0 after [0-9]+ ms"
is "with the same JSON" "$(jfield handoff.json 'j["event"] + " " + j["customer"]["name"]')" "handoff Zoé Martin"
out=$("$OMBRE" hook test closed "$ZOE" 2>&1)
is "no hook for the event: exit 1" "$?" 1
like "said so" "$out" 'no hook for closed'
rm -f take-over.json bot.json
out=$("$OMBRE" hook test take-over "$ZOE" 2>&1)
is "hook test take-over: exit 0" "$?" 0
ok "runs the take-over hook" test -s take-over.json
ok "and the bot-hook of the conversation's channel" test -s bot.json
is "with the same JSON" "$(jfield bot.json 'j["event"] + " " + j["channel"]')" "take-over telegram"
ok "without the token" bash -c "! grep -qF '$SECRET' bot.json take-over.json"
out=$("$OMBRE" -e 'hook message "echo nope; exit 3"' hook test message "$ZOE" 2>&1)
is "hook test exits with the hook's status" "$?" 3
like "and shows its output" "$out" 'nope'

# --- a hook that hangs ------------------------------------------------------
config "set hook.timeout 1s" \
    "hook handoff 'echo \$\$ > $TEST_DIR/hang.pid; exec sleep 60'" \
    "hook message \"tee -a $TEST_DIR/all.jsonl >> $TEST_DIR/message.jsonl\""
start_syncer
customer_line 5002 1 "Yann" "au secours" '["+ombre/handoff"]' | "$OMBRE" ingest
ok "the hanging hook starts" wait_for 10 test -s hang.pid
pid=$(cat hang.pid)
ok "it runs" kill -0 "$pid"
ctl "$TG" updates "[$(tg_msg 6002 Bruno 1 'Mon colis est abîmé')]" >/dev/null
has_conv() { [ -n "$(conv_of "$1")" ]; }
ok "the syncer goes on ingesting meanwhile" wait_for 10 has_conv 6002
ok "and runs other hooks" wait_for 10 grep -q 'Mon colis' message.jsonl
ok "the hook is killed after hook.timeout" wait_for 10 bash -c "! kill -0 $pid 2>/dev/null"
ok "the kill is logged" wait_for 5 grep -q 'hook handoff (echo .*) killed after 1 s' sync.err
like "sync --status shows the failure" "$("$OMBRE" sync --status)" \
    'hooks: [0-9]+ run, 1 failed \(last: handoff: killed after 1 s, [0-9]{2}:[0-9]{2}\)'
ok "the syncer still runs" kill -0 "$SYNCER"
stop_syncer

test_done
