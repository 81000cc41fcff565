#!/usr/bin/env bash
#
# WhatsApp Cloud API end to end (issue 13): Meta's sample payloads
# (tests/corpora/meta) POSTed signed to `ombre webhook`, taken from the
# spool by `ombre sync`, and replies sent to the Graph API test server
# (tests/servers/graph.py) through real libcurl. Every sample stored,
# redeliveries and reordering stored once, statuses on replies (never in
# the inbox), throttling kept queued, 131047 failing with its reason
# (answered at once, or later as a failed status), 190 as "auth failed",
# an approved template outside the window, media fetched on demand,
# read receipts, usernames without a phone number, the quarantine.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=graph-T0KEN-never-shown
PHONE=106540352242922
server_start graph --token "$TOKEN"
GRAPH=$SERVER_PORT
SAMPLES=$top_srcdir/tests/corpora/meta

mkdir -p "$XDG_CONFIG_HOME/ombre/templates"
CONFIG=$XDG_CONFIG_HOME/ombre/config
cat >"$CONFIG" <<CONF
channel shop whatsapp phone-number-id=$PHONE token=$TOKEN app-secret=s3cr3t verify-token=vt api-url=http://127.0.0.1:$GRAPH
set sync.retry-base 100
set sync.retry-cap 400
CONF
chmod 600 "$CONFIG"
cat >"$XDG_CONFIG_HOME/ombre/templates/commande" <<'TPL'
language: fr
channels: whatsapp
approved: order_update

Bonjour {{customer.first_name}}, votre commande est partie.
TPL

webhook_start
post() { "$PYTHON" -S "$top_srcdir/tests/servers/meta_post.py" \
    --url "http://127.0.0.1:$WEBHOOK_PORT/webhook/shop" --app-secret s3cr3t "$@"; }
spool() { find "$DATA/webhook/spool" -type f 2>/dev/null | wc -l; }
sync_once() { "$OMBRE" sync --once >sync.out 2>sync.err; }
# conv KEY: the conversation whose channel id (the customer) is KEY.
conv() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["id"])' "$1"
}
# sent [ENDPOINT]: what the Graph server performed, as JSON.
sent() { ctl "$GRAPH" "sent?endpoint=${1:-wa_messages}"; }
# status_body WAMID STATUS [ERROR-CODE]: a statuses[] webhook.
status_body() {
	"$PYTHON" -S - "$@" <<'PY'
import json, sys, time
wamid, status = sys.argv[1], sys.argv[2]
st = {"id": wamid, "status": status, "timestamp": str(int(time.time())),
      "recipient_id": "33612345678"}
if len(sys.argv) > 3:
    st["errors"] = [{"code": int(sys.argv[3]), "title": "Re-engagement message",
                     "message": "Re-engagement message",
                     "error_data": {"details": "Message failed to send because more than 24 hours have passed since the customer last replied to this number."}}]
print(json.dumps({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398",
    "changes": [{"field": "messages", "value": {"messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": "106540352242922"},
        "statuses": [st]}}]}]}))
PY
}

# --- every public sample payload -------------------------------------
expected=$("$PYTHON" -S - "$SAMPLES" <<'PY'
import glob, json, sys
n = 0
for f in glob.glob(sys.argv[1] + "/wa-*.json"):
    for e in json.load(open(f)).get("entry", []):
        for c in e.get("changes", []):
            if c.get("field") == "messages":
                n += len(c.get("value", {}).get("messages", []))
print(n)
PY
)
post --quiet --expect 200 "$SAMPLES"/wa-*.json
ok "every WhatsApp sample is answered 200" test $? = 0
sync_once
ok "ombre sync --once takes the spool" test $? = 0 || diag "$(cat sync.err)"
is "the spool is empty" "$(spool)" 0
is "every message of the samples is stored ($expected), statuses are not" \
    "$(nm count 'property:ombre.kind=customer')" "$expected"
is "and nothing else is in the inbox" "$(nm count '*')" "$expected"
kerry=$(conv 16315551234)
show=$("$OMBRE" show "$kerry")
like "the customer's name comes from contacts[].profile.name" "$show" 'Kerry Fisher'
json=$("$OMBRE" show --json "$kerry")
like "an image is an attachment fetched on demand (wa-media:ID)" "$json" '"url":"wa-media:[0-9]+"'
like "a location is text" "$json" '📍'
like "a reaction names the message it answers" "$json" '"reply_to":"wamid\.'
bsuid=$(conv US.13491208655302741918)
ok "a username without a phone number is keyed on its business-scoped id" test -n "$bsuid"

# --- redelivered three times, reordered --------------------------------
post --quiet --repeat 3 --shuffle 7 --concurrency 4 --expect 200 "$SAMPLES"/wa-*.json
sync_once
is "redelivered 3 times in another order: still one message each" \
    "$(nm count '*')" "$expected"
is "and one file each" "$(find "$DATA/mail" -type f -path '*/new/*' -o -type f -path '*/cur/*' | wc -l)" "$expected"

# --- a bad signature stores nothing ----------------------------------
post --quiet --bad-signature --expect 401 "$SAMPLES/wa-text.json"
ok "a bad signature is answered 401" test $? = 0
post --quiet --no-signature --expect 401 "$SAMPLES/wa-text.json"
ok "a missing one too" test $? = 0
is "and nothing is spooled" "$(spool)" 0

# --- a reply, its statuses --------------------------------------------
post --quiet --generate-whatsapp 1 --phone-number-id "$PHONE" --customers 1 \
    --seed 3 --start "$(date +%s)" >/dev/null
sync_once
cust=$("$OMBRE" list --json --limit 1 '*' | jq_py 'j["conversation"]')
c1=$(conv "$cust")
ok "a fresh customer's conversation" test -n "$c1"
"$OMBRE" reply "$c1" --text "Bonjour, je regarde votre commande." >/dev/null
ok "ombre reply queues it" test $? = 0
sync_once
ok "sync --once sends it" test $? = 0 || diag "$(cat sync.err)"
req=$(sent | jq_py '[r["request"] for r in j][-1]')
is "POST /{phone-number-id}/messages with the text, to the customer" \
    "$(jq_py '[j["messaging_product"], j["to"], j["type"], j["text"]["body"]]' <<<"$req")" \
    "[\"whatsapp\", \"$cust\", \"text\", \"Bonjour, je regarde votre commande.\"]"
wamid=$(sent | jq_py '[r["id"] for r in j][-1]')
is "the reply is sent, its wamid kept" \
    "$(nm count "property:ombre.remote-id=$wamid and property:ombre.outbox=sent")" 1
like "show says sent (a 200 is accepted, not delivered)" "$("$OMBRE" show "$c1")" 'sent'
status_body "$wamid" read >read.json
status_body "$wamid" delivered >delivered.json
post --quiet --expect 200 read.json delivered.json
sync_once
like "read, then a late delivered: the thread says read" "$("$OMBRE" show "$c1")" '\[read [^]]*[0-9]{2}:[0-9]{2}\]'
is "statuses never become messages" \
    "$("$OMBRE" show --json "$c1" | grep -c '"kind":"\(customer\|agent\)"')" 2

# --- a reply quoting the customer's message (WhatsApp's context) ----------
said=$("$OMBRE" show --json "$c1" | "$PYTHON" -S -c '
import json, sys
print([m["id"] for m in map(json.loads, sys.stdin) if m.get("kind") == "customer"][-1])')
"$OMBRE" reply "$c1" --reply-to "$said" --text "Oui, il est en stock." >/dev/null
sync_once
is "--reply-to goes as the context of the message answered" \
    "$(sent | jq_py '[r["request"].get("context") for r in j][-1]')" \
    "{\"message_id\": \"$said\"}"
"$OMBRE" reply "$c1" --reply-to wamid.nope --text "x" >/dev/null 2>out
is "an id that is no message of the conversation: refused (exit 1)" "$?" 1
like "said" "$(cat out)" 'no message wamid.nope to answer'

# --- throttling keeps it queued ------------------------------------------
ctl "$GRAPH" faults '[{"kind": "rate_limit", "status": 429, "retry_after": 1, "match": "wa_messages"}]' >/dev/null
n0=$(sent | jq_py 'len(j)')
"$OMBRE" reply "$c1" --text "Un instant." >/dev/null
sync_once
ok "130429 with Retry-After: tried again, sent" test $? = 0 || diag "$(cat sync.err)"
is "exactly one more send performed" "$(sent | jq_py 'len(j)')" $((n0 + 1))
is "nothing left in the outbox" "$("$OMBRE" outbox | grep -c queued)" 0
ctl "$GRAPH" faults '[{"kind": "pair_rate_limit", "match": "wa_messages"}, {"kind": "waba_rate_limit", "match": "wa_messages"}]' >/dev/null
"$OMBRE" reply "$c1" --text "Encore un instant." >/dev/null
sync_once
ok "131056 then 80007: kept queued, tried again, sent" test $? = 0 || diag "$(cat sync.err)"
is "one more send performed after the two refusals" "$(sent | jq_py 'len(j)')" $((n0 + 2))

# --- 131047: the window closed on Meta's side ------------------------------
ctl "$GRAPH" inbound "{\"customer\": \"$cust\", \"ago\": 90000}" >/dev/null
"$OMBRE" reply "$c1" --text "Toujours là ?" >/dev/null
sync_once
like "131047 fails the reply with its reason" "$("$OMBRE" show "$c1")" 'FAILED: 131047'
ctl "$GRAPH" inbound "{\"customer\": \"$cust\", \"ago\": 10}" >/dev/null

# --- a failed status after a 200 -----------------------------------------
"$OMBRE" reply "$c1" --text "Votre colis arrive demain." >/dev/null
sync_once
wamid2=$(sent | jq_py '[r["id"] for r in j][-1]')
status_body "$wamid2" failed 131047 >failed.json
post --quiet --expect 200 failed.json
sync_once
is "a failed status moves the sent reply to failed" \
    "$(nm count "property:ombre.remote-id=$wamid2 and tag:ombre/failed")" 1
like "with Meta's reason" "$("$OMBRE" show --json "$c1")" '131047'

# --- 190: the token refused ------------------------------------------------
ctl "$GRAPH" faults '[{"kind": "unauthorized", "match": "wa_messages", "count": 50}]' >/dev/null
"$OMBRE" reply "$c1" --text "Re-bonjour." >/dev/null
sync_once
like "sync --status says auth failed" "$("$OMBRE" sync --status)" 'shop \(whatsapp\): auth failed'
is "the reply stays queued for a fixed token" "$("$OMBRE" outbox | grep -c queued)" 1
ok "no token in any message or status" bash -c "! grep -rqa '$TOKEN' '$DATA' sync.err"
ctl "$GRAPH" reset '{}' >/dev/null
sync_once
is "the token accepted again: the reply goes" "$("$OMBRE" outbox | grep -c queued)" 0
like "and the channel is connected" "$("$OMBRE" sync --status)" 'shop \(whatsapp\): connected'


# --- an approved template outside the window --------------------------------
# A customer who last wrote three days before the tests' clock (OMBRE_NOW).
post --quiet --generate-whatsapp 1 --phone-number-id "$PHONE" --customers 1 \
    --seed 5 --start 1794900000 --canonical old.jsonl >/dev/null
sync_once
old=$(conv "$(jq_py 'j["conversation"]["id"]' <old.jsonl)")
ok "an old customer's conversation" test -n "$old"
"$OMBRE" reply --template commande "$old" >out 2>&1
ok "a template goes outside the 24-hour window" test $? = 0 || diag "$(cat out)"
sync_once
tpl=$(sent | jq_py '[r["request"] for r in j if r["request"].get("type") == "template"][-1]')
is "sent as the approved name, its language and the variable's value" \
    "$(jq_py '" ".join([j["template"]["name"], j["template"]["language"]["code"], j["template"]["components"][0]["parameters"][0]["text"]])' <<<"$tpl")" \
    "order_update fr $(jq_py 'j["from"]["name"].split()[0]' <old.jsonl)"
"$OMBRE" reply "$old" --text "free text" >out 2>&1
is "free text there is refused by ombre reply (exit 1)" "$?" 1

# --- media on demand -------------------------------------------------------
media=$(jq_py 'j["entry"][0]["changes"][0]["value"]["messages"][0]["image"]["id"]' <"$SAMPLES/wa-image.json")
printf 'JPEG bytes of the photo' >photo.jpg
ctl "$GRAPH" media "{\"id\": \"$media\", \"mime_type\": \"image/jpeg\", \"content_base64\": \"$(base64 -w0 photo.jpg)\"}" >/dev/null
"$OMBRE" fetch "$kerry" >/dev/null
sync_once
path=$("$OMBRE" show --json "$kerry" | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    for a in json.loads(line).get("attachments", []):
        if a.get("url") == "wa-media:" + sys.argv[1]:
            print(a.get("local", ""))' "$media")
ok "the image is fetched: its URL, then its bytes with the token" cmp -s photo.jpg "$path"
is "through GET /{media-id} then the download" \
    "$(ctl "$GRAPH" log | jq_py '[r["endpoint"] for r in j if r["endpoint"] in ("media", "download") and "'"$media"'" in r["path"]]')" \
    '["media", "download"]'

# --- read receipts -------------------------------------------------------------
"$OMBRE" sync >syncd.out 2>syncd.err &
SYNC_PID=$!
for ((i = 0; i < 50; i++)); do
	"$OMBRE" sync --status | grep -q '^syncer: running' && break
	sleep 0.1
done
"$OMBRE" tag "$c1" -unread
# 30 s at most: on a loaded machine the syncer may still be opening the
# store (what was written once it runs waits for it, never lost).
end=$((SECONDS + 30))
while ((SECONDS < end)); do
	[ "$(sent wa_read | jq_py 'len(j)')" -ge 1 ] && break
	sleep 0.2
done
is "reading the customer marks their newest message read on WhatsApp" \
    "$(sent wa_read | jq_py '[r["request"]["status"] for r in j]')" '["read"]'
is "that message" "$(sent wa_read | jq_py '[r["request"]["message_id"] for r in j][0]')" \
    "$("$OMBRE" show --json "$c1" | "$PYTHON" -S -c '
import json, sys
print([m["id"] for m in map(json.loads, sys.stdin) if m.get("kind") == "customer"][-1])')"
kill "$SYNC_PID"; wait "$SYNC_PID" 2>/dev/null
# Read receipts off: nothing goes upstream.
echo 'set whatsapp.read-receipts off' >>"$CONFIG"
"$OMBRE" sync >syncd.out 2>syncd.err &
SYNC_PID=$!
for ((i = 0; i < 50; i++)); do
	"$OMBRE" sync --status | grep -q '^syncer: running' && break
	sleep 0.1
done
"$OMBRE" tag "$c1" +unread
"$OMBRE" tag "$c1" -unread
sleep 1
is "with whatsapp.read-receipts off, no read goes to WhatsApp" \
    "$(sent wa_read | jq_py 'len(j)')" 1
kill "$SYNC_PID"; wait "$SYNC_PID" 2>/dev/null

# --- what cannot be taken is kept -------------------------------------------------
printf '{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"message_template_status_update","value":{"event":"APPROVED"}}]}]}' >other.json
printf '{"object":"instagram","entry":[]}' >ig.json
q0=$(find "$DATA/sync/quarantine" -type f | wc -l)
post --quiet --expect 200 other.json
post --quiet --expect 400 ig.json
ok "another object is refused at once (400)" test $? = 0
is "and kept by the receiver" "$(find "$DATA/webhook/quarantine" -name '*.json' | wc -l)" 1
sync_once
is "an unhandled field is quarantined by the syncer, not lost" \
    "$(find "$DATA/sync/quarantine" -type f | wc -l)" $((q0 + 1))
is "the spool is empty" "$(spool)" 0

webhook_stop
test_done
