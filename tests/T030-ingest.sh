#!/usr/bin/env bash
# T030-ingest.sh: `ombre ingest` stores canonical JSON lines, skips
# duplicates, rejects bad lines with a clear error and keeps the good ones.
. "$top_srcdir/tests/lib.sh"
test_init

corpus=$top_srcdir/tests/corpora/small.jsonl

"$OMBRE" ingest <"$corpus" 2>err
ok "a clean corpus is stored (exit 0)" test $? -eq 0
is "nothing said on stderr" "$(cat err)" ""
is "six messages in notmuch" \
    "$(nm count --output=messages 'not property:ombre.kind=event')" 6
# "Je veux parler à un humain" after a bot's answer: the handoff rules'
# event records it.
is "and the handoff the rules saw" \
    "$(nm count --output=messages property:ombre.kind=event)" 1
is "three conversations" "$(nm count --output=threads '*')" 3

"$OMBRE" ingest <"$corpus" 2>err
ok "ingesting it again is not an error" test $? -eq 0
is "and stores nothing twice" "$(nm count --output=messages '*')" 7
is "no second file" "$(nm search --output=files '*' | wc -l)" 7
"$OMBRE" ingest -v <"$corpus" 2>err
like "-v reports duplicates" "$(cat err)" "line 1: duplicate of message 101"
like "-v counts" "$(cat err)" "0 stored, 6 duplicates, 0 rejected"

# Bad lines: each named with its line and field; the good ones are kept.
{
	json_line sms acct c1 m1 2026-11-20T09:00:00Z +33600000001 customer "first good"
	echo '{"channel":"sms","account":"acct"'
	echo '{"channel":"sms","account":"acct","conversation":{"id":"c1"},"id":"m2","date":"2026-11-20T09:00:00Z","from":{"id":"x","kind":"alien"}}'
	echo '{"channel":"sms","account":"acct","conversation":{"id":"c1"},"id":"m3","date":"2026-11-20T09:00:00Z","from":{"id":"x","kind":"customer"},"text":42}'
	printf '{"channel":"sms","account":"acct","conversation":{"id":"c1"},"id":"m4","date":"2026-11-20T09:00:00Z","from":{"id":"x","kind":"customer"},"text":"bad \xff byte"}\n'
	echo ''
	json_line sms acct c1 m5 2026-11-20T09:01:00Z +33600000001 customer "second good"
	echo '{"channel":"sms","account":"acct","conversation":{"id":"c1"},"id":"m6","from":{"id":"x","kind":"customer"}}'
} >bad.jsonl
"$OMBRE" ingest <bad.jsonl 2>err
ok "a file with bad lines exits non-zero" test $? -ne 0
like "truncated JSON names its line" "$(cat err)" "line 2: invalid JSON"
like "an unknown kind names the field" "$(cat err)" "line 3: field 'from.kind'"
like "a wrong type names the field" "$(cat err)" "line 4: field 'text' must be a string"
like "invalid UTF-8 names the byte offset" "$(cat err)" "line 5: invalid UTF-8 at byte offset 149"
like "a missing date names the field" "$(cat err)" "line 8: field 'date' is missing"
is "the good lines are stored" "$(nm count --output=messages Channel:sms)" 2

# NUL in text: stored as U+FFFD, nothing after it lost.
json_line sms acct c2 n1 2026-11-20T09:02:00Z +33600000002 customer "$(printf 'before')\\u0000after" >nul.jsonl
sed -i 's/\\\\u0000/\\u0000/' nul.jsonl
"$OMBRE" ingest <nul.jsonl 2>err
ok "a NUL in the text is accepted" test $? -eq 0
conv=$("$OMBRE" list --json 'Channel:sms and id:sms.acct.c2.n1@ombre' | sed 's/.*"thread":"\([0-9a-f]*\)".*/\1/')
like "it reads back as U+FFFD and the rest is kept" "$("$OMBRE" show --json "$conv")" '"text":"before�after"'

# A 10 MB message.
python3 - >big.jsonl <<'PY'
import json
text = ("Lorem ipsum dolor sit amet, é 😀 " * 400000)[:10 * 1024 * 1024]
print(json.dumps({"channel": "email", "account": "support@example.com",
    "conversation": {"id": "big", "title": "Big"}, "id": "big-1",
    "date": "2026-11-20T09:00:00Z", "from": {"id": "big@example.com",
    "kind": "customer"}, "text": text}, ensure_ascii=False))
PY
"$OMBRE" ingest <big.jsonl 2>err
ok "a 10 MB message is stored" test $? -eq 0
file=$(nm search --output=files id:mail.support=40example=2Ecom.big.big-1@ombre)
ok "as one file over 10 MB" test "$(stat -c %s "$file")" -gt 10000000
"$OMBRE" show --json 'id:mail.support=40example=2Ecom.big.big-1@ombre' >big.out
is "and comes back byte for byte" "$(python3 -c 'import json,sys; a=json.loads(open("big.jsonl").read())["text"]; b=json.loads(open("big.out").read())["text"]; print(a==b)')" True

# Files are private and named by ombre, never by the message.
ok "message files are 0600" test "$(stat -c %a "$file")" = 600
ok "no file name carries message content" bash -c "! ls '$DATA/mail/ombre/new' | grep -q -e big -e wamid"
is "no tmp/ leftovers" "$(ls "$DATA/mail/ombre/tmp" | wc -l)" 0

# A row of the list comes from the index alone: with the message files
# moved away, list still shows each conversation's channel and last text.
before=$("$OMBRE" list --json --limit 100 '*')
mv "$DATA/mail/ombre/new" "$DATA/mail/ombre/new.away"
is "list reads no message file: the same rows without the files" \
    "$("$OMBRE" list --json --limit 100 '*' 2>&1)" "$before"
mv "$DATA/mail/ombre/new.away" "$DATA/mail/ombre/new"

# A conversation id too long for a notmuch property (a Xapian term ends
# at 245 bytes): list reads it from the message file.
long=$(printf 'c%.0s' $(seq 1 300))
json_line sms acct "$long" l1 2026-11-20T09:03:00Z +33600000003 customer "long id" | "$OMBRE" ingest
like "a 300-byte conversation id is listed whole" \
    "$("$OMBRE" list --json --limit 100 Channel:sms | grep '"long id"')" "\"conversation\":\"$long\""

"$OMBRE" ingest --format xml </dev/null 2>err
ok "an unknown format is a usage error" test $? -eq 2
like "saying which formats exist" "$(cat err)" "known: json"

# The windows a list searches start from the newest message, not from
# an agent's triage of today (an event): else the first page of an old
# store read every message, ten times the memory.
export DATA=$TEST_DIR/windows
json_line telegram bot1 w1 w1m 2026-11-01T08:00:00Z u1 customer "old" |
    "$OMBRE" --data-dir "$DATA" ingest >/dev/null
id=$("$OMBRE" --data-dir "$DATA" list --json | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
"$OMBRE" --data-dir "$DATA" done "$id" >/dev/null
is "a triage event today leaves the windows' start at the newest message" \
    "$(nm config get ombre.newest-message)" \
    "$(date -u -d 2026-11-01T08:00:00Z +%s)"
is "the event is there all the same" \
    "$(nm count 'property:ombre.kind=event')" 1
test_done
