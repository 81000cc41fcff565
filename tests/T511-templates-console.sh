#!/usr/bin/env bash
# T511-templates-console.sh: canned replies in the console at 80x24 (issue
# 17). C-t opens a picker: typing filters it (name, shortcut, text), a
# preview shows the template filled in for this conversation, each row
# the channels it is for. Enter inserts at the composer's cursor, between
# what was typed, so two snippets build one reply; ;SHORTCUT then Tab
# expands in place. A template with no value for a variable and no
# fallback is refused with the reason on the status line: an SMS
# customer's number is never a first name.
. "$top_srcdir/tests/lib.sh"
test_init
tmux_init templates

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'channel tg telegram account=bot1\n'
	printf 'set template.language en\n'
} >"$CONFIG"
chmod 600 "$CONFIG"
TPL=$XDG_CONFIG_HOME/ombre/templates
mkdir -p "$TPL"
cp "$top_srcdir"/contrib/templates/* "$TPL/"
printf 'channels: sms telegram\n\nBonjour {{customer.first_name}} !\n' >"$TPL/hi"
printf 'channels: whatsapp\n\nStill there?\n' >"$TPL/wa-only"
# Hostile bytes in a template: text on the screen, never a sequence.
printf '\nZz \033]0;owned\007 {{channel}}\n' >"$TPL/zz-evil"

msg() {
	printf '{"channel":"%s","account":"%s","conversation":{"id":"%s","title":"%s"},"id":"%s","date":"%s","from":{"id":"%s","name":"%s","kind":"customer"},"text":"%s"}\n' \
	    "$1" "$2" "$3" "$6" "$4" "$5" "$3" "$6" "$7"
}
{
	msg telegram bot1 555 t1 2026-11-20T09:50:00Z "Bob Smith" "where is my order?"
	msg sms +33700000000 +33683422787 s1 2026-11-20T09:30:00Z "+33683422787" "Toujours rien"
} | "$OMBRE" ingest >/dev/null
BOB=$("$OMBRE" list "property:\"ombre.conv-id=555\"" | awk '{ print $1 }')

screen() { tm capture-pane -p -t t; }
shot() { screen | sed 's/^/# /'; }

tmux_start 80 24 "'$OMBRE'"
wait_screen "Inbox"
# Bob's conversation is the newest: the first row.
tm send-keys -t t g Enter
wait_screen "Esc back"
tm send-keys -t t r
ok "the composer opens" wait_screen "Reply on telegram" || shot
tm send-keys -t t -l 'AAA BBB'
tm send-keys -t t Left Left Left
settle

# --- the picker ---------------------------------------------------------------
tm send-keys -t t C-t
ok "C-t opens the picker over the conversation" \
    wait_screen $'Template: _  11 of 11  Up/Down  Enter insert  Esc cancel\n closing ' || shot
tm send-keys -t t -l 'wa'
ok "typing filters it; a row says the channels it is not for" \
    wait_screen $'Template: wa_  [0-9]+ of 11[^\n]*\n wa-only +WA +\\(not for telegram\\) Still there\\?' || shot
tm send-keys -t t C-u
tm send-keys -t t -l 'zz'
ok "a template's hostile bytes show as placeholders, in its row and preview" \
    wait_screen $' zz-evil +all +Zz \\^\\[\\]0;owned\\^G \\{\\{channel\\}\\}\n(.*\n)* Zz \\^\\[\\]0;owned\\^G telegram' || shot
tm send-keys -t t -l 'qq'
ok "nothing matches: said" wait_screen "no template matches" || shot
tm send-keys -t t C-u
tm send-keys -t t -l 'bye'
ok "the shortcut finds it; the preview is filled in for Bob (template.language en)" \
    wait_screen $'Template: bye_  1 of 11[^\n]*\n closing +bye +en fr +all +Glad I could help[^\n]*\n(.*\n)* Preview: closing.en for Bob Smith  channels: all\n Glad I could help, Bob! I am closing' || shot
tm send-keys -t t Enter
ok "Enter inserts it at the cursor, between what was typed" \
    wait_screen "AAA Glad I could help, Bob! I am closing" || shot
like "... the rest after it" "$(screen)" "Have a nice day!BBB"
like "... and the status line says which" "$(screen | tail -n 1)" "template closing inserted"

# --- ;shortcut then Tab: a second snippet in the same reply --------------------
tm send-keys -t t -l ' ;order'
tm send-keys -t t Tab
ok ";order then Tab expands the template in place" \
    wait_screen 'To find your order,' || shot
like "... at the cursor: the first snippet and the rest stay" "$(screen)" '"CMD-"\.BBB'
unlike "... ;order is gone" "$(screen)" ';order'
tm send-keys -t t C-s
ok "sent" wait_screen "reply queued" 5 || shot
text=$("$OMBRE" show --json "$BOB" | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("kind") == "agent":
        print(m["text"])')
is "the reply stored: both snippets where the cursor was" "$text" \
    'AAA Glad I could help, Bob! I am closing this conversation; if you have any other question, just write to us here. Have a nice day! To find your order, could you send me its number? It is in your confirmation e-mail and starts with "CMD-".BBB'

# --- a refused insert: no name, no fallback -----------------------------------
unlike "the picker never showed a raw escape" "$(cat "$TEST_DIR/terminal.raw")" $'\e\\]0;owned'

tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t j Enter
wait_screen "Toujours rien"
tm send-keys -t t r
wait_screen "Reply on sms" || shot
tm send-keys -t t C-t
tm send-keys -t t -l 'hi'
ok "the preview says why it would be refused" \
    wait_screen $'Preview: hi for \\+33683422787  channels: sms telegram\n refused: template hi: no \\{\\{customer.first_name\\}\\} here \\("\\+33683422787" is[[:space:]]+not[[:space:]]+a name\\) and no fallback' || shot
tm send-keys -t t Enter
ok "Enter: the reason on the status line" \
    wait_screen 'Esc back  template hi: no \{\{customer.first_name\}\} here' || shot
unlike "... and nothing inserted: never Bonjour +336..." "$(screen)" 'Bonjour \+33'
tm send-keys -t t C-u
tm send-keys -t t -l 'greet'
tm send-keys -t t Enter
ok "a template with a fallback goes in: Hello and welcome" \
    wait_screen "Hello and welcome! I am tester from customer support" || shot
unlike "... the picker is closed" "$(screen)" 'Template: '
test_done
