#!/usr/bin/env bash
#
# The Matrix adapter against a local homeserver (tests/servers/matrix.py)
# through real libcurl: 500 events in many rooms stored once, limited
# timelines back-filled, rooms labelled (direct, bridged network,
# encrypted), edits, replies and our own messages, rate limits with
# Retry-After, password login with a fixed device, a refused token.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

server_start matrix --user @support:localhost --password hunter2-secret \
    --token syt_static_SECRET --timeline-limit 10
MX=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
config() {
	{
		printf 'channel team matrix homeserver=http://127.0.0.1:%s user=@support:localhost %s\n' \
		    "$MX" "${AUTH:-token=syt_static_SECRET}"
		printf 'set sync.retry-base 100\nset sync.retry-cap 400\nset sync.poll-timeout 1\n'
		printf '%s\n' "$@"
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
config

# --- 500 events in 4 rooms: more than a timeline holds (100) -----------
ctl "$MX" generate '{"count": 500, "rooms": 4, "seed": 3}' >/dev/null
"$OMBRE" sync --once 2>err
ok "sync --once on 500 events exits 0" test $? = 0 || diag "$(cat err)"
is "every event is stored once (limited timelines back-filled)" "$(nm count '*')" 500
is "one conversation a room" "$(nm count --output=threads '*')" 4
is "ombre list shows the 4" "$("$OMBRE" list --limit 100 '*' | wc -l)" 4
n=$(ctl "$MX" log | jq_py 'len([r for r in j if r["endpoint"] == "messages"])')
ok "the gaps were filled through /messages ($n requests)" test "$n" -ge 4
like "the since token is saved" "$(cat "$DATA/sync/team.since")" '^s[0-9]+$'
"$OMBRE" sync --once 2>err
is "a second run stores nothing twice" "$(nm count '*')" 500

# --- rooms of every kind -----------------------------------------------
ctl "$MX" rooms '{"room_id": "!wa:localhost", "name": "Zoé (WA)", "direct": true,
  "members": [{"user_id": "@whatsapp_33612345678:localhost", "displayname": "Zoé (WA)"}],
  "bridge": {"protocol": "whatsapp", "displayname": "WhatsApp"}}' >/dev/null
ctl "$MX" rooms '{"room_id": "!sig:localhost", "members": [{"user_id": "@signal_abc:localhost", "displayname": "Karim"}],
  "bridge": {"protocol": "signal", "displayname": "Signal"}}' >/dev/null
ctl "$MX" rooms '{"room_id": "!enc:localhost", "name": "Secret room", "encrypted": true,
  "members": [{"user_id": "@eve:localhost", "displayname": "Eve"}]}' >/dev/null
ctl "$MX" events '{"room_id": "!wa:localhost", "events": [
  {"type": "m.room.message", "sender": "@whatsapp_33612345678:localhost", "content": {"msgtype": "m.text", "body": "Bonjour, ma commande ?"}},
  {"type": "m.room.message", "sender": "@whatsapp_33612345678:localhost", "content": {"msgtype": "m.image", "body": "photo.jpg", "url": "mxc://localhost/abc", "info": {"mimetype": "image/jpeg", "size": 4242}}},
  {"type": "m.room.message", "sender": "@support:localhost", "content": {"msgtype": "m.text", "body": "Je regarde tout de suite."}},
  {"type": "m.room.message", "sender": "@whatsapp_33612345678:localhost", "content": {"msgtype": "m.notice", "body": "Zoé a lu le message"}}
]}' >ev.json
first=$(jq_py 'j["event_ids"][0]' <ev.json)
ctl "$MX" events '{"room_id": "!wa:localhost", "events": [
  {"type": "m.room.message", "sender": "@whatsapp_33612345678:localhost", "content": {"msgtype": "m.text", "body": "* Bonjour, ma commande 42 ?",
    "m.new_content": {"msgtype": "m.text", "body": "Bonjour, ma commande 42 ?"}, "m.relates_to": {"rel_type": "m.replace", "event_id": "'"$first"'"}}},
  {"type": "m.room.message", "sender": "@whatsapp_33612345678:localhost", "content": {"msgtype": "m.text", "body": "merci",
    "m.relates_to": {"m.in_reply_to": {"event_id": "'"$first"'"}}}}
]}' >/dev/null
ctl "$MX" events '{"room_id": "!sig:localhost", "events": [
  {"type": "m.room.message", "sender": "@signal_abc:localhost", "content": {"msgtype": "m.text", "body": "salut"}}]}' >/dev/null
ctl "$MX" events '{"room_id": "!enc:localhost", "events": [
  {"type": "m.room.encrypted", "sender": "@eve:localhost", "content": {"algorithm": "m.megolm.v1.aes-sha2", "ciphertext": "AwgAEn..."}}]}' >/dev/null
"$OMBRE" sync --once 2>err
ok "rooms of every kind are taken" test $? = 0 || diag "$(cat err)"
conv() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["id"], c["channel"], c["title"], sep="\t")' "$1"
}
IFS=$'\t' read -r wa_id wa_channel wa_title <<<"$(conv '!wa:localhost')"
is "a WhatsApp bridge's room is a whatsapp conversation" "$wa_channel" whatsapp
is "named by its room name" "$wa_title" "Zoé (WA)"
IFS=$'\t' read -r sig_id sig_channel sig_title <<<"$(conv '!sig:localhost')"
like "a room in m.direct is labelled ombre/direct" \
    "$("$OMBRE" list --json --limit 1000 '*' | grep '"conversation":"!wa:localhost"')" '"ombre/direct"'
unlike "a room that is not is not" \
    "$("$OMBRE" list --json --limit 1000 '*' | grep '"conversation":"!sig:localhost"')" '"ombre/direct"'
is "a Signal bridge's room is a signal conversation" "$sig_channel" signal
is "a room without a name is named by its members" "$sig_title" Karim
IFS=$'\t' read -r enc_id enc_channel enc_title <<<"$(conv '!enc:localhost')"
like "an encrypted room's messages are kept, said to be unreadable" \
    "$("$OMBRE" show --json "$enc_id")" '"text":"encrypted: not readable here"'
json=$("$OMBRE" show --json "$wa_id")
like "the image is listed with its type and size" "$json" '"name":"photo.jpg","mime":"image/jpeg","size":4242'
like "our own user's message is an agent's" "$json" '"from":\{"id":"@support:localhost","name":"[^"]*","kind":"agent"\}'
like "a customer's names come from the room's members" "$json" '"name":"Zoé \(WA\)","kind":"customer"'
like "a notice from the other side is a bot's" "$json" '"text":"Zoé a lu le message"'
like "an edit points at the original" "$json" '"edit_of":"\'"$first"'"'
like "and both texts are kept" "$json" '"text":"Bonjour, ma commande 42 \?"'
like "a reply keeps what it answers" "$json" '"reply_to":"\'"$first"'"'

# --- replies: PUT with a txnId, the echo never stored twice ----------
before=$(grep -c . <<<"$("$OMBRE" show --json "$wa_id")")
out=$("$OMBRE" reply "$wa_id" --text "C'est en route !")
rid=${out%% *}
"$OMBRE" sync --once 2>err
ok "a reply to a bridged room is delivered" test $? = 0 || diag "$(cat err)"
json=$("$OMBRE" show --json "$wa_id")
like "sent, with the event id as the remote id" \
    "$(grep "\"id\":\"$rid\"" <<<"$json")" '"outbox":"sent","remote_id":"\$'
"$OMBRE" sync --once 2>err
# (the reply, and the take-over it made: the echo adds nothing)
is "its echo in /sync is not stored again" \
    "$(grep -c . <<<"$("$OMBRE" show --json "$wa_id")")" $((before + 2))
txn=ombre-${rid#out.}
is "the PUT carried a txnId derived from the reply" \
    "$(ctl "$MX" 'events?room_id=!wa:localhost' | jq_py '[e.get("_txn_id") for e in j if e["type"] == "m.room.message" and e["sender"] == "@support:localhost" and e["content"]["body"] == "C\u0027est en route !"]')" \
    "[\"$txn\"]"
out=$("$OMBRE" reply "$wa_id" --text "Une question ?")
rid=${out%% *}
ctl "$MX" reset '{}' >/dev/null
ctl "$MX" faults '[{"match": "send", "kind": "reset"}]' >/dev/null
"$OMBRE" sync --once 2>err
ok "a send reset after the server made the event is sent again" test $? = 0 || diag "$(cat err)"
is "with the same txnId: exactly one event on the server" \
    "$(ctl "$MX" 'events?room_id=!wa:localhost' | jq_py 'len([e for e in j if e["type"] == "m.room.message" and e["content"].get("body") == "Une question ?"])')" 1
is "two PUTs were made" \
    "$(ctl "$MX" log | jq_py 'len([r for r in j if r["endpoint"] == "send"])')" 2
like "and the reply is sent" \
    "$("$OMBRE" show --json "$wa_id" | grep "\"id\":\"$rid\"")" '"outbox":"sent"'

# --- 429 M_LIMIT_EXCEEDED with Retry-After ------------------------------
ctl "$MX" reset '{}' >/dev/null
ctl "$MX" generate '{"count": 3, "rooms": 2, "seed": 8}' >/dev/null
ctl "$MX" faults '[{"match": "sync", "kind": "rate_limit", "retry_after": 2}]' >/dev/null
before=$(nm count '*')
"$OMBRE" sync --once 2>err
ok "after a 429 the run goes on and ends well" test $? = 0 || diag "$(cat err)"
gap=$(ctl "$MX" log | jq_py '[round(b["t"] - a["t"], 2) for a, b in zip(j, j[1:]) if a["fault"] == "rate_limit"][0]')
ok "no request before Retry-After (2 s) passed: ${gap}s" "$PYTHON" -S -c "import sys; sys.exit(0 if $gap >= 2.0 else 1)"
is "the 3 new events are stored" "$(nm count '*')" $((before + 3))

# --- a refused token -----------------------------------------------------
ctl "$MX" reset '{}' >/dev/null
AUTH=token=syt_wrong_SECRET config
"$OMBRE" -v sync --once 2>err
is "a refused token: exit status 1" "$?" 1
like "auth failed with Matrix's errcode" "$(cat err)" 'team: auth failed: HTTP 401 M_UNKNOWN_TOKEN'
unlike "the token is not in the error" "$(cat err)" 'SECRET'

# --- password login, with a fixed device id -----------------------------
printf 'hunter2-secret\n' >pw.txt
AUTH="password-command=\"cat $TEST_DIR/pw.txt\"" config
ctl "$MX" generate '{"count": 2, "rooms": 1, "seed": 9}' >/dev/null
before=$(nm count '*')
"$OMBRE" sync --once 2>err
ok "password-command logs in" test $? = 0 || diag "$(cat err)"
is "and syncs" "$(nm count '*')" $((before + 2))
is "with the device id OMBRE" \
    "$(ctl "$MX" log | jq_py '[r["body"]["device_id"] for r in j if r["endpoint"] == "login"][0]')" OMBRE
ok "neither password nor access token is stored" \
    bash -c "! grep -rqaE 'hunter2-secret|syt_static_SECRET|syt_wrong' '$DATA'"

test_done
