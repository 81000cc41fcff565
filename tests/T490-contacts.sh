#!/usr/bin/env bash
# T490-contacts.sh: one customer across channels (issue 16). Amélie writes
# on WhatsApp, then by SMS from the same number, on Telegram (in French,
# says Telegram) and by e-mail; Bob on Telegram. The same phone number
# and, once an agent adds her address to her Telegram contact, the same
# e-mail are suggested as merges, never made; link merges, unlink undoes
# it; notes show in both conversations; contacts are files notmuch finds
# and no list, search, count or report sees; the language picks the
# bot's variant. Then the console: the thread shows her other
# conversation and the notes, o jumps to it, :contact-link links two.
. "$top_srcdir/tests/lib.sh"
test_init

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'channel tg telegram account=bot1 bot=shop-fr\n'
	printf "bot-answer shop-fr 'colis' 'Votre colis arrive demain.'\n"
	printf "bot-answer shop-en 'colis|parcel' 'Your parcel arrives tomorrow.'\n"
	# A view whose words only a contact's note has: counted 0.
	printf 'view Vip VIP\n'
} >"$CONFIG"
chmod 600 "$CONFIG"

# msg CHANNEL ACCOUNT CONV ID DATE NAME TEXT [LANG]
msg() {
	local lang=""
	[ -n "${8:-}" ] && lang=",\"lang\":\"$8\""
	printf '{"channel":"%s","account":"%s","conversation":{"id":"%s","title":"%s"},"id":"%s","date":"%s","from":{"id":"%s","name":"%s","kind":"customer"%s},"text":"%s"}\n' \
	    "$1" "$2" "$3" "$6" "$4" "$5" "$3" "$6" "$lang" "$7"
}
{
	msg whatsapp wa1 33612345678 w1 2026-11-20T09:00:00Z "Amélie Martin" "Bonjour, mon colis ?"
	msg sms +33700000000 +33612345678 s1 2026-11-20T09:30:00Z "+33612345678" "Toujours pas de colis"
	msg telegram bot1 424242 t1 2026-11-20T09:40:00Z "Amélie M" "Je réessaie ici" fr-FR
	msg email shop@example.fr amelie@example.com e1 2026-11-20T08:00:00Z "Amélie" "Commande 1234"
	msg telegram bot1 555 t2 2026-11-20T09:50:00Z "Bob" "hello"
} | "$OMBRE" ingest >/dev/null
# The short id `list` shows for a conversation id.
id() { "$OMBRE" list "property:\"ombre.conv-id=$1\"" | awk '{ print $1 }'; }
WA=$(id 33612345678)
SMS=$(id +33612345678)
TG=$(id 424242)
EM=$(id amelie@example.com)
BOB=$(id 555)
ok "five conversations" test -n "$WA" -a -n "$SMS" -a -n "$TG" -a -n "$EM" -a -n "$BOB"
before_report=$("$OMBRE" report --json --since 1d | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["messages"])')

# --- suggestions, never applied ---------------------------------------------
out=$("$OMBRE" contact list --suggest)
is "the same phone on WhatsApp and SMS is suggested" "$out" \
"same phone +33612345678
  sms:+33612345678 conversation $SMS
  whatsapp:33612345678 conversation $WA
  to merge: ombre contact link $SMS $WA"
is "... and not applied: no contact" "$("$OMBRE" contact list)" ""
is "--suggest --json" "$("$OMBRE" contact list --suggest --json)" \
"{\"suggest\":\"link\",\"key\":\"phone:+33612345678\",\"with\":[{\"contact\":null,\"identity\":\"sms:+33612345678\",\"conversation\":\"$SMS\"},{\"contact\":null,\"identity\":\"whatsapp:33612345678\",\"conversation\":\"$WA\"}]}"

# Telegram gives no address: an agent adds it to her contact by hand.
out=$("$OMBRE" contact set "$TG" identity=email:Amelie@Example.COM 2>&1)
like "set identity= makes her Telegram conversation's contact" "$out" "identity: mail:amelie@example.com"
TGC=$("$OMBRE" contact show "$TG" --json | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["id"])')
like "... with a stable id" "$TGC" "^c-[0-9a-f]{16}$"
like "the same e-mail is suggested" "$("$OMBRE" contact list --suggest)" \
"same e-mail amelie@example.com
  mail:amelie@example.com \\(contact $TGC\\) conversation $TG
  email:amelie@example.com conversation $EM
  to merge: ombre contact link $TG $EM"

# --- link, notes -------------------------------------------------------------
out=$("$OMBRE" contact link "$WA" "$SMS")
is "link merges the two conversations' contacts" "$?" 0
like "... one contact with both identities" "$out" $'linked: contact c-[0-9a-f]{16}  Amélie Martin\nidentity: whatsapp:33612345678\nidentity: sms:\\+33612345678'
out=$("$OMBRE" contact link "$SMS" "$WA" 2>&1)
is "linking them again: exit 1, said" "$?:$out" "1:ombre: contact: both are already Amélie Martin's"
"$OMBRE" contact note "$WA" "VIP" >/dev/null
CID=$("$OMBRE" contact show "$SMS" --json | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["id"])')
"$OMBRE" contact note "$CID" "refunded once in March" >/dev/null
out=$("$OMBRE" contact show "$SMS")
like "the notes show from the SMS conversation" "$out" $'note: VIP\nnote: refunded once in March'
like "... with both conversations, newest first" "$out" \
    "conversations: 2"$'\n'" +$SMS SM +[0-9a-z]+ \\+33612345678 +Toujours pas de colis"$'\n'" +$WA WA"
is "show --json" "$("$OMBRE" contact show "$WA" --json | "$PYTHON" -S -c '
import json, sys
c = json.load(sys.stdin)
print(c["id"] == sys.argv[1], c["identities"], c["notes"], [x["channel"] for x in c["conversations"]])' "$CID")" \
    "True ['whatsapp:33612345678', 'sms:+33612345678'] ['VIP', 'refunded once in March'] ['sms', 'whatsapp']"
is "the merge left no suggestion of the phone" "$("$OMBRE" contact list --suggest | grep -c phone)" 0
riskwhy() {
	"$OMBRE" list "property:\"ombre.conv-id=$1\"" --json | "$PYTHON" -S -c 'import json,sys
print(json.loads(sys.stdin.readline()).get("risk_why", ""))'
}
like "the public risk counts the other channel the person wrote on" \
    "$(riskwhy 33612345678)" "also wrote on another channel"
like "... in both conversations" "$(riskwhy +33612345678)" "also wrote on another channel"

# --- files notmuch finds, no conversation ------------------------------------
is "notmuch search tag:ombre/contact finds the two contacts" \
    "$(nm count tag:ombre/contact)" 2
is "... and by a note's word" "$(nm search --output=files tag:ombre/contact and VIP | wc -l)" 1
like "... property:ombre.kind=contact" "$(nm search --output=messages property:ombre.kind=contact)" "contact\\.c-"
is "ombre list: still the five conversations" "$("$OMBRE" list '*' | wc -l)" 5
is "a search for a note's word finds no conversation" "$("$OMBRE" list VIP)" ""
cthread=$(nm search --output=threads tag:ombre/contact and VIP)
out=$("$OMBRE" show "$cthread" 2>&1)
is "a contact's thread id names no conversation" "$?:$out" "1:ombre: show: no conversation ${cthread#thread:}"
is "report: the same messages" \
    "$("$OMBRE" report --json --since 1d | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["messages"])')" "$before_report"
"$OMBRE" doctor >/dev/null
is "doctor: the contact files are the store's" "$?" 0

# --- unlink ------------------------------------------------------------------
out=$("$OMBRE" contact unlink "$SMS" --json)
is "unlink: the contact keeps WhatsApp and the notes" "$("$PYTHON" -S -c '
import json, sys
c = json.loads(sys.argv[1]); print(c["identities"], c["notes"])' "$out")" \
    "['whatsapp:33612345678'] ['VIP', 'refunded once in March']"
is "... the SMS conversation is a person of its own again" \
    "$("$OMBRE" contact show "$SMS")" \
"no contact: a conversation of its own
identity: sms:+33612345678
conversations: 1
  $(printf '%6s' "$SMS") SM  30m +33612345678       Toujours pas de colis"
like "... and the phone is suggested again" "$("$OMBRE" contact list --suggest)" "same phone \\+33612345678"
is "unlinked, the risk no longer counts another channel" \
    "$(riskwhy 33612345678 | grep -c "another channel")$(riskwhy +33612345678 | grep -c "another channel")" 00
out=$("$OMBRE" contact unlink "$SMS" 2>&1)
is "unlinking it twice: exit 1" "$?" 1

# --- language -----------------------------------------------------------------
is "the language Telegram gave (fr-FR)" \
    "$("$OMBRE" contact show "$TG" --json | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["lang"])')" fr
"$OMBRE" contact set "$TG" lang=en >/dev/null
is "set lang=en: the contact's language wins" \
    "$("$OMBRE" contact show "$TG" --json | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["lang"])')" en
msg telegram bot1 424242 t3 2026-11-20T09:55:00Z "Amélie M" "et mon colis ?" fr | "$OMBRE" ingest >/dev/null
like "the bot shop-fr answers her as shop-en" "$("$OMBRE" show "$TG")" "Your parcel arrives tomorrow\\."
msg telegram bot1 555 t4 2026-11-20T09:56:00Z "Bob" "colis ?" | "$OMBRE" ingest >/dev/null
like "... and Bob, no language known, as shop-fr" "$("$OMBRE" show "$BOB")" "Votre colis arrive demain\\."
mkdir -p "$XDG_CONFIG_HOME/ombre/templates"
printf 'language: fr\n\nMerci {{customer.first_name}} !\n' >"$XDG_CONFIG_HOME/ombre/templates/thanks-fr"
printf 'language: en\n\nThank you {{customer.first_name}}!\n' >"$XDG_CONFIG_HOME/ombre/templates/thanks-en"
"$OMBRE" reply "$TG" --template thanks-fr >/dev/null
like "reply --template thanks-fr: her English variant" "$("$OMBRE" show "$TG")" "Thank you Amélie!"
"$OMBRE" reply "$BOB" --template thanks-fr >/dev/null
like "... Bob's: the template named" "$("$OMBRE" show "$BOB")" "Merci Bob !"
out=$("$OMBRE" contact set "$TG" lang=x 2>&1)
is "a bad language: exit 1, said" "$?:$out" "1:ombre: contact: 'x' is no language code (fr, en, pt-BR)"

# Hostile text stays text.
"$OMBRE" contact note "$BOB" $'\e[31mred\nidentity: sms:+33612345678' >/dev/null
out=$("$OMBRE" contact show "$BOB")
unlike "a note's escape never reaches the terminal" "$out" $'\e'
is "... nor its line break an identity" "$(grep -c '^identity: sms' <<<"$out")" 0

# --- the console -------------------------------------------------------------
"$OMBRE" contact link "$WA" "$SMS" >/dev/null
if command -v tmux >/dev/null; then
	tmux_init contacts
	tmux_start 80 24 "'$OMBRE'"
	wait_screen "Inbox"
	# The SMS conversation: third row (Bob, Amélie M, SMS, WA, e-mail).
	tm send-keys -t t g j j Enter
	if wait_screen "also: 1 WA"; then
		settle
		screen=$(tm capture-pane -p -t t)
		printf '%s\n' "$screen" | sed 's/^/# /'
		like "the thread's header: her notes" "$screen" "notes: refunded once in March · VIP"
		like "... her WhatsApp conversation, badge, age, snippet" "$screen" "also: 1 WA +[0-9]+[mh] Amélie Martin: Bonjour, mon colis \\?  \\(o: open\\)"
		tm send-keys -t t o
		if wait_screen "Amélie Martin +Amélie Martin \\(whatsapp\\)"; then
			screen=$(tm capture-pane -p -t t)
			like "o jumps to it, which lists the SMS one" "$screen" "also: 1 SM"
			like "... with the same notes" "$screen" "notes: refunded once in March · VIP"
		else
			ok "o jumps to the WhatsApp conversation" false
			tm capture-pane -p -t t | sed 's/^/# /'
		fi
		# :contact-link: the conversation open (hers on WhatsApp) and
		# Bob's are one person, the agent says.
		tm send-keys -t t ":contact-link $BOB" Enter
		for ((i = 0; i < 100; i++)); do
			[[ $("$OMBRE" contact show "$BOB") == *"identity: whatsapp:"* ]] && break
			sleep 0.05
		done
		like ":contact-link links the open conversation with CONV" \
		    "$("$OMBRE" contact show "$BOB")" "identity: whatsapp:33612345678"$'\n'"identity: sms:\\+33612345678"$'\n'"identity: telegram:555" ||
		    tm capture-pane -p -t t | sed 's/^/# /'
		wait_screen "also: 1 TG .* Bob: Merci Bob"
		like "... which the thread's header shows at once" \
		    "$(tm capture-pane -p -t t)" "also: 1 TG .* Bob: Merci Bob"
		like "... with Bob's hostile note, as placeholders" \
		    "$(tm capture-pane -p -t t)" "notes: .*\\^\\[\\[31mred\\^Jidentity"
		unlike "... whose escape never reached the terminal" \
		    "$(cat "$TEST_DIR/terminal.raw")" $'\e\\[31mred'
		unlike "... nor its line break" "$(cat "$TEST_DIR/terminal.raw")" \
		    $'red\nidentity'
	else
		ok "the thread shows her other conversation" false
		tm capture-pane -p -t t | sed 's/^/# /'
	fi
	# The console quits (Escape back to the list first, alone: Escape q
	# would be M-q).
	tm send-keys -t t Escape
	for ((i = 0; i < 100; i++)); do
		[[ $(tm capture-pane -p -t t) != *"> conversation"* ]] && break
		sleep 0.05
	done
	tm send-keys -t t q
	for ((i = 0; i < 100; i++)); do
		tm has-session -t t 2>/dev/null || break
		sleep 0.05
	done
	# The sidebar's counts (from 100 columns) leave contacts out.
	tmux_start 120 30 "'$OMBRE'"
	if wait_screen "Vip +[0-9]+/[0-9]+"; then
		settle
		like "the sidebar counts no contact: a view of a note's word" \
		    "$(tm capture-pane -p -t t)" "Vip +0/0"
	else
		ok "the sidebar shows the counts" false
		tm capture-pane -p -t t | sed 's/^/# /'
	fi
	tm send-keys -t t q
	for ((i = 0; i < 100; i++)); do
		tm has-session -t t 2>/dev/null || break
		sleep 0.05
	done
else
	skip "the console in tmux" "tmux is not installed"
fi

# --- doctor --fix: a contact stays a contact in a rebuilt index --------------
contacts=$(nm count tag:ombre/contact)
for f in "$DATA"/mail/.notmuch/xapian/*.glass; do echo broken >"$f"; done
"$OMBRE" doctor --fix >/dev/null 2>&1
is "doctor --fix, no dump: the contacts are contacts again" \
    "$(nm count tag:ombre/contact):$("$OMBRE" contact list | wc -l)" "$contacts:$contacts"
is "... and never a conversation" "$("$OMBRE" list '*' | wc -l)" 5

test_done
