#!/usr/bin/env bash
#
# The Meta test servers themselves (tests/servers/graph.py and
# meta_post.py), before the WhatsApp and Messenger adapters lean on them:
# a WhatsApp and a Messenger send answered and recorded whole, Graph's
# error bodies for a bad token (190) and outside the windows (131047,
# 10/2018278), the thread owner and the Conversation Routing refusal;
# meta_post.py's signature taken by ombre webhook (the body spooled byte
# for byte) and its --bad-signature refused.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

SERVERS=$top_srcdir/tests/servers
CORPUS=$top_srcdir/tests/corpora/meta
server_start graph --token graph-T0KEN
GP=$SERVER_PORT

# api METHOD PATH [JSON [TOKEN]]: a Graph request, prints "STATUS BODY".
cat >api.py <<'PY'
import http.client, sys
port, method, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
body = sys.argv[4].encode() if len(sys.argv) > 4 and sys.argv[4] else None
token = sys.argv[5] if len(sys.argv) > 5 else "graph-T0KEN"
headers = {"Content-Type": "application/json"}
if token != "-":
    headers["Authorization"] = "Bearer " + token
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
c.request(method, path, body=body, headers=headers)
r = c.getresponse()
print(r.status, r.read().decode("utf-8", "replace"))
PY
api() { "$PYTHON" -S api.py "$GP" "$@"; }
status() { cut -d' ' -f1; }
body() { cut -d' ' -f2-; }

WA=/v23.0/106540352242922/messages
FB=/v23.0/987654321/messages
out=$(api POST $WA '{"messaging_product":"whatsapp","recipient_type":"individual","to":"16315551234","type":"text","text":{"preview_url":false,"body":"Bonjour 👋"},"context":{"message_id":"wamid.HBgLMTYzMTU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA="}}')
is "WhatsApp text: 200" "$(status <<<"$out")" 200
is "answered with contacts and a wamid" \
    "$(body <<<"$out" | jq_py 'j["messaging_product"], j["contacts"], j["messages"][0]["id"].startswith("wamid.")')" \
    "('whatsapp', [{'input': '16315551234', 'wa_id': '16315551234'}], True)"
out2=$(api POST $WA '{"messaging_product":"whatsapp","to":"16315551234","type":"text","text":{"body":"again"}}')
unlike "each send its own wamid" "$(body <<<"$out2" | jq_py 'j["messages"][0]["id"]')" \
    "^$(body <<<"$out" | jq_py 'j["messages"][0]["id"]' | sed 's/[.+]/\\&/g')\$"
is "recorded whole: the request's text, context and the answer's id" \
    "$(ctl "$GP" 'sent?endpoint=wa_messages' | jq_py '(j[0]["request"]["text"]["body"], j[0]["request"]["context"]["message_id"][:10], j[0]["id"] == j[0]["response"]["messages"][0]["id"], j[0]["account"])')" \
    "('Bonjour 👋', 'wamid.HBgL', True, '106540352242922')"
out=$(api POST $WA '{"messaging_product":"whatsapp","status":"read","message_id":"wamid.X"}')
is "mark as read: success" "$out" '200 {"success":true}'
out=$(api POST $WA "{\"messaging_product\":\"whatsapp\",\"to\":\"16315551234\",\"type\":\"text\",\"text\":{\"body\":\"$(printf 'x%.0s' {1..4097})\"}}")
is "a text over 4096 characters: code 100" "$(body <<<"$out" | jq_py 'j["error"]["code"]')" 100

ctl "$GP" media '{"id":"1003383421387256","mime_type":"image/jpeg","content_base64":"/9j/4AAQSkZJRg=="}' >/dev/null
out=$(api GET /v23.0/1003383421387256)
is "a media id: its url, mime_type, sha256, file_size" \
    "$(body <<<"$out" | jq_py '(j["url"].startswith("http://127.0.0.1:%d/_media/" % '"$GP"'), j["mime_type"], j["sha256"][:8], j["file_size"], j["messaging_product"])')" \
    "(True, 'image/jpeg', '45ae7052', 10, 'whatsapp')"
MEDIA=/$(body <<<"$out" | jq_py 'j["url"]' | cut -d/ -f4-)
is "downloaded with the token" "$(api GET "$MEDIA" | status)" 200
is "not without it: 401" "$(api GET "$MEDIA" '' - | status)" 401

out=$(api POST $FB '{"recipient":{"id":"4125730857493412"},"messaging_type":"RESPONSE","message":{"text":"Hello","metadata":"ombre:out.1@ombre"}}')
is "Messenger text: 200" "$(status <<<"$out")" 200
like "answered with recipient_id and an m_ message_id" "$(body <<<"$out")" \
    '^\{"recipient_id":"4125730857493412","message_id":"m_[A-Za-z0-9_-]+"\}$'
is "recorded: messaging_type and metadata" \
    "$(ctl "$GP" 'sent?endpoint=fb_messages' | jq_py '(j[0]["request"]["messaging_type"], j[0]["request"]["message"]["metadata"])')" \
    "('RESPONSE', 'ombre:out.1@ombre')"

out=$(api POST $WA '{"messaging_product":"whatsapp","to":"1","text":{"body":"x"}}' wrong-token)
is "a wrong token: 401" "$(status <<<"$out")" 401
is "code 190 OAuthException, fbtrace_id" \
    "$(body <<<"$out" | jq_py '(j["error"]["code"], j["error"]["type"], bool(j["error"]["fbtrace_id"]))')" \
    "(190, 'OAuthException', True)"
is "no token: 401 too" "$(api POST $FB '{}' '' - | status)" 401

ctl "$GP" inbound '[{"customer":"16315551234","ago":90000},{"customer":"4125730857493412","ago":90000}]' >/dev/null
out=$(api POST $WA '{"messaging_product":"whatsapp","to":"16315551234","type":"text","text":{"body":"late"}}')
is "WhatsApp 25 h after the customer: 400" "$(status <<<"$out")" 400
is "131047 with error_data's details" \
    "$(body <<<"$out" | jq_py '(j["error"]["code"], j["error"]["error_data"]["messaging_product"], j["error"]["error_data"]["details"])')" \
    "(131047, 'whatsapp', 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.')"
is "a template goes through" \
    "$(api POST $WA '{"messaging_product":"whatsapp","to":"16315551234","type":"template","template":{"name":"order_update","language":{"code":"en_US"}}}' | status)" 200
out=$(api POST $FB '{"recipient":{"id":"4125730857493412"},"messaging_type":"RESPONSE","message":{"text":"late"}}')
is "Messenger 25 h after: code 10 subcode 2018278" \
    "$(body <<<"$out" | jq_py '(j["error"]["code"], j["error"]["error_subcode"])')" "(10, 2018278)"
is "with HUMAN_AGENT: 200" \
    "$(api POST $FB '{"recipient":{"id":"4125730857493412"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"late"}}' | status)" 200
ctl "$GP" inbound '{"customer":"4125730857493412","ago":700000}' >/dev/null
is "HUMAN_AGENT past 7 days: 2018278" \
    "$(api POST $FB '{"recipient":{"id":"4125730857493412"},"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"late"}}' | body | jq_py 'j["error"]["error_subcode"]')" \
    2018278

ctl "$GP" inbound '{"customer":"4125730857493412"}' >/dev/null
ctl "$GP" config '{"handover_disabled":true}' >/dev/null
out=$(api POST /v23.0/987654321/pass_thread_control '{"recipient":{"id":"4125730857493412"},"target_app_id":"263902037430900"}')
is "pass_thread_control with Handover disabled: the refusal" \
    "$(body <<<"$out" | jq_py 'j["error"]["message"]')" "(#10) Handover Protocol APIs disabled for this page"
is "the Send API's thread_control passes it" \
    "$(api POST $FB '{"recipient":{"id":"4125730857493412"},"messaging_type":"RESPONSE","message":{"text":"An agent takes over"},"thread_control":{"app_id":"263902037430900","control_type":"pass"}}' | status)" 200
is "the Page Inbox owns the thread" \
    "$(ctl "$GP" threads | jq_py 'j["4125730857493412"]["owner"]')" 263902037430900
is "a send now: 10 / 2018300 (another app controls the thread)" \
    "$(api POST $FB '{"recipient":{"id":"4125730857493412"},"messaging_type":"RESPONSE","message":{"text":"x"}}' | body | jq_py '(j["error"]["code"], j["error"]["error_subcode"])')" \
    "(10, 2018300)"
ctl "$GP" faults '{"kind":"rate_limit","match":"wa_messages","status":429,"retry_after":7}' >/dev/null
out=$(api POST $WA '{"messaging_product":"whatsapp","to":"1","text":{"body":"x"}}')
is "a rate_limit fault: 429 with 130429" \
    "$(status <<<"$out") $(body <<<"$out" | jq_py 'j["error"]["code"]')" "429 130429"

# meta_post.py against ombre webhook.
DATA=$XDG_DATA_HOME/ombre
SPOOL=$DATA/webhook/spool
mkdir -p "$XDG_CONFIG_HOME/ombre"
cat >"$XDG_CONFIG_HOME/ombre/config" <<'CONF'
channel shop whatsapp phone-number-id=106540352242922 token=x-T0KEN-x app-secret=s3cr3t api-url=http://127.0.0.1:9
CONF
chmod 600 "$XDG_CONFIG_HOME/ombre/config"
printf 's3cr3t\n' >secret
chmod 600 secret
for try in 1 2 3 4 5; do
	PORT=$("$PYTHON" -S -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	"$OMBRE" webhook --listen "127.0.0.1:$PORT" 2>webhook.log &
	PID=$!
	for ((i = 0; i < 50; i++)); do
		grep -q 'listening on' webhook.log && break
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	grep -q 'listening on' webhook.log && break
	wait "$PID" 2>/dev/null
done
ok "ombre webhook listens" grep -q "listening on 127.0.0.1:$PORT" webhook.log
post() { "$PYTHON" -S "$SERVERS/meta_post.py" --url "http://127.0.0.1:$PORT/webhook/shop" "$@"; }

out=$(post --app-secret-file secret "$CORPUS/wa-text.json")
like "meta_post.py's signature taken: STATUS MS" "$out" '^200 [0-9]+\.[0-9]'
f=$(find "$SPOOL" -type f | head -1)
ok "spooled byte for byte" cmp "$f" "$CORPUS/wa-text.json"
out=$(post --app-secret-file secret --bad-signature "$CORPUS/wa-text.json")
like "--bad-signature: 401" "$out" '^401 '
post --app-secret-file secret --bad-signature --quiet "$CORPUS/wa-text.json"
is "exit 1 when an answer is not 2xx" "$?" 1
is "nothing spooled for it" "$(find "$SPOOL" -type f | wc -l)" 1
out=$(OMBRE_TEST_SECRET=s3cr3t post --app-secret-env OMBRE_TEST_SECRET --summary \
    --generate-whatsapp 6 --phone-number-id 106540352242922 --repeat 2 --shuffle 3 --concurrency 3)
like "generated, redelivered, shuffled, 3 clients: the summary" "$out" \
    $'requests 12\nstatus 200 12\n'
is "12 more in the spool" "$(find "$SPOOL" -type f | wc -l)" 13
kill -TERM "$PID"
wait "$PID"

test_done
