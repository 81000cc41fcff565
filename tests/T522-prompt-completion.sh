#!/usr/bin/env bash
#
# Prompts complete what they ask for with Tab: the agents at A's prompt
# (the store's assignees), the store's labels at l's, a view's name after
# :show-view.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init complete

"$OMBRE" --demo list --limit 1 >/dev/null || { echo "Bail out! no demo store"; exit 1; }
tmux_start 80 24 "'$OMBRE' --demo --no-traffic; sleep 60"
wait_screen " Inbox +[0-9]+ conversations" 10 || { echo "Bail out! no console"; exit 1; }

tm send-keys -t t A ma Tab
ok "A's prompt completes an agent the store knows" \
    wait_screen "assign to: malik" 3
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t l ref Tab
ok "l's prompt completes a label already in the store" \
    wait_screen "label: refund" 3
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t : 'show-view Nee' Tab
ok "a view's name after show-view, quoted for its space" \
    wait_screen ":show-view 'Needs human'" 3
tm send-keys -t t Enter
ok "and Enter shows it" wait_screen " Needs human +[0-9]+" 3
tm send-keys -t t : 'show-view In' Tab Enter
ok "one word: completed and shown" wait_screen " Inbox +[0-9]+ conversations" 3
tm send-keys -t t q
test_done
