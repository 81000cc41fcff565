#!/usr/bin/env bash
# T270-doctor.sh: ombre doctor: a healthy store passes; dumps are notmuch
# dump's text; a damaged index is named with its way out, and doctor --fix
# rebuilds it from the Maildir with every message and every dumped tag;
# files not indexed, modes, stray files; the syncer's dump at exit.
. "$top_srcdir/tests/lib.sh"
test_init

"$OMBRE" demo --conversations 25 | "$OMBRE" ingest
"$OMBRE" tag 2 +vip -inbox
"$OMBRE" tag 'Channel:telegram' +ombre/assigned/alice

"$OMBRE" doctor >out 2>&1
ok "a healthy store: doctor exits 0" test $? -eq 0
like "saying what it checked" "$(cat out)" "ok: the database opens read-only and reads its [0-9]+ messages"

dump=$("$OMBRE" doctor --dump)
ok "doctor --dump takes a dump into DATA/dumps" test -f "$dump"
like "named by the time" "$dump" "$DATA/dumps/dump-[0-9]{8}T[0-9]{6}Z.txt"
nm dump --include=tags --include=properties >nm.dump
ok "the dump is notmuch dump's text, byte for byte" cmp "$dump" nm.dump
ok "notmuch restore reads it" nm restore --input="$dump"
for i in 1 2 3 4 5 6; do
	mv "$dump" "$DATA/dumps/dump-2026010${i}T000000Z.txt"
	dump=$("$OMBRE" doctor --dump)
done
is "the last five dumps are kept" "$(ls "$DATA/dumps" | wc -l)" 5

# What a rebuilt index must give back.
messages=$(nm count '*')
nm dump --include=tags --include=properties | sort >before.dump
"$OMBRE" list --json --limit 1000 '*' >before.list

# Damage the index (notmuch's T060 zeroes blocks of postlist; which block
# holds the root moves with each commit, so all of them).
xapian=$DATA/mail/.notmuch/xapian
blocks=$(($(stat -c %s "$xapian/postlist.glass") / 1024))
dd if=/dev/zero of="$xapian/postlist.glass" bs=1024 count="$blocks" conv=notrunc 2>/dev/null
"$OMBRE" list >out 2>err
ok "list fails on a damaged index" test $? -ne 0
like "naming the way out" "$(cat err)" "index may be damaged: \`ombre doctor --fix\` rebuilds it from the Maildir"
unlike "with no stray newline escape" "$(cat err)" '\^J'
"$OMBRE" doctor >out 2>&1
ok "doctor exits 1" test $? -eq 1
like "naming the problem" "$(cat out)" "problem: opening the database: .*Xapian"
"$OMBRE" doctor --fix >out 2>&1
ok "doctor --fix exits 0" test $? -eq 0 || diag "$(cat out)"
like "it moved the damaged database aside" "$(cat out)" "kept as notmuch.broken-"
ok "and kept it" test -d "$(echo "$DATA"/notmuch.broken-*)/xapian"
like "it restored the newest dump" "$(cat out)" "restored the tags and properties of $messages messages"
is "every message is back" "$(nm count '*')" "$messages"
nm dump --include=tags --include=properties | sort >after.dump
ok "with every tag and property of the dump" cmp before.dump after.dump
"$OMBRE" list --json --limit 1000 '*' >after.list
ok "ombre list shows what it showed" cmp before.list after.list
like "the tags set by hand are there" "$(nm count tag:vip)" "^[1-9]"
"$OMBRE" doctor >out 2>&1
ok "doctor is happy afterwards" test $? -eq 0 || diag "$(cat out)"
like "the header prefixes are back" "$(nm count Channel:telegram)" "^[1-9]"

# A file ombre wrote that the index lost (a user's notmuch new after it
# was moved away and back).
file=$(nm search --output=files --limit=1 Channel:telegram)
mv "$file" "$TEST_DIR/away"
nm new >/dev/null 2>&1
mv "$TEST_DIR/away" "$file"
is "the index lost it" "$(nm count '*')" "$((messages - 1))"
"$OMBRE" doctor >out 2>&1
ok "doctor exits 1" test $? -eq 1
like "naming the file" "$(cat out)" "problem: not indexed: mail/ombre/(new|cur)/"
"$OMBRE" doctor --fix >out 2>&1
ok "doctor --fix indexes it" test $? -eq 0 || diag "$(cat out)"
is "all messages again" "$(nm count '*')" "$messages"
id=$(nm search --output=messages "path:\"${file#"$DATA/mail/"}\"")
like "with ombre's properties" "$(nm dump --include=properties "$id")" "ombre.kind="

# Modes and stray files.
chmod u-w "$file"
printf 'half' >"$DATA/mail/ombre/tmp/1700000000.M1P999999Q1.$(hostname | tr '/:' '__')"
"$OMBRE" doctor >out 2>&1
ok "doctor exits 1" test $? -eq 1
like "a file the owner cannot write" "$(cat out)" "problem: mail/ombre/(new|cur)/.*: mode 0400, needs 0600"
like "a stray tmp/ file" "$(cat out)" "problem: stray file of a writer that is gone: mail/ombre/tmp/"
"$OMBRE" doctor --fix >out 2>&1
ok "doctor --fix" test $? -eq 0 || diag "$(cat out)"
is "the mode is corrected" "$(stat -c %a "$file")" 600
is "the stray file is gone" "$(ls "$DATA/mail/ombre/tmp" | wc -l)" 0

# A team's group dir (2770): what the group cannot write.
mkdir -m 2770 team
OMBRE_DATA_DIR=$TEST_DIR/team "$OMBRE" ingest <"$top_srcdir/tests/corpora/small.jsonl"
OMBRE_DATA_DIR=$TEST_DIR/team "$OMBRE" doctor >out 2>&1
ok "a healthy team dir" test $? -eq 0 || diag "$(cat out)"
f=$(ls "$TEST_DIR"/team/mail/ombre/new/* | head -1)
chmod 600 "$f"
OMBRE_DATA_DIR=$TEST_DIR/team "$OMBRE" doctor >out 2>&1
ok "a file the team's group cannot write is a problem" test $? -eq 1
like "saying why" "$(cat out)" "mode 0600, needs 0660 \(the team's group"
OMBRE_DATA_DIR=$TEST_DIR/team "$OMBRE" doctor --fix >out 2>&1
ok "doctor --fix gives it to the group" test $? -eq 0 || diag "$(cat out)"
is "mode 0660" "$(stat -c %a "$f")" 660

# The syncer dumps at a clean exit.
rm -f "$DATA"/dumps/*
"$OMBRE" sync --once >/dev/null 2>&1
is "ombre sync leaves a dump" "$(ls "$DATA/dumps" | wc -l)" 1

# With no dump, a rebuild says the tags are ingest's.
rm -f "$DATA"/dumps/*
rm -rf "$DATA/mail/.notmuch"
"$OMBRE" doctor >out 2>&1
like "a missing database is a problem" "$(cat out)" "problem: the database mail/.notmuch is missing"
"$OMBRE" doctor --fix >out 2>&1
ok "doctor --fix rebuilds it" test $? -eq 0 || diag "$(cat out)"
like "saying there was no dump" "$(cat out)" "note: no dump"
is "every message is back" "$(nm count '*')" "$messages"

# While the index is broken, the syncer still delivers what it fetches,
# durably, and the messages are indexed once the index is back.
command -v "$PYTHON" >/dev/null || { test_done; exit 0; }
TOKEN=7012345678:AAH-doctor
server_start telegram --token "$TOKEN" --first-update-id 100
TG=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre"
{
	printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' "$TOKEN" "$TG"
	printf 'set sync.retry-base 50\nset sync.retry-cap 200\nset sync.attempts 3\n'
} >"$XDG_CONFIG_HOME/ombre/config"
chmod 600 "$XDG_CONFIG_HOME/ombre/config"
messages=$(nm count '*')
tg_files() { grep -rl '^Message-Id: <tg\.' "$DATA/mail/ombre/new" "$DATA/mail/ombre/cur" | wc -l; }
tg_before=$(tg_files)
blocks=$(($(stat -c %s "$xapian/postlist.glass") / 1024))
dd if=/dev/zero of="$xapian/postlist.glass" bs=1024 count="$blocks" conv=notrunc 2>/dev/null
ctl "$TG" generate '{"count": 12, "chats": 3, "seed": 7}' >/dev/null
"$OMBRE" sync --once >/dev/null 2>err
ok "sync --once on a broken index exits non-zero" test $? -ne 0
like "saying what waits for the index" "$(cat err)" '12 messages delivered to the Maildir but not indexed'
is "the offset confirmed the 12 updates: they are delivered" "$(cat "$DATA/sync/support.offset")" 112
is "their 12 files are in the Maildir" "$(tg_files)" $((tg_before + 12))
like "sync --status says they wait for the index" "$("$OMBRE" sync --status)" 'index: 12 messages delivered, not indexed yet'
"$OMBRE" doctor --fix >out 2>&1
ok "doctor --fix rebuilds the index" test $? -eq 0 || diag "$(cat out)"
is "every message is there, the 12 delivered meanwhile too" "$(nm count '*')" $((messages + 12))
is "and indexed" "$(nm count 'mid:/^tg\./')" $((tg_before + 12))

"$OMBRE" doctor extra 2>err
ok "an argument is a usage error" test $? -eq 2
test_done
