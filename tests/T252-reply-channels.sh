#!/usr/bin/env bash
#
# No silent queue: a reply that no declared channel sends is refused at
# once by `ombre reply` (exit 1, the reason, nothing stored), a note never
# is, a declared channel of the conversation's type and account takes it,
# and --demo's demo-all channel takes every reply of the demo store.

. "$top_srcdir/tests/lib.sh"
test_init

{
	json_line whatsapp 106540352242922 33612345678 wamid.1 2026-11-20T09:30:00Z 33612345678 customer "Bonjour, ma livraison ?"
	json_line telegram 7012345678 381245 101 2026-11-20T09:40:00Z 381245 customer "Allô ?"
} | "$OMBRE" ingest >/dev/null
wa=$("$OMBRE" list --json Channel:whatsapp | jq_py 'j["id"]')
tg=$("$OMBRE" list --json Channel:telegram | jq_py 'j["id"]')
messages() { nm count '*'; }
before=$(messages)

# --- no channel declared -------------------------------------------------
"$OMBRE" reply "$wa" --text "Elle arrive demain" >out 2>err
is "a reply to WhatsApp with no channel declared: exit 1" "$?" 1
is "with the reason" "$(cat err)" \
    'ombre: reply: no channel sends on whatsapp account 106540352242922: declare one with `channel`: nothing stored'
is "and no reply id" "$(cat out)" ""
is "nothing stored: the outbox is empty" "$("$OMBRE" outbox)" ""
is "no message added" "$(messages)" "$before"
"$OMBRE" reply "$wa" --note --text "Client VIP" >out 2>err
is "a note is never refused" "$?" 0
like "it is stored" "$(cat out)" '^out\.[0-9a-f-]{36} noted$'

# --- declared ------------------------------------------------------------
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
printf 'channel shop-wa whatsapp account=106540352242922\n' >"$CONFIG"
chmod 600 "$CONFIG"
out=$("$OMBRE" reply "$wa" --text "Elle arrive demain" 2>err)
is "with a WhatsApp channel of the account declared, exit 0" "$?" 0
like "the reply is queued" "$out" '^out\.[0-9a-f-]{36} queued$'
like "ombre outbox lists it" "$("$OMBRE" outbox)" "^queued .*${out%% *}"
like "show prints its state after its author" "$("$OMBRE" show "$wa")" \
    $'\n[0-9:]+  tester \\(agent\\)  \\[queued\\]  <out\\.[0-9a-f-]{36}@ombre>\n  Elle arrive demain'
"$OMBRE" reply "$tg" --text "Je regarde" >/dev/null 2>err
is "a Telegram conversation is still refused: exit 1" "$?" 1
like "naming its type and account" "$(cat err)" \
    'no channel sends on telegram account 7012345678'
printf 'channel shop-wa whatsapp account=42\n' >"$CONFIG"
"$OMBRE" reply "$wa" --text "Encore" >/dev/null 2>err
is "a WhatsApp channel of another account does not send it: exit 1" "$?" 1
printf 'channel t demo deliver=all\n' >"$CONFIG"
out=$("$OMBRE" reply "$tg" --text "Je regarde" 2>err)
like "a demo channel with deliver=all sends every reply" "$out" \
    '^out\.[0-9a-f-]{36} queued$'

# --- the demo store: demo-all delivers everything -------------------------
rm "$CONFIG"
like "--demo declares demo-all" "$("$OMBRE" --demo -e show-channels)" \
    'demo-all demo deliver=all'
demo_tg=$("$OMBRE" --demo list --json --limit 1 Channel:telegram | jq_py 'j["id"]')
out=$("$OMBRE" --demo reply "$demo_tg" --text "Bonjour" 2>err)
like "a reply to a Telegram conversation of the demo store is queued" \
    "$out" '^out\.[0-9a-f-]{36} queued$' || diag "$(cat err)"
test_done
