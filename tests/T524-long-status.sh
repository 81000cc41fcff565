#!/usr/bin/env bash
#
# A long status message is never cut before its reason: it goes on over
# the row above the status line, and one longer than two rows opens whole
# in the pager.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init longstatus

"$OMBRE" --demo list --limit 1 >/dev/null || { echo "Bail out! no demo store"; exit 1; }
tmux_start 80 24 "'$OMBRE' --demo --no-traffic; sleep 60"
wait_screen " Inbox +[0-9]+ conversations" 10 || { echo "Bail out! no console"; exit 1; }

# snooze's refusal names the forms it takes last.
tm send-keys -t t s whenever Enter
ok "a message wider than the status line goes on over two rows" \
    wait_screen $'\n Inbox +[0-9]+ conversations +snooze: [^\n]*\n[^\n]*2026-12-01 9:00' 3
screen=$(tm capture-pane -p -t t)
like "its end, the reason's last words, on the last row" \
    "$(sed -n 24p <<<"$screen")" "2026-12-01 9:00\$"
tm send-keys -t t : agent Enter
wait_screen "conversations +tester" 3
like "the next message gives the row back to the list" \
    "$(tm capture-pane -p -t t | sed -n 23p)" "^ [A-Z][A-Z] "

# Longer than two rows: the pager, whole.
long=/nowhere/$(printf 'a-very-long-directory-name/%.0s' 1 2 3 4 5 6)config
tm send-keys -t t : "source $long" Enter
ok "a message longer than two rows opens in the pager" \
    wait_screen "^Error \(Escape closes\)" 3
like "with its reason, never cut" "$(tm capture-pane -p -t t)" \
    "No such file or directory"
like "the status line says where it is" "$(tm capture-pane -p -t t | tail -n 1)" \
    "the error above, whole"
tm send-keys -t t Escape
ok "Escape closes it" wait_screen " Inbox +[0-9]+ conversations" 3
tm send-keys -t t q
test_done
