#!/usr/bin/env bash
#
# SMS through Twilio end to end (issue 14): form POSTs signed as Twilio
# does (tests/servers/twilio_post.py) to `ombre webhook`, taken from the
# spool by `ombre sync`, replies sent to the Twilio test server
# (tests/servers/twilio.py). Signatures good, bad and missing; the empty
# TwiML answer; redelivery stored once; MMS media as attachments; a reply
# with Basic auth, From and StatusCallback; status callbacks out of order
# keeping the highest; undelivered failing; 20429 retried; a send cut off
# "delivery unknown", never sent again.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

SID=AC0123456789abcdef0123456789abcdef
TOKEN=twilio-T0KEN-never-shown
FROM=+33612340000
CUST=+33698765432
server_start twilio --account-sid "$SID" --token "$TOKEN"
TW=$SERVER_PORT
PUBLIC=https://hooks.example.com/webhook/sms

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
cat >"$CONFIG" <<CONF
channel sms twilio account-sid=$SID token=$TOKEN from=$FROM public-url=$PUBLIC api-url=http://127.0.0.1:$TW
set sync.retry-base 100
set sync.retry-cap 400
CONF
chmod 600 "$CONFIG"

webhook_start
post() { "$PYTHON" -S "$top_srcdir/tests/servers/twilio_post.py" \
    --url "http://127.0.0.1:$WEBHOOK_PORT/webhook/sms" --public-url "$PUBLIC" \
    --token "$TOKEN" "$@"; }
spool() { find "$DATA/webhook/spool" -type f 2>/dev/null | wc -l; }
sync_once() { "$OMBRE" sync --once >sync.out 2>sync.err; }
sent() { ctl "$TW" sent; }
inbound() {
	post "$@" AccountSid="$SID" From="$CUST" To="$FROM" SmsStatus=received \
	    ApiVersion=2010-04-01 FromCountry=FR
}

# --- signatures, TwiML ----------------------------------------------------------
out=$(inbound --expect 401 --bad-signature MessageSid=SM00000000000000000000000000000001 Body=x)
ok "a bad X-Twilio-Signature is answered 401" test $? = 0
out=$(inbound --expect 401 --no-signature MessageSid=SM00000000000000000000000000000001 Body=x)
ok "a missing one too" test $? = 0
is "and nothing is spooled" "$(spool)" 0
out=$(inbound MessageSid=SM00000000000000000000000000000001 NumMedia=0 Body="Bonjour, ma commande ?")
ok "a signed SMS is answered 200" test $? = 0
is "with an empty TwiML response" "$out" \
    '200 text/xml
<?xml version="1.0" encoding="UTF-8"?><Response/>'
inbound MessageSid=SM00000000000000000000000000000001 NumMedia=0 Body="Bonjour, ma commande ?" >/dev/null
inbound MessageSid=MM00000000000000000000000000000002 NumMedia=1 Body="la photo" \
    MediaUrl0=http://127.0.0.1:$TW/media/ME1 MediaContentType0=image/jpeg >/dev/null
sync_once
ok "ombre sync --once takes the spool" test $? = 0 || diag "$(cat sync.err)"
is "the spool is empty" "$(spool)" 0
is "redelivered: stored once; the MMS too" "$(nm count '*')" 2
conv=$("$OMBRE" list --json --limit 10 '*' | jq_py 'j["id"]')
json=$("$OMBRE" show --json "$conv")
like "on channel sms, the customer's number the conversation" "$json" '"channel":"sms","account":"\+33612340000","conversation":\{"id":"\+33698765432"\}'
like "the text" "$json" 'Bonjour, ma commande \?'
like "MMS media as attachments" "$json" '"url":"http://127.0.0.1:[0-9]+/media/ME1"'

# --- a reply and its status callbacks ---------------------------------------------
"$OMBRE" reply "$conv" --text "Elle part demain." >/dev/null
ok "ombre reply queues it" test $? = 0
sync_once
ok "sync --once sends it" test $? = 0 || diag "$(cat sync.err)"
is "POST Messages.json with To, From, Body and StatusCallback" \
    "$(sent | jq_py '[[r["to"], r["from"], r["body"], r["status_callback"]] for r in j][-1]')" \
    "[\"$CUST\", \"$FROM\", \"Elle part demain.\", \"$PUBLIC\"]"
sm=$(sent | jq_py '[r["sid"] for r in j][-1]')
is "sent, its MessageSid kept" \
    "$(nm count "property:ombre.remote-id=$sm and property:ombre.outbox=sent")" 1
status() { post AccountSid="$SID" MessageSid="$1" SmsSid="$1" MessageStatus="$2" SmsStatus="$2" \
    From="$FROM" To="$CUST" ApiVersion=2010-04-01 ${3:+ErrorCode=$3} >/dev/null; }
status "$sm" delivered
status "$sm" sent
sync_once
like "delivered, then a late sent: the thread says delivered" "$("$OMBRE" show "$conv")" 'delivered'
is "statuses never become messages" "$(nm count 'property:ombre.kind=customer')" 2

"$OMBRE" reply "$conv" --text "Numéro faux ?" >/dev/null
sync_once
sm2=$(sent | jq_py '[r["sid"] for r in j][-1]')
status "$sm2" undelivered 30003
sync_once
is "undelivered fails the reply" "$(nm count "property:ombre.remote-id=$sm2 and property:ombre.outbox=failed")" 1
like "with the error code" "$("$OMBRE" show "$conv")" '30003'

# --- throttling, a cut send ------------------------------------------------------------
n0=$(sent | jq_py 'len(j)')
ctl "$TW" faults '[{"kind": "throttled", "match": "messages"}]' >/dev/null
"$OMBRE" reply "$conv" --text "Un instant." >/dev/null
sync_once
is "20429 is tried again, sent once" "$(sent | jq_py 'len(j)')" $((n0 + 1))
is "and the reply is sent" "$(nm count 'property:ombre.outbox=sent and instant')" 1
ctl "$TW" faults '[{"kind": "reset", "match": "messages"}]' >/dev/null
"$OMBRE" reply "$conv" --text "Coupé." >/dev/null
sync_once
sync_once
is "a send cut off went out once (no idempotency key: never resent)" \
    "$(sent | jq_py 'len([r for r in j if r["body"] == "Coupé."])')" 1
is "and is delivery unknown" "$(nm count 'property:ombre.outbox=unknown')" 1

webhook_stop
test_done
