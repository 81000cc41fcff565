#!/usr/bin/env bash
# T285-triage-cli.sh: triage from the command line (take-over, hand-back,
# assign, done, reopen, snooze) recorded as events through core's policy;
# events in show; ombre handoffs.
. "$top_srcdir/tests/lib.sh"
test_init

# A line of the canonical JSON with extra fields (tags, event) spliced in.
with() { local l; l=$(json_line "${@:2}"); printf '%s,%s}\n' "${l%\}}" "$1"; }
field() { "$PYTHON" -S -c 'import json,sys; [print(o[sys.argv[1]]) for o in map(json.loads, sys.stdin) if o["conversation"] == sys.argv[2]]' "$@"; }
# The number of messages of thread $1 matching the query $2.
count() { nm count --output=messages "thread:$1 and ($2)"; }

{
	with '"tags":["+ombre/bot"]' telegram bot1 c1 1 2026-11-20T09:00:00Z u1 customer "Bonjour"
	with '"tags":["+ombre/bot"]' telegram bot1 c1 2 2026-11-20T09:01:00Z b1 bot "Je suis le bot"
} | "$OMBRE" ingest
json=$("$OMBRE" list --json)
id=$(field id c1 <<<"$json")
thread=$(field thread c1 <<<"$json")
is "a conversation with the bot" "$(field mode c1 <<<"$json")" bot
like "list's mode column says bot" "$("$OMBRE" list)" "^ +$id TG .* bot "

# take-over
out=$("$OMBRE" take-over "$id" --agent ana)
is "take-over says what changed" "$out" "taken over by ana"
json=$("$OMBRE" list --json)
is "the mode is human" "$(field mode c1 <<<"$json")" human
is "and ana has it" "$(field assignee c1 <<<"$json")" ana
like "list's mode column names ana" "$("$OMBRE" list)" "^ +$id TG .* @ana "
is "notmuch finds the event" "$(nm count property:ombre.kind=event)" 1
total=$(nm count --output=messages "thread:$thread")
is "every message carries ombre/assigned/ana" "$(count "$thread" tag:ombre/assigned/ana)" "$total"
is "none carries ombre/bot" "$(count "$thread" tag:ombre/bot)" 0
show_json() {
	"$OMBRE" show --json "$id" | "$PYTHON" -S -c '
import json, sys
objs = [json.loads(l) for l in sys.stdin]
assert all("kind" in o for o in objs), "a message without kind"
print("\n".join(o["text"] for o in objs if o["kind"] == "event"))'
}
like "show --json has the event with kind and text" "$(show_json)" "^taken over by ana$"
like "show --json gives every message a kind" \
    "$("$OMBRE" show --json "$id" | head -n1)" '"kind":"customer"'
like "show prints the event as one line" "$("$OMBRE" show "$id")" $'\n10:00 — taken over by ana$'
is "take-over again: nothing to do" "$("$OMBRE" take-over "$id" --agent ana)" "already yours"
is "and nothing written" "$(nm count property:ombre.kind=event)" 1

# hand-back
is "hand-back" "$("$OMBRE" hand-back "$id" --agent ana)" "returned to the bot by ana"
total=$(nm count --output=messages "thread:$thread")
is "ombre/bot on every message" "$(count "$thread" tag:ombre/bot)" "$total"
is "nobody assigned" "$(count "$thread" 'tag:/^ombre\/assigned\//')" 0
like "the event says who" "$(show_json)" $'\nreturned to the bot by ana$'
is "the mode is bot" "$("$OMBRE" list --json | field mode c1)" bot

# assign
is "assign" "$("$OMBRE" assign "$id" bob --agent ana)" "assigned to bob by ana"
is "bob has it" "$("$OMBRE" list --json | field assignee c1)" bob
is "assign again: nothing to do" "$("$OMBRE" assign "$id" bob)" "already assigned to bob"

# done
is "done" "$("$OMBRE" done "$id" --agent ana)" "closed by ana"
unlike "out of the Inbox" "$("$OMBRE" list)" "^ +$id TG"
total=$(nm count --output=messages "thread:$thread")
is "ombre/done on every message" "$(count "$thread" tag:ombre/done)" "$total"
is "no message in the inbox" "$(count "$thread" tag:inbox)" 0
is "done again: nothing to do" "$("$OMBRE" done "$id")" "already closed"

# reopen
is "reopen" "$("$OMBRE" reopen "$id" --agent ana)" "reopened by ana"
is "no message done any more" "$(count "$thread" tag:ombre/done)" 0
like "back in the Inbox" "$("$OMBRE" list)" "^ +$id TG"
is "reopen again: nothing to do" "$("$OMBRE" reopen "$id")" "already open"

# snooze
like "snooze 1h" "$("$OMBRE" snooze "$id" 1h --agent ana)" "^snoozed until Fri 20 Nov 11:00 by ana$"
total=$(nm count --output=messages "thread:$thread")
is "ombre/snoozed on every message" "$(count "$thread" tag:ombre/snoozed)" "$total"
until=$(date -u -d 2026-11-20T11:00:00Z +%s)
is "the time on every message" "$(count "$thread" "property:ombre.snooze-until=$until")" "$total"
"$OMBRE" snooze "$id" someday 2>err
is "a WHEN that does not parse is a usage error" "$?" 2
like "saying how to say when" "$(cat err)" "cannot read 'someday' as a time"
"$OMBRE" snooze "$id" 2>err
is "snooze without WHEN is a usage error" "$?" 2
like "with the usage" "$(cat err)" "usage: ombre snooze CONV WHEN"

# errors and help
"$OMBRE" take-over fff0 --agent ana 2>err
is "an unknown CONV is a failure" "$?" 1
like "naming it" "$(cat err)" "^ombre: take-over: "
"$OMBRE" done 2>err
is "done without CONV is a usage error" "$?" 2
"$OMBRE" assign "$id" 'a b' 2>err
is "an agent's name that is no tag is a usage error" "$?" 2
out=$("$OMBRE" hand-back --help)
is "--help prints the usage" "$(head -n 1 <<<"$out")" \
    "usage: ombre hand-back CONV [--agent NAME]"
events=$(nm count property:ombre.kind=event)
is "no event written by the refusals" "$events" 6

# handoffs: c2 waiting since 08:00 with a bot's reason, c3 since 09:30
# without an event, c4 handed off but closed (not waiting), c1 human.
{
	json_line telegram bot1 c2 1 2026-11-20T08:00:00Z u2 customer "Un humain svp"
	with '"tags":["+ombre/handoff"],"event":{"type":"handoff","agent":"bot","reason":"asked for a person"}' \
	    telegram bot1 c2 h1 2026-11-20T08:01:00Z bot event "handed off"
	with '"tags":["+ombre/handoff"]' matrix mx1 c3 1 2026-11-20T09:30:00Z u3 customer "Hello?"
	with '"tags":["+ombre/handoff","-inbox","+ombre/done"]' telegram bot1 c4 1 2026-11-20T07:00:00Z u4 customer "Old"
} | "$OMBRE" ingest
"$OMBRE" assign "$id" ana >/dev/null
out=$("$OMBRE" handoffs)
is "handoffs lists the three waiting for a human" "$(wc -l <<<"$out")" 3
like "oldest waiting first, with its reason" "$(head -n1 <<<"$out")" "TG u2@telegram.ombre +2h asked for a person$"
like "then the next, with no reason" "$(sed -n 2p <<<"$out")" "MX u3@matrix.ombre +30m —$"
like "those not waiting last" "$(sed -n 3p <<<"$out")" "TG u4@telegram.ombre +- —$"
like "cut to the terminal's width" "$(COLUMNS=40 "$OMBRE" handoffs | head -n1)" "^.{1,40}$"
json=$("$OMBRE" handoffs --json)
ok "every --json line parses with its fields" "$PYTHON" -S -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
keys = ["id", "thread", "channel", "customer", "waiting_since", "wait_seconds", "reason"]
assert len(rows) == 3, rows
for r in rows:
    assert list(r) == keys, list(r)
assert rows[0]["waiting_since"] == "2026-11-20T08:00:00Z", rows[0]
assert rows[0]["wait_seconds"] == 7200, rows[0]
assert rows[0]["reason"] == "asked for a person", rows[0]
assert rows[0]["channel"] == "telegram"
assert rows[1]["wait_seconds"] == 1800 and rows[1]["reason"] is None, rows[1]
assert rows[2]["waiting_since"] is None and rows[2]["wait_seconds"] is None, rows[2]
' <<<"$json"
like "list's mode column says needs human" "$("$OMBRE" list Channel:matrix)" "needs human"
c2=$("$OMBRE" list --json | field id c2)
"$OMBRE" take-over "$c2" --agent ana >/dev/null
is "taken over: no longer waiting for a human" "$("$OMBRE" handoffs | wc -l)" 2
# The Needs human view in its own order, the longest wait first, where
# newest activity first differs: c7 waits since 09:00 (a bot spoke at
# 11:00, after the handoff: no answer), c3 since 09:30, c8 since 10:30.
{
	with '"tags":["+ombre/handoff"]' telegram bot1 c7 1 2026-11-20T09:00:00Z u7 customer "Un conseiller"
	with '"tags":["+ombre/handoff"]' telegram bot1 c7 2 2026-11-20T11:00:00Z b1 bot "Un conseiller arrive"
	with '"tags":["+ombre/handoff"]' telegram bot1 c8 1 2026-11-20T10:30:00Z u8 customer "Quelqu'un ?"
} | "$OMBRE" ingest
is "list --view 'Needs human': the longest wait first, not the newest" \
    "$("$OMBRE" list --view 'Needs human' | awk '{ print $4 }' | head -n3 | tr '\n' ' ')" \
    "u7@telegram.ombre u3@matrix.ombre u8@telegram.ombre "

# A reply takes a bot conversation over, unless reply.takes-over is off.
{
	with '"tags":["+ombre/bot"]' telegram bot1 c5 1 2026-11-20T10:00:00Z u5 customer "Allo"
	with '"tags":["+ombre/bot"]' telegram bot1 c6 1 2026-11-20T10:00:00Z u6 customer "Allo"
} | "$OMBRE" ingest
json=$("$OMBRE" list --json)
c5=$(field id c5 <<<"$json")
c6=$(field id c6 <<<"$json")
# The bot's Telegram channel, declared for the replies only: the
# conversations above began on no declared channel.
send='channel shop telegram account=bot1'
"$OMBRE" -e "set agent zed; $send" reply "$c5" --text "Je m'en occupe" >/dev/null
json=$("$OMBRE" list --json)
is "a reply takes the conversation over" \
    "$(field mode c5 <<<"$json") $(field assignee c5 <<<"$json")" "human zed"
like "with a take-over event" "$("$OMBRE" show "$c5")" "taken over by zed"
"$OMBRE" -e "set agent zed; set reply.takes-over off; $send" reply "$c6" --text "Un instant" >/dev/null
is "with reply.takes-over off the bot keeps it" \
    "$(field mode c6 <<<"$("$OMBRE" list --json)")" bot

# A held write lock: exit 75, nothing written.
hold_lock=$top_builddir/tests/helpers/hold-lock
if [ -x "$hold_lock" ]; then
	"$hold_lock" "$DATA/notmuch-config" 10 >holder.out 2>holder.err &
	holder=$!
	for ((i = 0; i < 100; i++)); do
		grep -qx locked holder.out 2>/dev/null && break
		sleep 0.05
	done
	before=$(nm count property:ombre.kind=event 2>/dev/null)
	"$OMBRE" -e 'set store.lock-timeout 0' done "$id" 2>err
	is "a locked store: exit 75" "$?" 75
	kill -USR1 "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	is "and no event written" "$(nm count property:ombre.kind=event)" "$before"
else
	skip "a locked store: exit 75" "tests/helpers/hold-lock is not built"
	skip "and no event written" "tests/helpers/hold-lock is not built"
fi
test_done
