#!/usr/bin/env bash
#
# A $EDITOR that does not run (misspelt, not installed) names the command
# that failed and why, on the status line and in :messages; the text is
# kept as it was.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init editor

"$OMBRE" --demo list --limit 1 >/dev/null || { echo "Bail out! no demo store"; exit 1; }
tmux_start 140 24 "EDITOR=nonexistent-editor '$OMBRE' --demo --no-traffic; sleep 60"
wait_screen " Inbox +[0-9]+ conversations" 10 || { echo "Bail out! no console"; exit 1; }

tm send-keys -t t Enter
wait_screen "conversation +Esc back" 3
tm send-keys -t t E
ok "the status line names the command and the variable" \
    wait_screen "the editor nonexistent-editor from \\\$EDITOR failed \(command not found\)" 5
like "and says the text is kept" "$(tm capture-pane -p -t t)" "the text is as it was"
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t : messages Enter
ok ":messages keeps it" \
    wait_screen "error +the editor nonexistent-editor from \\\$EDITOR failed" 3
tm send-keys -t t Escape
sleep 0.3

# An editor that runs but fails: its exit status.
tm send-keys -t t q
tm kill-server
printf '#!/bin/sh\nexit 3\n' >failing-editor
chmod +x failing-editor
tmux_start 140 24 "VISUAL='$TEST_DIR/failing-editor' '$OMBRE' --demo --no-traffic; sleep 60"
wait_screen " Inbox +[0-9]+ conversations" 10
tm send-keys -t t Enter
wait_screen "conversation +Esc back" 3
tm send-keys -t t E
ok "an editor that fails: \$VISUAL named, its exit status given" \
    wait_screen "from \\\$VISUAL failed \(exit status 3\)" 5
tm send-keys -t t q
test_done
