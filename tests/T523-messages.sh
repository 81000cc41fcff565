#!/usr/bin/env bash
#
# Config errors show in the console at start ("3 errors in config: see
# :messages") and :messages lists every line logged in this run, with its
# time and level, errors of the running console included; nothing of it
# is written over the screen.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init messages

"$OMBRE" --demo list --limit 1 >/dev/null || { echo "Bail out! no demo store"; exit 1; }
mkdir -p "$XDG_CONFIG_HOME/ombre"
printf 'bnid x y\nset nosuch.option 3\nbind\n' >"$XDG_CONFIG_HOME/ombre/config"
tmux_start 100 24 "'$OMBRE' --demo --no-traffic; sleep 60"
ok "the status line counts the config's errors" \
    wait_screen " Inbox +[0-9]+ conversations +3 errors in config: see :messages" 10
unlike "no error line is written over the screen" \
    "$(tm capture-pane -p -t t)" "ombre: "

tm send-keys -t t : no-such-command Enter
wait_screen "unknown command: no-such-command" 3
tm send-keys -t t : messages Enter
ok ":messages opens the pager" wait_screen "^Messages of this run" 3
screen=$(tm capture-pane -p -t t)
like "with the first error, its file and line" "$screen" \
    "[0-9-]+ [0-9:]+ error +[^ ]*/config:1: unknown command: bnid"
like "the second" "$screen" "error +[^ ]*/config:2: unknown option: nosuch.option"
like "the third" "$screen" "error +[^ ]*/config:3: usage: bind"
like "and an error of the running console" "$screen" \
    "error +unknown command: no-such-command"
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t q

# A clean config says nothing.
rm "$XDG_CONFIG_HOME/ombre/config"
tm kill-server
tmux_start 100 24 "'$OMBRE' --demo --no-traffic; sleep 60"
wait_screen " Inbox +[0-9]+ conversations" 10
settle
unlike "no config error: no count" "$(tm capture-pane -p -t t)" "errors? in config"
tm send-keys -t t q
test_done
