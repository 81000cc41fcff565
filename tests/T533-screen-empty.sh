#!/usr/bin/env bash
#
# An empty store says what to do in the list pane (issue 17), wrapped at
# a space to 80 columns; the first conversation replaces the hint, and a search
# that finds nothing in a store with conversations does not show it.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init empty

screen() { tm capture-pane -p -t t; }
tmux_start 80 24 "'$OMBRE'; sleep 60"
ok "the console starts on an empty store" wait_screen "Inbox +0 conversations"
ok "the list pane says what to do" \
    wait_screen $'No conversations yet: declare a channel \\(man[ \n]+ombre.conf,[ \n]+COMMANDS:[ \n]+channel\\),[ \n]+or[ \n]+try[ \n]+ombre[ \n]+--demo' 5 ||
    diag "$(screen)"
# The section it names is one of the page's, and documents the command.
. "$top_srcdir/tests/man-lib.sh"
name=$(screen | tr -s '\n ' '  ' |
    sed -n 's/.*(man ombre\.conf, \([A-Z][A-Z ]*\): channel).*/\1/p')
is "the hint names a section" "$name" COMMANDS
text=$(awk -v sh=".SH $name" '$0 == sh { inside = 1; next }
    /^\.SH / { inside = 0 } inside' "$man5")
like "man ombre.conf has that section, and the channel command is in it" \
    "$text" $'\n\\\\fBchannel\\\\fR \\\\fINAME TYPE'

json_line telegram 70 c1 m1 2026-11-20T09:50:00Z u1 customer "Bonjour" |
    "$OMBRE" ingest >/dev/null
ok "the first conversation shows" wait_screen "Inbox +1 conversation" 10
unlike "and the hint is gone" "$(screen)" "No conversations yet"
tm send-keys -t t / nothingmatcheshere Enter
ok "a search that finds nothing" wait_screen "no conversation matches" 5
unlike "says so on the status line, without the empty store's hint" \
    "$(screen)" "No conversations yet"
test_done
