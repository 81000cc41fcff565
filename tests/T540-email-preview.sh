#!/usr/bin/env bash
# T540-email-preview.sh: e-mail read as e-mail (issue 17). A mailing
# list's Maildir (tests/corpora/mailing-list: French and English
# attributions, one wrapped over two lines, quotes, signatures, a quote of
# 20 lines, RFC 2047 subjects) opened through `set store.database`, beside
# an e-mail and an SMS ombre ingested: ombre list shows each e-mail's
# subject ("Re:" cut) before a snippet without attribution, quote or
# signature; the Email view lists the user's own mail and ombre's e-mail,
# not the SMS, and the console's sidebar counts what it lists, also when
# an email channel's query= leaves some mail out; the rows show the
# subjects; the thread folds the 20 quoted lines into one dim line that z
# unfolds and folds again. A subject's escape never reaches the terminal.
. "$top_srcdir/tests/lib.sh"
test_init

# The user's notmuch mail: the corpus, and a hostile subject.
mkdir -p mail/new mail/tmp
cp -R "$top_srcdir/tests/corpora/mailing-list/cur" mail/
chmod -R u+w mail
printf 'From: Mallory <m@example.biz>\nTo: support@example.com\nSubject: =?UTF-8?Q?Urgent_=1B[31mrouge=1B[0m?=\nDate: Mon, 09 Nov 2026 10:00:00 +0000\nMessage-ID: <hostile-1@example.biz>\n\nOuvrez vite.\n' \
    >mail/cur/09.eml
printf '[database]\npath=%s\n' "$TEST_DIR/mail" >mail.config
mnm() { "$NOTMUCH" --config="$TEST_DIR/mail.config" "$@"; }
mnm new >/dev/null 2>&1
mnm tag +inbox +unread -- '*'

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
printf 'set store.database %s\n' "$TEST_DIR/mail" >"$CONFIG"
chmod 600 "$CONFIG"

# An e-mail and an SMS through ombre's own ingest (X-Ombre-Channel), older
# than the list's mail.
printf '%s\n' '{"channel":"email","account":"support@example.com","conversation":{"id":"paul@example.com","title":"Re: Facture 2031"},"id":"e1","date":"2026-11-08T09:00:00Z","from":{"id":"paul@example.com","name":"Paul Durand","kind":"customer"},"text":"Je ne l'"'"'ai toujours pas.\n\nLe 7 nov. 2026 à 10:00, Support a écrit :\n> Voici votre facture.\n\n-- \nPaul Durand\n01 23 45 67 89"}' \
    '{"channel":"sms","account":"acct","conversation":{"id":"+33611111111"},"id":"s1","date":"2026-11-07T09:00:00Z","from":{"id":"+33611111111","kind":"customer"},"text":"> pas un mail\nLe colis ?"}' |
    "$OMBRE" ingest >/dev/null

# --- ombre list --------------------------------------------------------------
json=$("$OMBRE" list --json)
field() {
	"$PYTHON" -S -c 'import json, sys
for line in sys.stdin:
    o = json.loads(line)
    if sys.argv[1] in json.dumps(o, ensure_ascii=False):
        print(o.get(sys.argv[2]))
        break' "$1" "$2" <<<"$json"
}
is "the patch's review: the reply under the 20 quoted lines" \
    "$(field 'Dan McGee' snippet)" "Looks good to me, pulled into my maint branch."
is "... its subject, Re: cut" "$(field 'Dan McGee' subject)" \
    "[pacman-dev] [PATCH] makepkg: check for a valid pkgver"
is "an English attribution wrapped over two lines skipped" \
    "$(field 'Fine by me' snippet)" \
    "Fine by me, I will tag 4.0.2 once the test packages are in."
is "... the RFC 2047 Q subject decoded" "$(field 'Fine by me' subject)" \
    "[pacman-dev] Résumé de la réunion"
is "a top-posted answer above Gmail's French attribution over two lines" \
    "$(field 'Voici les photos' snippet)" \
    "Voici les photos du carton, la commande est la 4471."
is "... the RFC 2047 B subject decoded" "$(field 'Voici les photos' subject)" \
    "Colis abîmé à la livraison"
is "Re: Re: cut when the original is not in the archive" \
    "$(field 'armv7 since' subject)" "[pacman-dev] build fails on armv7"
unlike "... its signature left out" "$(field 'armv7 since' snippet)" "Bob Stone"
is "ombre's own e-mail: the French attribution, quote and signature left out at ingest" \
    "$(field 'Paul Durand' snippet)" "Je ne l'ai toujours pas."
is "... its subject from the conversation's title" \
    "$(field 'Paul Durand' subject)" "Facture 2031"
is "an SMS is no e-mail: no subject, its text as written" \
    "$(field '+33611111111' snippet)" $'> pas un mail\nLe colis ?'
is "... and no subject" "$(field '+33611111111' subject)" "None"

out=$(COLUMNS=200 "$OMBRE" list)
printf '%s\n' "$out" | sed 's/^/# /'
like "a row: the subject, then the snippet" "$out" \
    "Colis abîmé à la livraison - Voici les photos du carton"
like "... the list's subject" "$out" "Résumé de la réunion - Fine by me"
unlike "no attribution in a row" "$out" "a écrit|wrote:"
unlike "no quoted line in a row" "$out" "EM .*- >"
unlike "no signature in a row" "$out" "toofishes|06 12 34 56 78|01 23 45 67 89"
unlike "the subject's escape never reaches the terminal" "$out" $'\e'
like "... shown as a placeholder" "$out" "Urgent"

email_n=$("$OMBRE" list --view Email | wc -l)
is "the Email view lists the user's own mail and ombre's e-mail, not the SMS" \
    "$email_n" 6
is "... the Inbox all of them" "$("$OMBRE" list | wc -l)" 7

# --- the console -------------------------------------------------------------
command -v tmux >/dev/null || { skip "the console: tmux is not installed"; test_done; }
tmux_init email
quit() {
	local i
	tm send-keys -t t q
	for ((i = 0; i < 100; i++)); do
		tm has-session -t t 2>/dev/null || break
		sleep 0.05
	done
}
# sidebar_total VIEW: the view's total in the sidebar ("Email  7/7").
sidebar_total() {
	tm capture-pane -p -t t | sed -n "s/^$1  *[0-9]*\/\([0-9]*\) .*/\1/p"
}

tmux_start 120 30 "'$OMBRE'"
if wait_screen "Email +[0-9]+/[0-9]+"; then
	settle
	screen=$(tm capture-pane -p -t t)
	printf '%s\n' "$screen" | sed 's/^/# /'
	is "the sidebar's Email count is the conversations its list shows" \
	    "$(sidebar_total Email)" "$email_n"
	like "rows show the subject before the snippet" "$screen" \
	    "EM +1h Léa Martin .* Colis abîmé à la livr.* - Voici les"
	like "... the list's" "$screen" "\\[pacman-dev\\] \\[PATCH\\] mak.* - Looks"
	unlike "... never an attribution" "$screen" "a écrit|wrote:"
else
	ok "the sidebar shows the counts" false
	tm capture-pane -p -t t | sed 's/^/# /'
fi
# The patch's review: the second row.
tm send-keys -t t g j Enter
if wait_screen "20 quoted lines"; then
	settle
	screen=$(tm capture-pane -p -t t)
	printf '%s\n' "$screen" | sed 's/^/# /'
	like "the 20 quoted lines folded into one line naming the key" \
	    "$screen" "  \\[… 20 quoted lines: z to show\\]"
	unlike "... none of them shown" "$screen" "> makepkg currently accepts"
	like "... the answer under them shown" "$screen" "Looks good to me"
	like "a quote of 3 lines or fewer is not folded" "$screen" \
	    "On Wed, Nov 18, 2026 at 7:13 PM, Allan McRae"
else
	ok "the thread shows the folded quote" false
	tm capture-pane -p -t t | sed 's/^/# /'
fi
tm send-keys -t t z
if wait_screen "> makepkg currently accepts any pkgver"; then
	screen=$(tm capture-pane -p -t t)
	ok "z shows the quoted lines" true
	unlike "... the folded line gone" "$screen" "quoted lines: z"
	like "... said on the status line" "$screen" "quotes shown"
else
	ok "z shows the quoted lines" false
	tm capture-pane -p -t t | sed 's/^/# /'
fi
tm send-keys -t t z
ok "z again folds them" wait_screen "\\[… 20 quoted lines: z to show\\]"
like "... hidden again" "$(tm capture-pane -p -t t)" "quotes folded"
quit

# An email channel's query= leaves mail out: its view counts what it lists.
mnm tag +spam -- id:hostile-1@example.biz
printf 'channel mail email from="Support <support@example.com>" sendmail-command=true query="tag:inbox and not tag:spam"\n' >>"$CONFIG"
email_n=$("$OMBRE" list --view Email | wc -l)
is "query= leaves the spam out of the Email view" "$email_n" 5
tmux_start 120 30 "'$OMBRE'"
if wait_screen "Email +[0-9]+/[0-9]+"; then
	settle
	is "... and of its count" "$(sidebar_total Email)" "$email_n"
	is "... and of the Inbox's" "$(sidebar_total Inbox)" \
	    "$("$OMBRE" list | wc -l)"
else
	ok "the sidebar shows the counts" false
fi
quit

test_done
