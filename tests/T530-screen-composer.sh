#!/usr/bin/env bash
#
# The composer at 80x24 (issue 17): a customer's long message, then r.
# The composer takes at most a third of the screen (8 of 24 rows) however
# much is typed, and the thread scrolls so that the newest message's last
# line stays the last line above it; opening the composer after scrolling up
# brings that line back.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init composer80

now=$(date -d "$OMBRE_NOW" +%s)
at() { date -u -d @$((now - $1)) +%FT%TZ; }
long="Bonjour, je vous écris au sujet de ma commande."
for i in $(seq 1 30); do
	long+=$'\n'"Ligne $i : le colis n'est toujours pas arrivé et personne ne répond au téléphone."
done
long+=$'\n'"FIN DU MESSAGE, merci de me répondre vite."
{
	json_line whatsapp 15550001 wa-long w1 "$(at 7200)" 3361 customer "Bonjour ?"
	json_line whatsapp 15550001 wa-long w2 "$(at 600)" 3361 customer "$long"
} | "$OMBRE" ingest >/dev/null
mkdir -p "$XDG_CONFIG_HOME/ombre"
printf 'channel wa whatsapp account=15550001\n' >"$XDG_CONFIG_HOME/ombre/config"
chmod 600 "$XDG_CONFIG_HOME/ombre/config"

screen() { tm capture-pane -p -t t; }
# The row (1-based) of the composer's header, of the newest message's last
# line, and of the last line of text above the composer (a blank line
# ends each message).
header_row() { screen | grep -n '^Reply on whatsapp' | head -n 1 | cut -d: -f1; }
last_row() { screen | grep -n 'FIN DU MESSAGE' | tail -n 1 | cut -d: -f1; }
above_row() {
	screen | head -n $(($(header_row) - 1)) | grep -n '[^ ]' | tail -n 1 |
	    cut -d: -f1
}
# The composer's rows: from its header to the status line (row 24).
composer_rows() { echo $((24 - $(header_row))); }

tmux_start 80 24 "'$OMBRE'; sleep 60"
ok "the console shows the conversation" wait_screen "Inbox +1 conversation"
tm send-keys -t t Enter
ok "Enter opens it at its end: the newest message's last line" \
    wait_screen "FIN DU MESSAGE"
tm send-keys -t t r
ok "r opens the composer" wait_screen $'\nReply on whatsapp' 5 || diag "$(screen)"
settle
is "the newest message's last line is the last line above the composer" \
    "$(last_row)" "$(above_row)" || diag "$(screen)"
ok "the composer takes at most 8 of the 24 rows" test "$(composer_rows)" -le 8

# Many lines typed: the composer stops at a third, the thread keeps its end.
for i in $(seq 1 12); do
	tm send-keys -t t -l "réponse $i"
	tm send-keys -t t Enter
done
ok "what is typed shows" wait_screen $'réponse 12\n' 5 || diag "$(screen)"
settle
ok "twelve lines typed: still at most 8 rows" test "$(composer_rows)" -le 8 ||
    diag "$(screen)"
is "and the newest message's last line still the last line above it" \
    "$(last_row)" "$(above_row)" || diag "$(screen)"

# Escape keeps the draft; scrolled up, the end goes out of view; r again
# brings it back above the composer.
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t g
ok "g scrolls the thread to its top" wait_screen $'\n +Bonjour \\?\n' 5 || diag "$(screen)"
tm send-keys -t t r
ok "r opens the composer again, with the draft" wait_screen $'réponse 12\n' 5
settle
is "scrolled back: the newest message's last line above the composer" \
    "$(last_row)" "$(above_row)" || diag "$(screen)"
test_done
