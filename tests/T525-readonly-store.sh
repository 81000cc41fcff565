#!/usr/bin/env bash
#
# A store the agent may read but not write (a team's store whose group or
# mode leaves them out) says so in words, naming the directory to check,
# never Xapian's exception about its lock file: from the command line and
# on the console's status line. Run as a real other user: as root through
# setpriv as nobody (root writes anything), else with the index's mode.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init readonly

"$OMBRE" demo --conversations 5 --out "$DATA" >/dev/null ||
    { echo "Bail out! no store"; exit 1; }
conv=$("$OMBRE" list --json | head -n 1 | sed 's/^{"id":"\([0-9]*\)".*/\1/')
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip_all "root without setpriv"
	# Other users may read it all (a group member's view), not write.
	chmod 755 "$TEST_DIR"
	chmod -R a+rX "$TEST_DIR"
	as_other() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	chmod -R a-w "$DATA/mail/.notmuch/xapian"
	as_other() { "$@"; }
fi

as_other "$OMBRE" tag "$conv" +vip 2>err
is "the write fails" "$?" 1
like "in words: read-only for you, the directory to check" "$(cat err)" \
    "the database is read-only for you: check the group and mode of $DATA"
unlike "not Xapian's exception" "$(cat err)" "Xapian|lockfile|\\^J"
as_other "$OMBRE" list >/dev/null 2>&1
is "reading it still works" "$?" 0

# The console reads it, and says the same when a key writes.
tmux_start 100 24 "$(declare -f as_other); as_other '$OMBRE'; sleep 60"
ok "the console opens on it" wait_screen " Inbox +[0-9]+ conversations" 10
tm send-keys -t t u
ok "a write from a key says so on the status line" \
    wait_screen $'the database is read-only for you: check the group and[ \n]+mode' 10 ||
    diag "$(tm capture-pane -p -t t | tail -n 2)"
unlike "without Xapian's words" "$(tm capture-pane -p -t t)" "Xapian|lockfile"
tm send-keys -t t : messages Enter
ok "and :messages keeps it" \
    wait_screen $'\n[0-9-]+ [0-9:]+ error +[^\n]*read-only for you' 3
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t q
[ "$(id -u)" = 0 ] || chmod -R u+w "$DATA"
test_done
