#!/usr/bin/env bash
#
# '/' search results in the order of last activity, as the list (issue
# 17): a conversation whose matching message is old but which moved
# since comes first, ages shown in order; a phrase in quotes still
# searches as a phrase.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init search

now=$(date -d "$OMBRE_NOW" +%s)
# msg CONV NAME ID SECONDS-AGO TEXT
msg() {
	printf '{"channel":"telegram","account":"70","conversation":{"id":"%s","title":"%s"},"id":"%s","date":"%s","from":{"id":"%s","name":"%s","kind":"customer"},"text":"%s"}\n' \
	    "$1" "$2" "$3" "$(date -u -d @$((now - $4)) +%FT%TZ)" "$1" "$2" "$5"
}
{
	msg c1 "Alice" 1 $((3 * 86400)) "Je veux un remboursement"
	msg c1 "Alice" 2 600 "Merci d'avance"
	msg c2 "Bruno" 1 3600 "Remboursement svp"
	msg c3 "Chloé" 1 $((2 * 86400)) "Et mon remboursement ?"
	msg c4 "David" 1 300 "Bonjour"
} | "$OMBRE" ingest >/dev/null || { echo "Bail out! ingest failed"; exit 1; }

screen() { tm capture-pane -p -t t; }
# The customers of the list's first rows, in order.
names() { screen | head -n "$1" | cut -c 9-24 | awk '{ print $1 }' | tr '\n' ' '; }

tmux_start 80 24 "'$OMBRE'; sleep 60"
ok "the console shows the Inbox" wait_screen "Inbox +4 conversations"
is "the Inbox: newest activity first" "$(names 4)" "David Alice Bruno Chloé "
tm send-keys -t t / remboursement Enter
ok "/remboursement finds three" wait_screen "/remboursement +3 conversations" 5 ||
    diag "$(screen)"
is "in the order of their last activity, not of the matching message" \
    "$(names 3)" "Alice Bruno Chloé " || diag "$(screen)"
like "their ages in order" "$(screen | head -n 3 | cut -c 4-7 | tr -s ' \n' ' ')" \
    "^ ?10m 1h 2d $"
tm send-keys -t t / '"un remboursement"' Enter
ok "a phrase in quotes finds only Alice's" \
    wait_screen '/"un remboursement" +1 conversation' 5 || diag "$(screen)"
like "Alice's" "$(names 1)" "^Alice "
test_done
