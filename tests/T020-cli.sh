#!/usr/bin/env bash
# T020-cli.sh: the command line: help, version, errors, list and show.
. "$top_srcdir/tests/lib.sh"
test_init

out=$("$OMBRE" --help)
ok "--help exits 0" test $? -eq 0
like "--help shows the synopsis" "$out" "usage: ombre \[-c FILE\] \[--data-dir DIR\] \[--demo \[--no-traffic\]\]"
like "--help lists the commands" "$out" "ingest \[--format json\]"
like "--version prints the version" "$("$OMBRE" --version)" "^ombre [0-9]+\.[0-9]+"

"$OMBRE" --bogus 2>err
is "an unknown option is a usage error" "$?" 2
like "with one clear line" "$(cat err)" "^ombre: unknown option --bogus \(see ombre --help\)$"
"$OMBRE" frobnicate 2>err
is "an unknown command is a usage error" "$?" 2
like "naming it" "$(cat err)" "unknown command 'frobnicate'"
"$OMBRE" list --limit 0 2>err
is "a bad --limit is a usage error" "$?" 2
"$OMBRE" $'\e[31mred' 2>err
ok "escape sequences in argv never reach stderr raw" bash -c "! grep -q $'\e' err"

# Data dir resolution.
"$OMBRE" list >/dev/null
ok "the default data dir is \$XDG_DATA_HOME/ombre" test -d "$XDG_DATA_HOME/ombre/mail/.notmuch"
ok "created private" test "$(stat -c %a "$XDG_DATA_HOME/ombre")" = 700
OMBRE_DATA_DIR=$TEST_DIR/envdir "$OMBRE" list >/dev/null
ok "\$OMBRE_DATA_DIR is honoured" test -d "$TEST_DIR/envdir/mail/.notmuch"
OMBRE_DATA_DIR=$TEST_DIR/envdir "$OMBRE" --data-dir "$TEST_DIR/flagdir" list >/dev/null
ok "--data-dir wins over the environment" test -d "$TEST_DIR/flagdir/mail/.notmuch"
mkdir -m 2770 "$TEST_DIR/team"
"$OMBRE" --data-dir "$TEST_DIR/team" ingest <"$top_srcdir/tests/corpora/small.jsonl"
ok "a team dir's group mode is kept for new folders" test "$(stat -c %a "$TEST_DIR/team/mail")" = 2770
f=$(ls "$TEST_DIR/team/mail/ombre/new" | head -n1)
ok "and files are group-readable there" test "$(stat -c %a "$TEST_DIR/team/mail/ombre/new/$f")" = 660

# list and show on a small corpus.
"$OMBRE" ingest <"$top_srcdir/tests/corpora/small.jsonl"
out=$(COLUMNS=200 "$OMBRE" list)	# the whole snippets
is "list shows the inbox, one row per conversation" "$(printf '%s\n' "$out" | wc -l)" 3
like "newest first: Eve's matrix chat on top" "$(printf '%s\n' "$out" | head -n1)" " MX "
like "a row shows the badge, the customer and the mode" "$out" "TG +[0-9]+[smhdw] Zoë Martin"
like "the snippet of the last message" "$out" "Je veux parler à un humain"
ok "no escape character in list output" bash -c "! printf '%s' \"\$1\" | grep -q $'\e'" _ "$out"
ok "no bidi override in list output" bash -c "! printf '%s' \"\$1\" | grep -q $'\u202e'" _ "$out"
like "an escape attempt is shown as a placeholder" "$out" '\^\[\]0;pwned\^GEve'
like "the snippet is cut to the terminal's width" "$(COLUMNS=80 "$OMBRE" list | tail -n1)" "Je veux parler à un…$"

json=$("$OMBRE" list --json)
is "--json prints one object per conversation" "$(printf '%s\n' "$json" | wc -l)" 3
like "with the thread id" "$json" '"thread":"[0-9a-f]{16}"'
like "control characters escaped as \\u001b" "$json" '\\u001b\]0;pwned\\u0007Eve \\u202eevil'
ok "every line is JSON" python3 -c 'import sys,json; [json.loads(l) for l in sys.stdin]' <<<"$json"
is "--limit 1 prints one" "$("$OMBRE" list --limit 1 | wc -l)" 1
is "options may follow the query" "$("$OMBRE" list Channel:telegram --json | wc -l)" 1
is "a view by name" "$("$OMBRE" list --view WhatsApp --json | wc -l)" 1
"$OMBRE" list --view Nowhere 2>err
ok "an unknown view is an error" test $? -ne 0

field() { python3 -c 'import json,sys; [print(o[sys.argv[2]]) for o in map(json.loads, sys.stdin) if o["channel"] == sys.argv[1]]' "$@"; }
tg=$(printf '%s\n' "$json" | field telegram id)
out=$("$OMBRE" show "$tg")
like "show by short id" "$out" "Conversation $tg"
like "messages with the sender's kind" "$out" "Assistant \(bot\)"
like "a day separator" "$out" "--- Fri 20 Nov 2026 ---"
thread=$(printf '%s\n' "$json" | field telegram thread)
is "show by 16-digit thread id" "$("$OMBRE" show "$thread")" "$out"
is "show by thread:ID" "$("$OMBRE" show "thread:$thread")" "$out"
is "show by a query matching one" "$("$OMBRE" show from:Zoë)" "$out"
"$OMBRE" show tag:inbox 2>err
ok "a query matching several is refused" test $? -ne 0
like "saying so" "$(cat err)" "matches several conversations"
"$OMBRE" show 0000000000000fff 2>err
ok "an unknown thread id is an error" test $? -ne 0
out=$("$OMBRE" show --json "$tg")
# (three messages, and the handoff event the rules added)
is "show --json prints canonical lines" "$(printf '%s\n' "$out" | wc -l)" 4
like "with the reply_to kept" "$out" '"reply_to":"102"'
"$OMBRE" show --json "$tg" | "$OMBRE" --data-dir "$TEST_DIR/copy" ingest
is "show --json feeds ingest (round trip)" "$("$OMBRE" --data-dir "$TEST_DIR/copy" show --json "$("$OMBRE" --data-dir "$TEST_DIR/copy" list --json | field telegram id)")" "$out"
wa=$(printf '%s\n' "$json" | field whatsapp id)
mx=$(printf '%s\n' "$json" | field matrix id)
like "show makes a bidi override visible" "$("$OMBRE" show "$mx")" '\^\[\]0;pwned\^GEve <U\+202E>evil \(customer\)'
like "and escape sequences in the text" "$("$OMBRE" show "$mx")" 'Look: \^\[\[31mred\^\[\[0m and \^\[\]52;c;cHduZWQ=\^G clipboard'

out=$("$OMBRE" show "$wa")
like "attachments are listed" "$out" "\[attachment\] statement.pdf application/pdf 48211 bytes"
like "internal notes are marked" "$out" "alice \(internal note\)"
test_done
