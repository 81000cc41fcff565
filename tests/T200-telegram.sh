#!/usr/bin/env bash
#
# The Telegram adapter against a local Bot API server (tests/servers/
# telegram.py) through real libcurl: a backlog stored once, the offset
# confirming only what is stored, updates of every kind, and the server
# misbehaving: 429 with retry_after, a 500 storm, malformed and huge
# answers, 409, a refused token, a black hole. The token never shows.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=7012345678:AAH-s3cr3t-T0KEN-never-shown
SECRET=s3cr3t-T0KEN
server_start telegram --token "$TOKEN"
TG=$SERVER_PORT

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
# config [EXTRA...]: the channel on the server, fast retries for tests.
config() {
	{
		printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' \
		    "$TOKEN" "${API_PORT:-$TG}"
		printf 'set sync.retry-base 100\nset sync.retry-cap 400\n'
		printf 'set net.connect-timeout 1000\nset sync.poll-timeout 1\n'
		printf '%s\n' "$@"
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
config

# --- a backlog of 1,000 updates in 50 chats --------------------------
ctl "$TG" generate '{"count": 1000, "chats": 50, "seed": 7}' >gen.json
last=$(jq_py 'j["last_update_id"]' <gen.json)
"$OMBRE" sync --once 2>err
ok "sync --once on 1,000 pending updates exits 0" test $? = 0 || diag "$(cat err)"
is "every update is stored once" "$(nm count '*')" 1000
is "in 50 conversations" "$(nm count --output=threads '*')" 50
is "ombre list shows the 50" "$("$OMBRE" list --limit 1000 '*' | wc -l)" 50
is "the server saw the offset confirm every update" \
    "$(ctl "$TG" state | jq_py 'j["confirmed_offset"]')" $((last + 1))
is "the offset saved is the one after the last update" \
    "$(cat "$DATA/sync/support.offset")" $((last + 1))
chat=$("$OMBRE" list --json --limit 1 '*' | jq_py 'j["conversation"]')
like "a conversation is a chat of the bot" "$chat" '^[0-9]+$'
"$OMBRE" sync --once 2>err
is "a second run finds nothing new and stores nothing twice" "$(nm count '*')" 1000
files=$(find "$DATA/mail" -type f -path '*/new/*' -o -type f -path '*/cur/*' | wc -l)
is "one file per message" "$files" 1000
like "sync --status says connected" "$("$OMBRE" sync --status)" \
    $'syncer: not running\nsupport \\(telegram\\): connected'

# --- every kind of update -------------------------------------------
now=$(date +%s)
ctl "$TG" updates '[
 {"message": {"message_id": 1, "date": '"$now"', "chat": {"id": 424242, "type": "private", "first_name": "Zoé", "last_name": "Martin"},
   "from": {"id": 424242, "is_bot": false, "first_name": "Zoé", "last_name": "Martin"}, "text": "/start"}},
 {"message": {"message_id": 2, "date": '"$now"', "chat": {"id": 424242, "type": "private", "first_name": "Zoé"},
   "from": {"id": 424242, "is_bot": false, "first_name": "Zoé", "last_name": "Martin"},
   "photo": [{"file_id": "AgSmall", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 1200},
             {"file_id": "AgLarge", "file_unique_id": "l", "width": 1280, "height": 960, "file_size": 98000}],
   "caption": "la facture déchirée"}},
 {"message": {"message_id": 3, "date": '"$now"', "chat": {"id": 424242, "type": "private"},
   "from": {"id": 424242, "is_bot": false, "first_name": "Zoé"},
   "document": {"file_id": "BQDoc", "file_unique_id": "d", "file_name": "contrat.pdf", "mime_type": "application/pdf", "file_size": 5555}}},
 {"message": {"message_id": 4, "date": '"$now"', "chat": {"id": 424242, "type": "private"},
   "from": {"id": 424242, "is_bot": false, "first_name": "Zoé"}, "text": "ma commande 1234",
   "entities": [{"offset": 3, "length": 8, "type": "bold"}],
   "reply_to_message": {"message_id": 1, "date": '"$now"', "chat": {"id": 424242, "type": "private"}}}},
 {"edited_message": {"message_id": 4, "date": '"$now"', "edit_date": '$((now + 60))', "chat": {"id": 424242, "type": "private"},
   "from": {"id": 424242, "is_bot": false, "first_name": "Zoé"}, "text": "ma commande 4321"}},
 {"callback_query": {"id": "cb1", "from": {"id": 424242, "is_bot": false, "first_name": "Zoé"}, "data": "x"}}
]' >/dev/null
"$OMBRE" sync --once 2>err
ok "updates of every kind are taken" test $? = 0 || diag "$(cat err)"
zoe=$("$OMBRE" list --json --limit 2000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == "424242":
        print(c["id"])')
json=$("$OMBRE" show --json "$zoe")
is "five messages in Zoé's conversation (the callback query is no message)" \
    "$(grep -c . <<<"$json")" 5
like "/start is kept" "$json" '"text":"/start"'
like "the photo's largest size is kept, as tg-file:, never a download URL" "$json" '"url":"tg-file:AgLarge"'
ok "no Bot API URL is stored" bash -c "! grep -rqaE '/bot[0-9]+:|/file/bot' '$DATA/mail'"
like "the caption is the body" "$json" '"text":"la facture déchirée"'
like "the document keeps its name and type" "$json" '"name":"contrat.pdf","mime":"application/pdf"'
like "an edit is a message of its own, pointing at the original" "$json" '"edit_of":"4"'
like "and both texts are there" "$json" '"text":"ma commande 1234"'
like "the edited text too" "$json" '"text":"ma commande 4321"'
like "a reply keeps what it answers" "$json" '"reply_to":"1"'
like "entities are kept as data, the text untouched" "$json" \
    '"text":"ma commande 1234","reply_to":"1","entities":\[\{"offset":3,"length":8,"type":"bold"\}\]'
is "and as a property notmuch finds" \
    "$(nm count 'property:ombre.entities=[{"offset":3,"length":8,"type":"bold"}]')" 1

# --- attachments fetched on demand, never by their URL -----------------
printf '%%PDF-1.4 contrat signé\n' >contrat.pdf
ctl "$TG" files '{"file_id": "BQDoc", "file_unique_id": "d", "file_path": "documents/file_7.pdf",
  "content_base64": "'"$(base64 -w0 contrat.pdf)"'"}' >/dev/null
out=$("$OMBRE" fetch "$zoe")
like "ombre fetch asks the syncer for the attachments" "$out" '^2 attachments asked for'
ctl "$TG" reset '{}' >/dev/null
"$OMBRE" sync --once 2>err
json=$("$OMBRE" show --json "$zoe")
local_path=$("$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    for a in json.loads(line).get("attachments", []):
        if a.get("url") == "tg-file:BQDoc":
            print(a.get("local", ""))' <<<"$json")
like "the document is fetched into the data dir" "$local_path" "^$DATA/attachments/[0-9a-f]{16}-0\\.pdf\$"
ok "with its bytes" cmp -s contrat.pdf "$local_path"
like "show says where it is" "$("$OMBRE" show "$zoe")" 'contrat.pdf application/pdf 5555 bytes saved: '
like "a file the server does not know is said and skipped" "$(cat err)" 'fetching an attachment failed: getFile: Bad Request: invalid file_id'
is "through getFile, then the file URL (the two files fetched at once)" \
    "$(ctl "$TG" log | jq_py '[r["endpoint"] for r in j if r["endpoint"] in ("getFile", "download") and (r["endpoint"] == "download" or r["query"].get("file_id") == "BQDoc")]')" \
    '["getFile", "download"]'
ok "no URL with the token was stored" bash -c "! grep -rqaE 'file/bot|$SECRET' '$DATA/mail' '$DATA/attachments' '$DATA/sync'"
ok "no request is left" test -z "$(ls "$DATA/sync/fetch")"

# --- a group becomes a supergroup: one conversation goes on ------------
ctl "$TG" updates '[
 {"message": {"message_id": 10, "date": '"$now"', "chat": {"id": -555, "type": "group", "title": "Boutique Lyon"},
   "from": {"id": 77, "is_bot": false, "first_name": "Karim"}, "text": "avant"}},
 {"message": {"message_id": 11, "date": '"$now"', "chat": {"id": -555, "type": "group", "title": "Boutique Lyon"},
   "from": {"id": 77, "is_bot": false, "first_name": "Karim"}, "migrate_to_chat_id": -100555}},
 {"message": {"message_id": 1, "date": '"$now"', "chat": {"id": -100555, "type": "supergroup", "title": "Boutique Lyon"},
   "from": {"id": 77, "is_bot": false, "first_name": "Karim"}, "migrate_from_chat_id": -555}},
 {"message": {"message_id": 10, "date": '"$((now + 5))"', "chat": {"id": -100555, "type": "supergroup", "title": "Boutique Lyon"},
   "from": {"id": 77, "is_bot": false, "first_name": "Karim"}, "text": "après"}}
]' >/dev/null
"$OMBRE" sync --once 2>err
group=$("$OMBRE" list --json --limit 2000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] in ("-555", "-100555"):
        print(c["id"], c["conversation"])')
is "after a migration to a supergroup the group stays one conversation" "$(wc -l <<<"$group")" 1
json=$("$OMBRE" show --json "${group%% *}")
like "with the messages from before" "$json" '"text":"avant"'
like "and from after, even with the same message id" "$json" '"text":"après"'
"$OMBRE" reply "${group%% *}" --text "Bien reçu" >/dev/null
"$OMBRE" sync --once 2>err
is "a reply goes to the supergroup" \
    "$(ctl "$TG" sent | jq_py '[m["chat_id"] for m in j if m["text"] == "Bien reçu"]')" '[-100555]'

# --- replies: stored first, sent once --------------------------------
ctl "$TG" reset '{}' >/dev/null
out=$("$OMBRE" reply "$zoe" --text "Bonjour Zoé, je regarde votre commande.")
like "ombre reply stores the reply in the outbox" "$out" '^out\.[0-9a-f-]{36} queued$'
rid=${out%% *}
"$OMBRE" sync --once 2>err
ok "sync --once delivers it" test $? = 0 || diag "$(cat err)"
sent=$(ctl "$TG" sent)
is "Telegram got it once, in Zoé's chat" \
    "$(jq_py '[(m["chat_id"], m["text"]) for m in j if m["text"].startswith("Bonjour Zoé")]' <<<"$sent")" \
    '[[424242, "Bonjour Zo\u00e9, je regarde votre commande."]]'
json=$("$OMBRE" show --json "$zoe" | grep "\"id\":\"$rid\"")
like "the reply is sent, with Telegram's message id" "$json" '"outbox":"sent","remote_id":"[0-9]+"'
like "and tagged ombre/sent" "$json" '"ombre/sent"'
out=$("$OMBRE" reply "$zoe" --text "Vous êtes toujours là ?")
rid=${out%% *}
ctl "$TG" faults '[{"match": "sendMessage", "kind": "reset"}]' >/dev/null
"$OMBRE" sync --once 2>err
like "a send cut off after the request left is 'delivery unknown'" \
    "$("$OMBRE" show --json "$zoe" | grep "\"id\":\"$rid\"")" '"outbox":"unknown"'
like "said on stderr" "$(cat err)" 'delivery unknown .*not sent again'
"$OMBRE" sync --once 2>err
is "and never sent again (Telegram has no idempotency key)" \
    "$(ctl "$TG" sent | jq_py 'len([m for m in j if m["text"] == "Vous êtes toujours là ?"])')" 1
out=$("$OMBRE" reply "$zoe" --text "Un instant")
rid=${out%% *}
ctl "$TG" faults '[{"match": "sendMessage", "kind": "blocked"}]' >/dev/null
"$OMBRE" sync --once 2>err
like "a reply to a user who blocked the bot fails, with the reason" \
    "$("$OMBRE" show --json "$zoe" | grep "\"id\":\"$rid\"")" '"ombre/failed".*"outbox":"failed"'
like "said on stderr" "$(cat err)" 'refused: 403 Forbidden: bot was blocked by the user'
like "and the conversation is marked ombre/blocked" \
    "$("$OMBRE" list --json --limit 2000 '*' | grep '"conversation":"424242"')" '"ombre/blocked"'
out=$("$OMBRE" reply "$zoe" --text "Après la pause")
rid=${out%% *}
ctl "$TG" faults '[{"match": "sendMessage", "kind": "rate_limit", "retry_after": 1}]' >/dev/null
"$OMBRE" sync --once 2>err
like "a 429 on a send is waited out, then the reply goes" \
    "$("$OMBRE" show --json "$zoe" | grep "\"id\":\"$rid\"")" '"outbox":"sent"'
is "once" "$(ctl "$TG" sent | jq_py 'len([m for m in j if m["text"] == "Après la pause"])')" 1
outbox=$("$OMBRE" outbox)
like "ombre outbox lists the reply whose delivery is unknown" "$outbox" \
    '(^|'$'\n'')unknown +[0-9T:Z-]+ out\.[0-9a-f-]+ [0-9a-f]+ telegram 424242  Vous êtes toujours là \?'
like "and the refused one, with its reason" "$outbox" \
    'failed +[0-9T:Z-]+ out\.[0-9a-f-]+ [0-9a-f]+ telegram 424242  Un instant  \(403 Forbidden: bot was blocked by the user\)'
unlike "but not the ones sent" "$outbox" 'Après la pause|Bonjour Zoé'

out=$("$OMBRE" reply "$zoe" --text "Migration")
ctl "$TG" faults '[{"match": "sendMessage", "kind": "migrate", "migrate_to_chat_id": -1009999}]' >/dev/null
"$OMBRE" sync --once 2>err
is "a send told the group migrated goes again, to the new id, once" \
    "$(ctl "$TG" sent | jq_py '[m["chat_id"] for m in j if m["text"] == "Migration"]')" '[-1009999]'

# --- 429 with retry_after is honoured --------------------------------
ctl "$TG" reset "{}" >/dev/null
before=$(nm count '*')
ctl "$TG" generate '{"count": 5, "chats": 1, "seed": 9}' >gen.json
want=$(jq_py 'j["last_update_id"] - j["first_update_id"] + 1' <gen.json)
ctl "$TG" faults '[{"match": "getUpdates", "kind": "rate_limit", "retry_after": 2}]' >/dev/null
"$OMBRE" sync --once 2>err
ok "after a 429 the run goes on and ends well" test $? = 0 || diag "$(cat err)"
gap=$(ctl "$TG" log | jq_py '[round(b["t"] - a["t"], 2) for a, b in zip(j, j[1:]) if a["fault"] == "rate_limit"][0]')
ok "no request before retry_after (2 s) passed: ${gap}s" "$PYTHON" -S -c "import sys; sys.exit(0 if $gap >= 2.0 else 1)"
is "the new messages are stored" "$(nm count '*')" $((before + want))

# --- a 500 storm stays within the backoff bound ----------------------
ctl "$TG" reset "{}" >/dev/null
ctl "$TG" generate '{"count": 3, "chats": 1, "seed": 11}' >/dev/null
# Eight 500s: without the cap the last waits could reach 12.8 s.
ctl "$TG" faults '[{"match": "getUpdates", "kind": "status", "status": 500, "count": 8}]' >/dev/null
config "set sync.attempts 10"
"$OMBRE" sync --once 2>err
ok "after eight 500s the run ends well" test $? = 0 || diag "$(cat err)"
gaps=$(ctl "$TG" log | jq_py '[round(b["t"] - a["t"], 3) for a, b in zip(j, j[1:]) if a["fault"] == "status"]')
ok "each retry waited at most the cap (0.4 s), plus the request itself: $gaps" \
    "$PYTHON" -S -c "import sys; g = $gaps; sys.exit(0 if len(g) == 8 and max(g) <= 0.4 + 0.6 else 1)"
n=$(ctl "$TG" log | jq_py 'len(j)')
ok "and no more requests than the storm needed ($n)" test "$n" -le 11
ctl "$TG" reset "{}" >/dev/null
ctl "$TG" faults '[{"match": "getUpdates", "kind": "status", "status": 502, "count": 50}]' >/dev/null
config "set sync.attempts 3"
"$OMBRE" sync --once 2>err
is "a storm longer than sync.attempts: exit status 1" "$?" 1
like "with one line naming the channel and the error" "$(cat err)" 'support: failed: 502'
is "after exactly 3 tries" "$(ctl "$TG" log | jq_py 'len(j)')" 3
like "sync --status shows the failure" "$("$OMBRE" sync --status)" 'support \(telegram\): failed: 502'

# --- malformed and huge answers ---------------------------------------
ctl "$TG" reset "{}" >/dev/null
ctl "$TG" generate '{"count": 2, "chats": 1, "seed": 12}' >gen.json
want=$(jq_py 'j["last_update_id"] - j["first_update_id"] + 1' <gen.json)
ctl "$TG" faults '[{"match": "getUpdates", "kind": "malformed"},
                   {"match": "getUpdates", "kind": "huge", "bytes": 3000000, "content_length": false}]' >/dev/null
before=$(nm count '*')
config "set sync.attempts 5" "set net.max-response 1048576"
"$OMBRE" sync --once 2>err
ok "a malformed and a huge answer (no Content-Length) are survived" test $? = 0 || diag "$(cat err)"
is "and what came next is stored" "$(nm count '*')" $((before + want))

# --- a hostile error text never reaches the terminal -----------------
ctl "$TG" reset '{}' >/dev/null
ctl "$TG" faults '[{"match": "getUpdates", "kind": "status", "status": 500, "count": 5,
  "description": "\u001b]0;pwned\u0007\u001b[2J boom"}]' >/dev/null
config "set sync.attempts 1"
"$OMBRE" sync --once 2>err
like "a server's error text is reported" "$(cat err)" 'support: failed: 500 .*boom'
ok "without its escape sequences (stderr)" bash -c "! grep -qa $'\e' err"
ok "nor in the status file" bash -c "! grep -qa $'\e' '$DATA/sync/status'"

# --- redirects: followed only to the same scheme, host and port -------
ctl "$TG" reset '{}' >/dev/null
ctl "$TG" generate '{"count": 1, "chats": 1, "seed": 21}' >/dev/null
before=$(nm count '*')
ctl "$TG" faults '[{"match": "getUpdates", "kind": "redirect", "status": 307, "location": "{path}"}]' >/dev/null
config "set sync.attempts 1"
"$OMBRE" sync --once 2>err
ok "a redirect to the same server is followed" test $? = 0 || diag "$(cat err)"
is "and its answer taken" "$(nm count '*')" $((before + 1))
ctl "$TG" reset '{}' >/dev/null
ctl "$TG" faults '[{"match": "getUpdates", "kind": "redirect", "location": "http://127.0.0.2:'"$TG"'{path}"}]' >/dev/null
"$OMBRE" sync --once 2>err
is "a redirect to another host: exit status 1" "$?" 1
like "is not followed, and said so" "$(cat err)" 'redirected \(HTTP 302\) to another host or scheme: not followed'
is "the other host was never asked (one request in all)" "$(ctl "$TG" log | jq_py 'len(j)')" 1

# --- a stalled answer: dropped by the low-speed limit, then retried ----
ctl "$TG" reset '{}' >/dev/null
ctl "$TG" generate '{"count": 1, "chats": 1, "seed": 22}' >/dev/null
before=$(nm count '*')
# The stall lasts 300 s: given up on after the 1 s low-speed limit, the
# run ends well before, however slow the machine (ASan, load).
ctl "$TG" faults '[{"match": "getUpdates", "kind": "stall", "delay": 300}]' >/dev/null
config "set sync.attempts 3" "set net.low-speed-time 1000"
start=$(date +%s)
"$OMBRE" sync --once 2>err
ok "a body that stalls is given up on and the poll retried" test $? = 0 || diag "$(cat err)"
ok "long before the 300 s of the stall end ($(($(date +%s) - start)) s)" test $(($(date +%s) - start)) -lt 120
is "the update is stored" "$(nm count '*')" $((before + 1))

# --- --channel ------------------------------------------------------------
"$OMBRE" sync --once --channel nosuch 2>err
is "sync --channel with an unknown name: exit status 1" "$?" 1
like "saying so" "$(cat err)" 'no channel called nosuch'
"$OMBRE" sync --once --channel support 2>err
ok "sync --channel support syncs that channel" test $? = 0 || diag "$(cat err)"

# --- 409: another poller ----------------------------------------------
ctl "$TG" reset "{}" >/dev/null
ctl "$TG" faults '[{"match": "getUpdates", "kind": "conflict"}]' >/dev/null
"$OMBRE" sync --once 2>err
is "409 under --once: exit status 1" "$?" 1
like "saying another client polls the bot" "$(cat err)" 'another client polls this bot'

# --- a refused token --------------------------------------------------
ctl "$TG" reset "{}" >/dev/null
ctl "$TG" faults '[{"match": "getUpdates", "kind": "unauthorized"}]' >/dev/null
config
"$OMBRE" -v sync --once 2>err
is "a refused token: exit status 1" "$?" 1
like "auth failed, said once" "$(cat err)" 'support: auth failed: 401 Unauthorized'
is "after one request (no retry of a refused token)" "$(ctl "$TG" log | jq_py 'len(j)')" 1

# --- the token never shows --------------------------------------------
unlike "not in stderr (even with -v)" "$(cat err)" "$SECRET"
ok "not in any file of the data dir" bash -c "! grep -rqa -- '$SECRET' '$DATA'"
like "sync.lock holds no secret either" "$(cat "$DATA/sync.lock")" '^[0-9]+$'
# token-command: the command runs in a shell; no argv holds the token.
printf '%s\n' "$TOKEN" >token.txt
{
	printf 'channel support telegram token-command="sleep 0.3; cat %s/token.txt" api-url=http://127.0.0.1:%s\n' "$TEST_DIR" "$TG"
	printf 'set sync.poll-timeout 1\n'
} >"$CONFIG"
chmod 600 "$CONFIG"
"$OMBRE" sync >sync.out 2>&1 &
syncer=$!
# Watch the argv of the syncer and of every process under it (the shell
# running token-command, cat) while it starts.
SECRET=$SECRET "$PYTHON" -S - "$syncer" >argv.seen <<'PY'
import os, sys, time
root, secret, seen = int(sys.argv[1]), os.environ["SECRET"].encode(), 0
def parent(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return int(f.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0
deadline = time.monotonic() + 1.5
while time.monotonic() < deadline:
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid, p = int(name), int(name)
        while p > 1 and p != root:
            p = parent(p)
        if p != root:
            continue
        try:
            with open("/proc/%d/cmdline" % pid, "rb") as f:
                if secret in f.read():
                    seen += 1
        except OSError:
            pass
    time.sleep(0.01)
print(seen)
PY
seen=$(cat argv.seen)
is "a token from token-command reaches the server" \
    "$(ctl "$TG" log | jq_py 'j[-1]["endpoint"]')" getUpdates
kill -TERM "$syncer"
wait "$syncer"
is "the syncer stops on SIGTERM with status 0" "$?" 0
is "no process had the token in its argv meanwhile" "$seen" 0
unlike "nor in the syncer's output" "$(cat sync.out)" "$SECRET"

# --- one syncer at a time ----------------------------------------------
"$OMBRE" sync 2>first.err &
first=$!
for ((i = 0; i < 100; i++)); do "$OMBRE" sync --status | grep -q "^syncer: running" && break; sleep 0.05; done
like "sync --status names the running syncer" "$("$OMBRE" sync --status)" "syncer: running \\(pid $first\\)"
"$OMBRE" sync --once 2>second.err
is "a second syncer exits 75" "$?" 75
like "saying which process holds the lock" "$(cat second.err)" "another syncer runs \\(pid $first\\)"
kill -TERM "$first"
wait "$first"

# --- a readable config with a token is refused ---------------------------
chmod 644 "$CONFIG"
"$OMBRE" sync --once 2>err
ok "a 0644 config with a token-command is refused" test $? -ne 0
like "with the chmod to run" "$(cat err)" 'chmod 600'
config
chmod 644 "$CONFIG"
"$OMBRE" sync --once 2>err
ok "a 0644 config with a token is refused" test $? -ne 0
unlike "without printing the token" "$(cat err)" "$SECRET"
chmod 600 "$CONFIG"

# --- a black hole: the connect timeout, not a hang -----------------------
server_start blackhole
API_PORT=$SERVER_PORT config "set sync.attempts 1" "set net.connect-timeout 800"
start=$(date +%s%N)
"$OMBRE" sync --once 2>err
rc=$?
elapsed=$((($(date +%s%N) - start) / 1000000))
is "a server that never accepts: exit status 1" "$rc" 1
like "the error is a connect timeout" "$(cat err)" '[Cc]onnect|[Tt]imed out|[Tt]imeout'
diag "gave up after $elapsed ms (connect timeout 800 ms)"

test_done
