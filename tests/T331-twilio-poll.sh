#!/usr/bin/env bash
#
# SMS through Twilio without a public URL (issue 14): `poll=` asks the
# Messages list of the test server (tests/servers/twilio.py, pages of 2)
# and follows next_page_uri. A backlog over several pages stored once, an
# MMS's media from its Media list; a second poll stores nothing; a later
# message taken at the next poll, by `sync --once` and by a running
# syncer; a message both posted to the webhook and polled stored once;
# 429/20429 and 500 tried again; a page that is no JSON and a row that is
# no message quarantined while the rest is taken; the cursor (the day,
# DATA/sync/sms.date-sent) kept across SIGKILLs: nothing lost, nothing
# doubled. Without a public URL, the statuses of our replies come from
# the list too (From the number).

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

SID=AC0123456789abcdef0123456789abcdef
TOKEN=twilio-T0KEN-never-shown
FROM=+33612340000
server_start twilio --account-sid "$SID" --token "$TOKEN" --page-size 2
TW=$SERVER_PORT
PUBLIC=https://hooks.example.com/webhook/sms

mkdir -p "$XDG_CONFIG_HOME/ombre"
cat >"$XDG_CONFIG_HOME/ombre/config" <<CONF
channel sms twilio account-sid=$SID token=$TOKEN from=$FROM public-url=$PUBLIC poll=1s api-url=http://127.0.0.1:$TW
set sync.retry-base 100
set sync.retry-cap 400
set store.batch-ms 20
CONF
chmod 600 "$XDG_CONFIG_HOME/ombre/config"

now=$(date +%s)
add() { ctl "$TW" inbound "$1" | jq_py '" ".join(j["sids"])'; }
sync_once() { "$OMBRE" sync --once >sync.out 2>sync.err; }
lists() { ctl "$TW" "log?endpoint=list" | jq_py 'len(j)'; }
medias() { ctl "$TW" "log?endpoint=media" | jq_py 'len(j)'; }
files() { find "$DATA/mail" -type f \( -path '*/new/*' -o -path '*/cur/*' \) | wc -l; }

# --- a backlog over several pages --------------------------------------------
add "[{\"from\": \"+33600000001\", \"to\": \"$FROM\", \"body\": \"un\"},
      {\"from\": \"+33600000002\", \"to\": \"$FROM\", \"body\": \"deux\"},
      {\"from\": \"+33600000001\", \"to\": \"$FROM\", \"body\": \"trois\"},
      {\"from\": \"+33600000003\", \"to\": \"$FROM\", \"body\": \"quatre\", \"date_sent\": $((now - 3 * 86400))},
      {\"from\": \"+33600000003\", \"to\": \"$FROM\", \"body\": \"la photo\", \"media\": [\"image/jpeg\", \"image/png\"]},
      {\"from\": \"+33600000004\", \"to\": \"+33700000000\", \"body\": \"pas pour nous\"},
      {\"from\": \"+33600000005\", \"to\": \"$FROM\", \"body\": \"trop vieux\", \"date_sent\": $((now - 30 * 86400))}]" >/dev/null
sync_once
ok "sync --once polls the Messages list" test $? = 0 || diag "$(cat sync.err)"
is "five inbound messages over three pages, stored once" "$(nm count '*')" 5
ok "pages followed by next_page_uri" test "$(lists)" -ge 3
like "asked with To, DateSent> and PageSize" "$(ctl "$TW" "log?endpoint=list" | jq_py 'j[0]["query"]')" \
    "\"To\": \"\\+33612340000\", \"DateSent>\": \"[0-9]{4}-[0-9]{2}-[0-9]{2}\", \"PageSize\": \"100\""
is "a message to another number is not taken" "$(nm count 'pour nous')" 0
is "nor one before the first poll's window (7 days)" "$(nm count 'vieux')" 0
conv=$("$OMBRE" list --json --limit 10 'photo' | jq_py 'j["id"]')
json=$("$OMBRE" show --json "$conv")
like "on channel sms, the customer's number the conversation" "$json" \
    '"channel":"sms","account":"\+33612340000","conversation":\{"id":"\+33600000003"\}'
like "MMS media from the Media list as attachments" "$json" \
    "\"url\":\"http://127.0.0.1:$TW/2010-04-01/Accounts/$SID/Messages/MM[0-9a-f]+/Media/ME[0-9a-f]+\".*image/png"
is "the cursor is today's day" "$(cat "$DATA/sync/sms.date-sent")" "$(date -u +%Y-%m-%d)"

m0=$(medias)
sync_once
is "a second poll stores nothing new" "$(nm count '*')" 5
is "and asks no Media list again" "$(medias)" "$m0"
like "from the cursor's day" "$(ctl "$TW" "log?endpoint=list" | jq_py 'j[-1]["query"]["DateSent>"]')" \
    "$(date -u +%Y-%m-%d)"

add "{\"from\": \"+33600000002\", \"to\": \"$FROM\", \"body\": \"plus tard\"}" >/dev/null
sync_once
is "a message arriving later is taken at the next poll" "$(nm count 'tard')" 1

# --- the same message by webhook and by poll ---------------------------------------
webhook_start
"$PYTHON" -S "$top_srcdir/tests/servers/twilio_post.py" \
    --url "http://127.0.0.1:$WEBHOOK_PORT/webhook/sms" --public-url "$PUBLIC" \
    --token "$TOKEN" AccountSid="$SID" From=+33600000006 To="$FROM" \
    SmsStatus=received MessageSid=SM0000000000000000000000000000b0b0 \
    NumMedia=0 Body="par les deux chemins" >/dev/null
add "{\"sid\": \"SM0000000000000000000000000000b0b0\", \"from\": \"+33600000006\", \"to\": \"$FROM\", \"body\": \"par les deux chemins\"}" >/dev/null
sync_once
ok "webhook and poll in one sync" test $? = 0 || diag "$(cat sync.err)"
is "a message both posted and polled is stored once" "$(nm count 'chemins')" 1
webhook_stop

# --- faults ----------------------------------------------------------------------------
ctl "$TW" faults '[{"kind": "throttled", "match": "list"}, {"kind": "status", "status": 500, "code": 20500, "message": "Internal Server Error", "match": "list"}]' >/dev/null
add "{\"from\": \"+33600000007\", \"to\": \"$FROM\", \"body\": \"malgré le 429\"}" >/dev/null
sync_once
ok "429 (20429) and 500 are tried again" test $? = 0 || diag "$(cat sync.err)"
is "and the message is taken" "$(nm count '429')" 1
is "the 429 was answered" "$(ctl "$TW" "log?endpoint=list" | jq_py 'len([e for e in j if e["status"] == 429])')" 1

ctl "$TW" faults '[{"kind": "malformed", "match": "list"}, {"kind": "bad_row", "match": "list"}]' >/dev/null
add "{\"from\": \"+33600000008\", \"to\": \"$FROM\", \"body\": \"après la page cassée\"}" >/dev/null
sync_once
ok "a page that is no JSON, then a row that is no message" test $? = 0 || diag "$(cat sync.err)"
is "the rest is taken" "$(nm count 'cassée')" 1
q=$("$OMBRE" sync --quarantine)
like "the page is quarantined with its cause" "$q" 'the page is not JSON'
like "the row too" "$q" 'a message without sid'
is "nothing else was made of them" "$(nm count '*')" 9

# --- a running syncer, SIGKILLed -----------------------------------------------------
"$OMBRE" sync >syncd.out 2>syncd.err &
pid=$!
add "{\"from\": \"+33600000009\", \"to\": \"$FROM\", \"body\": \"pendant que ça tourne\"}" >/dev/null
for ((i = 0; i < 200; i++)); do
	[ "$(nm count 'tourne')" = 1 ] && break
	sleep 0.1
done
is "a running syncer takes a new message at its next poll" "$(nm count 'tourne')" 1
kill "$pid"
wait "$pid" 2>/dev/null

total=10
for run in 1 2 3 4 5; do
	add "[{\"from\": \"+3360000010$run\", \"to\": \"$FROM\", \"body\": \"série $run a\"},
	      {\"from\": \"+3360000010$run\", \"to\": \"$FROM\", \"body\": \"série $run b\"},
	      {\"from\": \"+3360000011$run\", \"to\": \"$FROM\", \"body\": \"série $run c\", \"media\": [\"image/gif\"]}]" >/dev/null
	total=$((total + 3))
	ctl "$TW" faults '[{"kind": "slow", "delay": 0.2, "match": "*", "count": 4}]' >/dev/null
	"$OMBRE" sync >>syncd.out 2>>syncd.err &
	pid=$!
	sleep "0.$((run * 15))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	ctl "$TW" reset "{}" >/dev/null
done
sync_once
ok "after SIGKILLs mid-pass, sync --once completes" test $? = 0 || diag "$(cat sync.err)"
is "nothing lost" "$(nm count '*')" "$total"
is "nothing doubled: one file per message" "$(files)" "$total"

# --- without a public URL, the statuses of our replies from the list ------------
sed -i 's| public-url=[^ ]*||' "$XDG_CONFIG_HOME/ombre/config"
conv=$("$OMBRE" list --json --limit 50 'tard' | jq_py 'j["id"]')
"$OMBRE" reply "$conv" --text "Elle part demain." >/dev/null
sync_once
sm=$(ctl "$TW" sent | jq_py '[r["sid"] for r in j][-1]')
is "a reply is sent without a StatusCallback" \
    "$(ctl "$TW" sent | jq_py 'j[-1]["status_callback"]')" None
is "sent" "$(nm count "property:ombre.remote-id=$sm and property:ombre.outbox=sent")" 1
ctl "$TW" status "{\"sid\": \"$sm\", \"status\": \"delivered\"}" >/dev/null
sync_once
like "the next poll asks the list From the number" \
    "$(ctl "$TW" "log?endpoint=list" | jq_py '[e["query"] for e in j if "From" in e["query"]][-1]')" \
    '"From": "\+33612340000"'
like "and the reply shows delivered" "$("$OMBRE" show "$conv")" 'delivered'
"$OMBRE" reply "$conv" --text "Numéro faux ?" >/dev/null
sync_once
sm2=$(ctl "$TW" sent | jq_py '[r["sid"] for r in j][-1]')
ctl "$TW" status "{\"sid\": \"$sm2\", \"status\": \"undelivered\", \"error_code\": 30003}" >/dev/null
sync_once
is "undelivered in the list fails the reply" \
    "$(nm count "property:ombre.remote-id=$sm2 and property:ombre.outbox=failed")" 1
like "with the error code" "$("$OMBRE" show "$conv")" '30003'
is "statuses never become messages" "$(nm count 'property:ombre.kind=customer')" "$total"
test_done
