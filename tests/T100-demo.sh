#!/usr/bin/env bash
# T100-demo.sh: the demo generator and the --demo store.
. "$top_srcdir/tests/lib.sh"
test_init

"$OMBRE" demo --seed 7 --conversations 40 >a.jsonl
ok "demo prints JSON lines" test $? -eq 0
"$OMBRE" demo --seed 7 --conversations 40 >b.jsonl
ok "the same seed gives the same data" cmp -s a.jsonl b.jsonl
"$OMBRE" demo --seed 8 --conversations 40 >c.jsonl
ok "another seed other data" bash -c '! cmp -s a.jsonl c.jsonl'
is "--conversations is honoured" "$(python3 -c 'import json,sys; print(len({(m["channel"], m["conversation"]["id"]) for m in map(json.loads, sys.stdin)}))' <a.jsonl)" 40
"$OMBRE" demo --conversations 5 --messages-per-conversation 10 >d.jsonl
is "--messages-per-conversation is honoured" "$(wc -l <d.jsonl)" 50
"$OMBRE" ingest <a.jsonl
ok "demo output is valid ingest input" test $? -eq 0
for ch in telegram whatsapp messenger line sms matrix email; do
	ok "channel $ch present" grep -q "\"channel\":\"$ch\"" a.jsonl
done
ok "French text" grep -q -i -e "bonjour" -e "commande" a.jsonl
ok "English text" grep -q -i -e "order" -e "hello" -e " hi" a.jsonl

"$OMBRE" demo --out store --conversations 60
ok "demo --out builds a store" test $? -eq 0
nmo() { notmuch --config=store/notmuch-config "$@"; }
for t in inbox unread ombre/done ombre/snoozed ombre/bot ombre/handoff ombre/note ombre/prio/high; do
	ok "state $t present" test "$(nmo count tag:$t)" -gt 0
done
ok "some conversation is assigned" test "$(nmo count 'tag:/^ombre\/assigned\//')" -gt 0
ok "snoozed conversations have a wake-up time" test "$(nmo count property:ombre.snooze-until=1 or tag:ombre/snoozed)" -gt 0
ok "done conversations are out of the inbox" test "$(nmo count tag:ombre/done and tag:inbox)" -eq 0

out=$("$OMBRE" --demo list)
ok "--demo list works on a fresh machine" test $? -eq 0
ok "showing about a page of conversations" test "$(printf '%s\n' "$out" | wc -l)" -ge 20
ok "the demo store is in the cache dir" test -f "$XDG_CACHE_HOME/ombre/demo/demo.stamp"
is "about 300 conversations" "$(notmuch --config="$XDG_CACHE_HOME/ombre/demo/notmuch-config" count --output=threads '*')" 300
stamp=$(stat -c %Y "$XDG_CACHE_HOME/ombre/demo/demo.stamp")
"$OMBRE" --demo list >/dev/null
is "it is built once, not on every start" "$(stat -c %Y "$XDG_CACHE_HOME/ombre/demo/demo.stamp")" "$stamp"
is "the same screen twice with OMBRE_NOW" "$("$OMBRE" --demo list)" "$out"
# --demo's own bot: the demo channel in French and English, answering,
# handing off on a request for a person; the user's config untouched.
like "--demo has the demo channel's bots" "$("$OMBRE" --demo -e list-bots)" \
    "bot-handoff demo-fr after=2 .*bot-handoff demo-en after=2"
ok "and no config file of the user's written" test ! -e "$XDG_CONFIG_HOME/ombre/config"
{
	json_line demo en t1 1 2026-11-20T09:59:00Z c1 customer "Hi, what time do you open on Saturday?"
	json_line demo fr t2 1 2026-11-20T09:59:00Z c2 customer "Bonjour, je veux parler à un conseiller"
} | "$OMBRE" --demo ingest
like "the English bot answers" "$("$OMBRE" --demo show --json 'property:ombre.conv-id=t1')" \
    '"kind":"bot"\},"text":"We are open Monday to Saturday'
like "a request for a person hands off" "$("$OMBRE" --demo list --json 'property:ombre.conv-id=t2')" '"mode":"handoff"'
"$OMBRE" demo --conversations 0 2>err
is "a bad count is a usage error" "$?" 2
test_done
