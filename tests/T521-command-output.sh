#!/usr/bin/env bash
#
# The ':' prompt shows the whole output of a command that prints several
# lines in the pager (list-keys, show-options), searchable; one line stays
# on the status line.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init cmdout

"$OMBRE" --demo list --limit 1 >/dev/null || { echo "Bail out! no demo store"; exit 1; }
"$OMBRE" -e list-keys >keys.txt
first=$(head -n 1 keys.txt)
last=$(tail -n 1 keys.txt)
tmux_start 80 24 "'$OMBRE' --demo --no-traffic; sleep 60"
wait_screen " Inbox +[0-9]+ conversations" 10 || { echo "Bail out! no console"; exit 1; }

quote() { sed 's/[][\.*^$?!+()|{}]/\\&/g' <<<"$1"; }
tm send-keys -t t : list-keys Enter
ok ":list-keys opens the pager with its lines" \
    wait_screen "^:list-keys +\($(wc -l <keys.txt) lines" 3
like "its first line first" "$(tm capture-pane -p -t t | sed -n 2p)" "^$(quote "$first")\$"
tm send-keys -t t G
ok "G shows its last line" wait_screen "$(quote "$last")"$'\n'" Help" 3
tm send-keys -t t g / 'reply-editor' Enter
ok "/ searches it as any pager" \
    wait_screen $'^:list-keys[^\n]*\nbind -T root +E reply-editor' 3
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t : show-options Enter
ok ":show-options too" wait_screen "^:show-options +\([0-9]+ lines" 3
like "with every option, one a line" "$(tm capture-pane -p -t t)" $'\nalert.bell on\n'
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t : agent Enter
ok "a command of one line keeps the status line" \
    wait_screen "conversations +tester" 3
tm send-keys -t t q
test_done
