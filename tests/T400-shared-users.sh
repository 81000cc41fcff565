#!/usr/bin/env bash
#
# One shared server, two real Unix users: a data dir made as the README
# says (install -d -m 2770 -g GROUP), each agent in turn ingests, tags,
# replies, keeps a draft in the console, runs the syncer and the doctor,
# with umask 007 and with 022; every step works for both, each sees what
# the other did, and nothing under the data dir ends up out of the group's
# reach. A file made wrong on purpose is named by the next write (not "A
# Xapian exception occurred"), by doctor, and fixed by doctor --fix.
#
# Needs root (the users are created here, and removed at exit).

. "$top_srcdir/tests/lib.sh"
[ "$(id -u)" = 0 ] || skip_all "not root: cannot create two Unix users"
for c in groupadd useradd userdel groupdel runuser tmux; do
	command -v "$c" >/dev/null || skip_all "$c is missing"
done
test_init

G=omb$$x
A=${G}a
B=${G}b
C=${G}c
share_cleanup() {
	local u
	for u in "$A" "$B" "$C"; do
		runuser -u "$u" -- tmux -L "t400-$u" kill-server 2>/dev/null
		userdel "$u" 2>/dev/null
	done
	groupdel "$G" 2>/dev/null
	test_cleanup
}
trap share_cleanup EXIT
groupadd "$G" || skip_all "groupadd failed"
useradd -M -N -g "$G" -s /bin/sh -d "$TEST_DIR/home-$A" "$A" &&
    useradd -M -N -g "$G" -s /bin/sh -d "$TEST_DIR/home-$B" "$B" ||
    skip_all "useradd failed"
chmod 755 "$TEST_DIR"
runuser -u "$A" -- test -x "$OMBRE" ||
    skip_all "$OMBRE cannot be run by another user (a private parent folder)"

# Each agent's own config: a demo channel that sends every reply.
for u in "$A" "$B"; do
	mkdir -p "$TEST_DIR/home-$u/config/ombre"
	printf 'channel shop demo deliver=all\n' \
	    >"$TEST_DIR/home-$u/config/ombre/config"
	chmod 600 "$TEST_DIR/home-$u/config/ombre/config"
	chown -R "$u" "$TEST_DIR/home-$u"
done

# as USER UMASK COMMAND...: run as that agent, on the shared data dir.
as() {
	local u=$1 m=$2
	shift 2
	runuser -u "$u" -- env HOME="$TEST_DIR/home-$u" \
	    XDG_CONFIG_HOME="$TEST_DIR/home-$u/config" \
	    XDG_DATA_HOME="$TEST_DIR/home-$u/data" \
	    XDG_CACHE_HOME="$TEST_DIR/home-$u/cache" \
	    XDG_RUNTIME_DIR="$TEST_DIR/home-$u/run" \
	    USER="$u" LOGNAME="$u" OMBRE_DATA_DIR="$SHARED" TERM=xterm \
	    sh -c 'umask "$0"; exec "$@"' "$m" "$@"
}
conv_of() {	# CUSTOMER: the conversation's key, as the agent sees it
	as "$1" "$2" "$OMBRE" list --json "from:$3" | jq_py 'j["id"]'
}
# The files the group could not write or that left the group.
not_shared() {
	find "$SHARED" \( ! -perm -g+rw -o ! -group "$G" \) -printf '%P %m\n'
	find "$SHARED" -type d ! -perm -2070 -printf '%P %m\n'
}

# A draft kept in the console (r, text, Esc) by agent USER.
console_draft() {
	local u=$1 m=$2 conv=$3 text=$4 i screen
	as "$u" "$m" tmux -L "t400-$u" -f /dev/null new-session -d -s t \
	    -x 100 -y 30 "'$OMBRE'; sleep 60"
	for ((i = 0; i < 100; i++)); do
		screen=$(as "$u" "$m" tmux -L "t400-$u" capture-pane -p -t t)
		[[ $screen =~ Inbox ]] && break
		sleep 0.1
	done
	as "$u" "$m" tmux -L "t400-$u" send-keys -t t Enter
	sleep 0.5
	as "$u" "$m" tmux -L "t400-$u" send-keys -t t r
	sleep 0.5
	as "$u" "$m" tmux -L "t400-$u" send-keys -t t -l "$text"
	sleep 0.3
	as "$u" "$m" tmux -L "t400-$u" send-keys -t t Escape
	for ((i = 0; i < 50; i++)); do
		screen=$(as "$u" "$m" tmux -L "t400-$u" capture-pane -p -t t)
		[[ $screen =~ "draft kept" ]] && break
		sleep 0.1
	done
	as "$u" "$m" tmux -L "t400-$u" kill-server
	printf '%s\n' "$screen"
}

for m in 007 022; do
	SHARED=$TEST_DIR/srv-$m
	install -d -m 2770 -g "$G" "$SHARED"
	n=0
	for u in "$A" "$B"; do
		n=$((n + 1))
		json_line telegram 7012345678 "$n$m" "$n$m" 2026-11-20T09:0$n:00Z \
		    "$n$m" customer "Bonjour de la part de $u" >"$TEST_DIR/in-$u"
		chmod 644 "$TEST_DIR/in-$u"
		out=$(as "$u" "$m" "$OMBRE" ingest <"$TEST_DIR/in-$u" 2>&1)
		ok "umask $m: $u ingests" test $? -eq 0 || diag "$out"
		conv=$(conv_of "$u" "$m" "$n$m")
		out=$(as "$u" "$m" "$OMBRE" tag "+seen-$u" -- '*' 2>&1)
		ok "umask $m: $u tags every conversation" test $? -eq 0 ||
		    diag "$out"
		out=$(as "$u" "$m" "$OMBRE" reply "$conv" --text "Je regarde, $u" 2>&1)
		like "umask $m: $u replies" "$out" '^out\.[0-9a-f-]{36} queued$'
		out=$(as "$u" "$m" "$OMBRE" reply "$conv" --note --text "note de $u" 2>&1)
		like "umask $m: $u notes" "$out" '^out\.[0-9a-f-]{36} noted$'
		screen=$(console_draft "$u" "$m" "$conv" "brouillon de $u")
		like "umask $m: $u keeps a draft in the console" "$screen" \
		    'draft kept' || diag "$screen"
		ok "umask $m: $u's draft is a file" \
		    test -n "$(ls "$SHARED/drafts/$u" 2>/dev/null)"
		out=$(as "$u" "$m" timeout 30 "$OMBRE" sync --once 2>&1)
		ok "umask $m: $u runs the syncer" test $? -eq 0 || diag "$out"
		out=$(as "$u" "$m" "$OMBRE" doctor 2>&1)
		ok "umask $m: $u's doctor finds nothing wrong" test $? -eq 0 ||
		    diag "$out"
	done
	# Each sees the other's conversation, tags and replies.
	for u in "$A" "$B"; do
		# A tagged its one conversation, B both.
		is "umask $m: $u sees $A's tag" \
		    "$(as "$u" "$m" "$OMBRE" list --json "tag:seen-$A" | wc -l)" 1
		is "umask $m: $u sees $B's tags" \
		    "$(as "$u" "$m" "$OMBRE" list --json "tag:seen-$B" | wc -l)" 2
		out=$(as "$u" "$m" "$OMBRE" show "$(conv_of "$u" "$m" 1$m)")
		like "umask $m: $u sees $A's reply" "$out" "Je regarde, $A"
		out=$(as "$u" "$m" "$OMBRE" show "$(conv_of "$u" "$m" 2$m)")
		like "umask $m: $u sees $B's note" "$out" "note de $B"
	done
	is "umask $m: every file and folder is the group's, group-writable" \
	    "$(not_shared)" ""
done

# --- a file made wrong on purpose ----------------------------------------
SHARED=$TEST_DIR/srv-022
bad=mail/.notmuch/xapian/postlist.glass
owner=$(stat -c %U "$SHARED/$bad")
chmod 640 "$SHARED/$bad"
[ "$owner" = "$A" ] && who=$B || who=$A
out=$(as "$who" 022 "$OMBRE" tag +again -- '*' 2>&1)
ok "a write by the other agent fails" test $? -ne 0
like "naming the file, its mode and the way out" "$out" \
    "$SHARED/$bad: mode 0640, the group $G cannot write it: run ombre doctor --fix as $owner \\(its owner\\) or root"
unlike "not a Xapian exception" "$out" "Xapian"
out=$(as "$who" 022 "$OMBRE" doctor 2>&1)
ok "the other agent's doctor says so" test $? -eq 1
like "naming it" "$out" "problem: $bad: mode 0640, needs 0660"
out=$(as "$who" 022 "$OMBRE" doctor --fix 2>&1)
like "the other agent's --fix names who may fix it" "$out" \
    "$bad: only its owner may change it: run ombre doctor --fix as $owner or root"
out=$(as "$owner" 022 "$OMBRE" doctor --fix 2>&1)
ok "the owner's doctor --fix fixes it" test $? -eq 0 || diag "$out"
is "mode 0660" "$(stat -c %a "$SHARED/$bad")" 660
out=$(as "$who" 022 "$OMBRE" tag +again -- '*' 2>&1)
ok "the other agent writes again" test $? -eq 0 || diag "$out"

# notmuch itself makes its folders 0755 less the umask: after a notmuch
# compact by one agent, xapian/ is drwxr-s---, and the other's writes
# fail. They are told why, and the owner's next ombre command gives the
# folder back to the group.
as "$A" 007 "$NOTMUCH" --config="$SHARED/notmuch-config" compact >/dev/null 2>&1
is "notmuch compact leaves xapian/ 2750" \
    "$(stat -c %a "$SHARED/mail/.notmuch/xapian")" 2750
out=$(as "$B" 022 "$OMBRE" tag +after-compact -- '*' 2>&1)
like "the other agent's write names it" "$out" \
    "$SHARED/mail/.notmuch/xapian: mode 2750, the group $G cannot write it: run ombre doctor --fix as $A"
as "$A" 007 "$OMBRE" list >/dev/null 2>&1
is "the owner's next command gives it back to the group" \
    "$(stat -c %a "$SHARED/mail/.notmuch/xapian")" 2770
out=$(as "$B" 022 "$OMBRE" tag +after-compact -- '*' 2>&1)
ok "the other agent writes again" test $? -eq 0 || diag "$out"

# Root's doctor --fix repairs what anyone owns, in the group.
chmod 2700 "$SHARED/drafts/$A"
touch "$SHARED/stray-by-root"
chgrp root "$SHARED/stray-by-root"
out=$(as "$B" 022 "$OMBRE" doctor 2>&1)
like "a folder the group cannot enter is named" "$out" \
    "problem: drafts/$A: mode 2700, needs 2770"
like "and a file in another group" "$out" \
    "problem: stray-by-root: group 0, not the data dir's group"
out=$(OMBRE_DATA_DIR=$SHARED "$OMBRE" doctor --fix 2>&1)
ok "root's doctor --fix fixes them" test $? -eq 0 || diag "$out"
is "nothing is left out of the group's reach" "$(not_shared)" ""

# An agent not in the group (or added since the session began) is told.
if getent group users >/dev/null && useradd -M -N -g users -s /bin/sh \
    -d "$TEST_DIR/home-$C" "$C"; then
	out=$(as "$C" 022 "$OMBRE" list 2>&1)
	ok "an agent outside the group: list fails" test $? -ne 0
	like "saying why" "$out" \
	    "$SHARED: this session is not in its group $G: be added to it \\(usermod -a -G $G USER\\), then log in again"
	out=$(as "$C" 022 "$OMBRE" doctor 2>&1)
	like "so does doctor" "$out" "problem: $SHARED: this session is not in its group $G"
else
	skip "an agent outside the group" "no group users"
fi
test_done
