#!/usr/bin/env bash
# T040-notmuch-interop.sh: what ombre stores is what a notmuch user sees,
# and the reverse.
. "$top_srcdir/tests/lib.sh"
test_init

"$OMBRE" ingest <"$top_srcdir/tests/corpora/small.jsonl"

is "customer messages are in the inbox" "$(nm count tag:inbox and Kind:customer)" 4
is "customer messages are unread" "$(nm count tag:unread)" 4
is "bot messages are not unread" "$(nm count Kind:bot and tag:unread)" 0
is "notes are tagged ombre/note" "$(nm count tag:ombre/note)" 1
is "attachments are tagged" "$(nm count tag:attachment)" 1
like "the Message-Id is derived from the channel's ids" "$(nm search --output=messages Channel:telegram)" "id:tg.7012345678.381245.101@ombre"
is "a chat is one thread" "$(nm count --output=threads Channel:telegram)" 1

# Another notmuch config, knowing nothing of ombre, still finds Channel:.
mkdir other
printf '[database]\npath=%s\n' "$DATA/mail" >other/config
is "Channel: works from the database's own config" \
    "$(notmuch --config=other/config count Channel:whatsapp)" 2
is "Kind: too" "$(notmuch --config=other/config count Kind:bot)" 1
is "Account: too" "$(notmuch --config=other/config count Account:7012345678)" 3
like "the header prefixes are stored in the database" \
    "$(notmuch --config=other/config config list)" "index.header.Channel=X-Ombre-Channel"

# notmuch tag shows in ombre list, ombre tag shows in notmuch.
nm tag +ombre/handoff -- Channel:telegram
like "a tag set by notmuch shows in ombre" "$("$OMBRE" list Channel:telegram)" "needs human"
is "and in the Needs human view" "$("$OMBRE" list --view 'Needs human' --json | wc -l)" 1
nm tag -inbox +ombre/done -- Channel:matrix
is "done by notmuch leaves ombre's inbox" "$("$OMBRE" list --json | wc -l)" 2
"$OMBRE" tag Channel:whatsapp +ombre/assigned/alice +billing
ok "ombre tag exits 0" test $? -eq 0
is "notmuch sees the tags on every message of the conversation" \
    "$(nm count tag:ombre/assigned/alice and tag:billing)" 2
like "ombre shows the assignee" "$("$OMBRE" list Channel:whatsapp)" "@alice"
"$OMBRE" -e 'agent alice' list --view Mine --json >mine
is "the Mine view follows the agent" "$(wc -l <mine)" 1
is "Unassigned excludes it" "$("$OMBRE" list --view Unassigned --json | grep -c whatsapp)" 0
"$OMBRE" tag Channel:whatsapp 'bad tag' +x 2>err
ok "a query that matches nothing is an error" test $? -ne 0
"$OMBRE" tag Channel:whatsapp +'a"b' 2>err
ok "a bad tag name is refused" test $? -ne 0
like "saying why" "$(cat err)" "bad tag operation"

# A customer writing again reopens a done conversation, for notmuch too.
json_line matrix @support:example.org '!kTxRqLpWn:example.org' '$new1' 2026-11-20T10:00:00Z @eve:example.org customer "Still there?" | "$OMBRE" ingest
is "the done conversation is back in the inbox" "$(nm count --output=threads tag:inbox and Channel:matrix)" 1
is "and no message of it is done" "$(nm count tag:ombre/done)" 0

# An existing notmuch mail database (set store.database).
mkdir -p mail/cur mail/new mail/tmp
cat >mail/cur/1.eml <<'MAIL'
From: Paul Durand <paul@example.net>
To: support@example.com
Subject: Facture introuvable
Date: Thu, 19 Nov 2026 14:00:00 +0000
Message-ID: <facture-1@example.net>

Bonjour, je ne trouve pas ma facture.
MAIL
printf '[database]\npath=%s\n' "$TEST_DIR/mail" >mail.config
notmuch --config=mail.config new >/dev/null 2>&1
notmuch --config=mail.config tag +inbox -- '*'
printf 'set store.database %s\n' "$TEST_DIR/mail" >"$XDG_CONFIG_HOME/ombre/config" 2>/dev/null ||
    { mkdir -p "$XDG_CONFIG_HOME/ombre"; printf 'set store.database %s\n' "$TEST_DIR/mail" >"$XDG_CONFIG_HOME/ombre/config"; }
like "existing mail appears in ombre" "$("$OMBRE" list)" "Paul Durand"
json_line sms acct c9 m9 2026-11-20T09:00:00Z +33611111111 customer "SMS into the mail store" | "$OMBRE" ingest
ok "chat messages go to a sub-folder of the mail root" test "$(ls "$TEST_DIR/mail/ombre/new" | wc -l)" -eq 1
is "the user's notmuch sees them" "$(notmuch --config=mail.config count Channel:sms)" 1
like "and ombre shows both" "$("$OMBRE" list --json | tr '\n' ' ')" 'Paul Durand.*|.*SMS into'
ok "the user's ~/.notmuch-config is never read" bash -c "printf '[database]\npath=/nonexistent\n' >'$HOME/.notmuch-config'; '$OMBRE' list >/dev/null"
test_done
