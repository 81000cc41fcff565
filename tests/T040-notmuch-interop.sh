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
# (the three messages of the Telegram chat and the handoff event the
# rules added to it)
is "Account: too" "$(notmuch --config=other/config count Account:7012345678)" 4
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
# A multipart mail: quoted-printable Latin-1 text beside an HTML part.
{
	printf 'From: Lea Martin <lea@example.net>\r\n'
	printf 'Subject: Colis\r\nDate: Thu, 19 Nov 2026 15:00:00 +0000\r\n'
	printf 'Message-ID: <colis-1@example.net>\r\nMIME-Version: 1.0\r\n'
	printf 'Content-Type: multipart/alternative;\r\n boundary="=_b1"\r\n\r\n'
	printf 'preamble\r\n--=_b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n'
	printf 'Content-Transfer-Encoding: quoted-printable\r\n\r\n'
	printf 'Mon colis n=27est pas arriv=E9, c=27est =\r\nurgent.\r\n'
	printf '--=_b1\r\nContent-Type: text/html\r\n\r\n<p>HTML version</p>\r\n--=_b1--\r\n'
} >mail/cur/2.eml
# A base64 UTF-8 mail, and one with HTML only.
{
	printf 'From: Kenji <kenji@example.jp>\nSubject: Question\n'
	printf 'Date: Thu, 19 Nov 2026 16:00:00 +0000\nMessage-ID: <q-1@example.jp>\n'
	printf 'Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n'
	printf '%s\n' "$(printf '注文の状況を教えてください' | base64)"
} >mail/cur/3.eml
# A multipart whose first part is empty: a delimiter right after another.
{
	printf 'From: Ines <ines@example.net>\nSubject: Vide\n'
	printf 'Date: Thu, 19 Nov 2026 16:30:00 +0000\nMessage-ID: <vide-1@example.net>\n'
	printf 'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n--XX\n'
	printf 'Content-Type: text/plain\n\nLe texte après une partie vide\n--XX--\n'
} >mail/cur/5.eml
printf 'From: News <news@example.org>\nSubject: Offre\nMessage-ID: <n-1@example.org>\nDate: Thu, 19 Nov 2026 17:00:00 +0000\nContent-Type: text/html\n\n<b>promo</b>\n' >mail/cur/4.eml
printf '[database]\npath=%s\n' "$TEST_DIR/mail" >mail.config
notmuch --config=mail.config new >/dev/null 2>&1
notmuch --config=mail.config tag +inbox -- '*'
printf 'set store.database %s\n' "$TEST_DIR/mail" >"$XDG_CONFIG_HOME/ombre/config" 2>/dev/null ||
    { mkdir -p "$XDG_CONFIG_HOME/ombre"; printf 'set store.database %s\n' "$TEST_DIR/mail" >"$XDG_CONFIG_HOME/ombre/config"; }
like "existing mail appears in ombre" "$("$OMBRE" list)" "Paul Durand"
like "a plain mail's text is shown" "$("$OMBRE" show 'id:facture-1@example.net')" \
    "je ne trouve pas ma facture"
like "a multipart mail shows its text part, quoted-printable Latin-1 decoded" \
    "$("$OMBRE" show 'id:colis-1@example.net')" "Mon colis n'est pas arrivé, c'est urgent."
unlike "and not its HTML part" "$("$OMBRE" show 'id:colis-1@example.net')" "HTML version"
like "a base64 UTF-8 mail is decoded" "$("$OMBRE" show 'id:q-1@example.jp')" \
    "注文の状況を教えてください"
like "the list's snippet is the mail's text" "$("$OMBRE" list --json 'id:colis-1@example.net')" \
    '"snippet":"Mon colis'
like "a multipart with an empty first part shows the text after it" \
    "$("$OMBRE" show 'id:vide-1@example.net' 2>&1)" "Le texte après une partie vide"
like "an HTML-only mail says where to read it" "$("$OMBRE" show 'id:n-1@example.org')" \
    "no plain text part"
json_line sms acct c9 m9 2026-11-20T09:00:00Z +33611111111 customer "SMS into the mail store" | "$OMBRE" ingest
ok "chat messages go to a sub-folder of the mail root" test "$(ls "$TEST_DIR/mail/ombre/new" | wc -l)" -eq 1
is "the user's notmuch sees them" "$(notmuch --config=mail.config count Channel:sms)" 1
like "and ombre shows both" "$("$OMBRE" list --json | tr '\n' ' ')" 'Paul Durand.*|.*SMS into'
ok "the user's ~/.notmuch-config is never read" bash -c "printf '[database]\npath=/nonexistent\n' >'$HOME/.notmuch-config'; '$OMBRE' list >/dev/null"
test_done
