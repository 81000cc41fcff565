#!/usr/bin/env bash
# T335-email.sh: answering the user's own mail (set store.database) through
# an email channel: the reply built as a MIME reply, handed to a
# sendmail-command that speaks SMTP to a real local server (aiosmtpd on
# loopback), received with its threading headers; the original tagged
# replied; a failing command gives "failed" with its reason.
. "$top_srcdir/tests/lib.sh"
test_init

"$PYTHON" -c 'import aiosmtpd' 2>/dev/null ||
    skip_all "aiosmtpd cannot be imported by $PYTHON (Debian: python3-aiosmtpd)"

# The user's notmuch mail: a customer's message, part of a thread.
mkdir -p mail/cur mail/new mail/tmp
printf 'From: =?UTF-8?Q?L=C3=A9a_Martin?= <lea@example.net>\nTo: support@example.com\nSubject: Colis \033[31mrouge\033[0m perdu\nDate: Thu, 19 Nov 2026 14:00:00 +0000\nMessage-ID: <colis-2@example.net>\nIn-Reply-To: <colis-1@example.net>\nReferences: <colis-0@example.net> <colis-1@example.net>\n\nMon colis est perdu.\nMerci.\n' >mail/cur/1.eml
printf 'From: Spammer <spam@example.biz>\nTo: support@example.com\nSubject: Gagnez\nDate: Thu, 19 Nov 2026 15:00:00 +0000\nMessage-ID: <spam-1@example.biz>\n\nPromo.\n' >mail/cur/2.eml
printf '[database]\npath=%s\n' "$TEST_DIR/mail" >mail.config
mnm() { notmuch --config="$TEST_DIR/mail.config" "$@"; }
mnm new >/dev/null 2>&1
mnm tag +inbox -- '*'
mnm tag +spam -- id:spam-1@example.biz

mkdir -p smtp-out
server_start smtp --out "$TEST_DIR/smtp-out"
SMTP_PORT=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'set store.database %s\n' "$TEST_DIR/mail"
	printf 'channel mail email from="Support <support@example.com>" sendmail-command="%s %s --port %s" query="tag:inbox and not tag:spam"\n' \
	    "$PYTHON -S" "$top_srcdir/tests/helpers/smtp-send.py" "$SMTP_PORT"
} >"$CONFIG"
chmod 600 "$CONFIG"

out=$("$OMBRE" list)
like "the customer's mail is in the inbox" "$out" "Léa Martin"
unlike "the mail query= leaves out is not" "$out" "Spammer"
json_line sms acct c9 m9 2026-11-20T09:00:00Z +33611111111 customer "SMS beside the mail" | "$OMBRE" ingest
like "chats still show beside the mail" "$("$OMBRE" list)" "SMS beside"
ok "with its e-mail badge" grep -q "EM" <<<"$out"
ok "the control sequence of the Subject never reaches the terminal" \
    bash -c "! '$OMBRE' list | grep -q $'\033'"

"$OMBRE" reply 'id:colis-2@example.net' --text 'Bonjour Léa, nous le retrouvons. Désolés !' \
    >reply.out 2>reply.err
ok "ombre reply queues it" test $? = 0 || diag "$(cat reply.err)"
"$OMBRE" sync --once >sync.out 2>sync.err
ok "ombre sync --once sends it" test $? = 0 || diag "$(cat sync.err)"
ok "the SMTP server received one message" test -s smtp-out/1.eml
ok "no second one" test ! -e smtp-out/2.eml
is "sent to the customer" "$(sed -n 2p smtp-out/1.env)" "lea@example.net"
is "from the channel's address" "$(sed -n 1p smtp-out/1.env)" "support@example.com"

hdr() {
	"$PYTHON" -S -c 'import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
v = m.get(sys.argv[2])
print("" if v is None else " ".join(str(v).split()))' smtp-out/1.eml "$1"
}
is "In-Reply-To the original" "$(hdr In-Reply-To)" "<colis-2@example.net>"
is "References the thread and the original" "$(hdr References)" \
    "<colis-0@example.net> <colis-1@example.net> <colis-2@example.net>"
like "Subject Re:" "$(hdr Subject)" "^Re: Colis"
ok "no ESC in the Subject sent" bash -c "! grep -q $'\033' smtp-out/1.eml"
like "a Message-Id ombre made" "$(hdr Message-Id)" "^<out\..*@ombre>$"
is "UTF-8" "$(hdr Content-Type)" "text/plain; charset=UTF-8"
is "quoted-printable" "$(hdr Content-Transfer-Encoding)" "quoted-printable"
like "the body in quoted-printable" "$(cat smtp-out/1.eml)" "Bonjour L=C3=A9a"
body=$("$PYTHON" -S -c 'import email, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"))
sys.stdout.write(m.get_payload(decode=True).decode("utf-8"))' smtp-out/1.eml)
like "the reply decodes" "$body" "Bonjour Léa, nous le retrouvons. Désolés !"
like "the quote below it" "$body" "> Mon colis est perdu."
is "the original tagged replied" "$(mnm count id:colis-2@example.net and tag:replied)" 1
like "ombre shows it sent" "$("$OMBRE" show 'id:colis-2@example.net')" "Désolés"

mid=$(hdr Message-Id | tr -d '<>')
thread=$(mnm search --output=threads id:colis-2@example.net)
ok "notmuch threads the reply with the mail it answers" \
    grep -qx "id:$mid" <<<"$(mnm search --output=messages "$thread")"
is "two messages in that thread" "$(mnm count "$thread")" 2

# A sendmail command that fails: failed, with its reason.
{
	printf 'set store.database %s\n' "$TEST_DIR/mail"
	printf 'channel mail email from="Support <support@example.com>" sendmail-command="echo \\"relay refused: 550 \\$(printf \\"\\\\033\\")[31mno\\" >&2; exit 1"\n'
} >"$CONFIG"
"$OMBRE" reply 'id:colis-2@example.net' --force --text 'Second try' >reply.out 2>reply.err ||
    "$OMBRE" reply 'id:colis-2@example.net' --text 'Second try' >reply.out 2>reply.err
ok "a second reply queued" test $? = 0 || diag "$(cat reply.err)"
"$OMBRE" sync --once >sync.out 2>sync.err
out=$("$OMBRE" outbox 2>&1)
like "ombre outbox says failed" "$out" "failed"
like "with the command's reason" "$out" "relay refused: 550"
ok "and no raw ESC from its stderr" bash -c "! '$OMBRE' outbox 2>&1 | grep -q $'\033'"
like "ombre show says FAILED with the reason" "$("$OMBRE" show 'id:colis-2@example.net')" \
    "FAILED: .*relay refused"
ok "nothing more reached the SMTP server" test ! -e smtp-out/2.eml

# The syncer killed while the command runs: unknown, never sent again.
{
	printf 'set store.database %s\n' "$TEST_DIR/mail"
	printf 'channel mail email from="support@example.com" sendmail-command="echo \\$\\$ >%s/sm.pid; exec sleep 60"\n' "$TEST_DIR"
} >"$CONFIG"
"$OMBRE" reply 'id:colis-2@example.net' --force --text 'Third' >reply.out 2>reply.err ||
    "$OMBRE" reply 'id:colis-2@example.net' --text 'Third' >reply.out 2>reply.err
"$OMBRE" sync >sync2.out 2>sync2.err &
SYNC_PID=$!
for ((i = 0; i < 100; i++)); do
	[ -s sm.pid ] && break
	sleep 0.1
done
ok "the command runs" test -s sm.pid
kill -9 "$SYNC_PID"
wait "$SYNC_PID" 2>/dev/null
kill "$(cat sm.pid)" 2>/dev/null
rm -f sm.pid
"$OMBRE" sync --once >sync.out 2>sync.err
like "a send cut off is unknown" "$("$OMBRE" outbox 2>&1)" "unknown.*Third"
ok "and not run again" test ! -e sm.pid
test_done
