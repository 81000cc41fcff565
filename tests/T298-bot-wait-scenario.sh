#!/usr/bin/env bash
# T298-bot-wait-scenario.sh: `handoff-rule wait` applied by the syncer (a
# conversation in bot mode whose customer waited too long is handed off
# with an event by the bot; one in human mode is left alone), and
# `bot-scenario` as a state of the data dir (DATA/bot-scenario) that
# whoever indexes answers with, over a config file's default.
. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

# The bot's answers are sent by the syncer to the Graph test server.
server_start graph --token graph-T0KEN
GRAPH=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
config() {
	{
		printf 'channel wa whatsapp phone-number-id=106 token=graph-T0KEN api-url=http://127.0.0.1:%s bot=faq\n' "$GRAPH"
		printf 'bot-answer faq hours "We open at nine."\n'
		printf 'bot-fallback faq "Sorry?"\n'
		printf 'bot-answer crisis hours "We are overloaded today."\n'
		printf 'bot-fallback crisis "Bear with us."\n'
		printf '%s\n' "$@"
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
field() { "$PYTHON" -S -c 'import json,sys; [print(o[sys.argv[1]]) for o in map(json.loads, sys.stdin) if o["conversation"] == sys.argv[2]]' "$@"; }
# The texts of the bot's answers in conversation $1, oldest first.
answers() {
	nm search --output=files "property:ombre.kind=bot and property:ombre.conv-id=$1" |
	    while read -r f; do sed -n '/^$/,$p' "$f" | sed 1d; done
}

# --- the wait rule
config 'handoff-rule wait 1s'
is "the wait rule reads seconds" "$("$OMBRE" -e 'list-handoff-rules' | grep wait)" "handoff-rule wait 1s"
{
	# An hour old: the bot does not answer a backlog, the customer waits.
	json_line whatsapp 106 w1 1 2026-11-20T09:00:00Z u1 customer "Il y a quelqu'un ?"
	json_line whatsapp 106 w2 1 2026-11-20T09:00:00Z u2 customer "Hello?"
} | "$OMBRE" ingest
json=$("$OMBRE" list --json)
is "w1 is in bot mode" "$(field mode w1 <<<"$json")" bot
"$OMBRE" take-over "$(field id w2 <<<"$json")" --agent ana >/dev/null
is "w2 is in human mode" "$("$OMBRE" list --json | field mode w2)" human
"$OMBRE" sync --once 2>"$TEST_DIR/sync.err"
is "sync --once exits 0" "$?" 0
json=$("$OMBRE" list --json)
is "w1 handed off" "$(field mode w1 <<<"$json")" handoff
is "w2 untouched" "$(field mode w2 <<<"$json")" human
like "the event says why" "$("$OMBRE" show "$(field id w1 <<<"$json")")" \
    "handed off by the bot: the customer waited 60 min"
is "one event in w1" \
    "$(nm count 'property:ombre.kind=event and property:ombre.conv-id=w1')" 1
like "a handoff by the bot" "$("$OMBRE" show --json "$(field id w1 <<<"$json")" | grep '"kind":"event"')" \
    '"event":\{"type":"handoff","agent":"bot","reason":"the customer waited 60 min"'
like "in the feed the consoles ring on" "$(cat "$DATA/feed")" "handoff"
"$OMBRE" sync --once 2>>"$TEST_DIR/sync.err"
is "a second round hands off nothing more" "$(nm count property:ombre.kind=event)" 2

# --- bot-scenario across processes
config
is "no scenario" "$("$OMBRE" -e bot-scenario)" "-"
"$OMBRE" -e 'bot-scenario crisis'
is "bot-scenario NAME writes DATA/bot-scenario" "$(cat "$DATA/bot-scenario")" crisis
is "another process shows it" "$("$OMBRE" -e bot-scenario)" crisis
json_line whatsapp 106 s1 1 2026-11-20T09:59:30Z u3 customer "What are your hours?" | "$OMBRE" ingest
is "ingest answers with the crisis bot" "$(answers s1)" "We are overloaded today."
like "it waits in the outbox" "$("$OMBRE" outbox)" "overloaded"
"$OMBRE" -e 'bot-scenario -'
ok "bot-scenario - removes the file" test ! -e "$DATA/bot-scenario"
json_line whatsapp 106 s2 1 2026-11-20T09:59:40Z u4 customer "What are your hours?" | "$OMBRE" ingest
is "the channel's own bot again" "$(answers s2)" "We open at nine."
is "unknown bot refused" "$("$OMBRE" -e 'bot-scenario nope' 2>&1)" "ombre: bot-scenario: no bot nope"
ok "and nothing written" test ! -e "$DATA/bot-scenario"

# A config file's line is a default; the data dir's file wins.
config 'bot-scenario crisis'
is "the config's default shows" "$("$OMBRE" -e bot-scenario)" crisis
ok "a config line writes no file" test ! -e "$DATA/bot-scenario"
"$OMBRE" -e 'bot-scenario faq'
json_line whatsapp 106 s3 1 2026-11-20T09:59:50Z u5 customer "hours please" | "$OMBRE" ingest
is "the data dir's wins over the config's" "$(answers s3)" "We open at nine."
"$OMBRE" -e 'bot-scenario -'
json_line whatsapp 106 s4 1 2026-11-20T09:59:55Z u6 customer "hours please" | "$OMBRE" ingest
is "without the file the config's default" "$(answers s4)" "We are overloaded today."

test_done
