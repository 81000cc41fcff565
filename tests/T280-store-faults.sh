#!/usr/bin/env bash
#
# Database writes that fail are reported, never taken for success (issue
# 11, "every write checked"). The ENOSPC shim (tests/helpers/enospc.c)
# fills the data dir's disk: ombre tag, the outbox's state changes, a
# reply, ingest and doctor --fix each exit non-zero, say what failed and
# leave the store as it was; then the disk fills at every point of an
# ingest in turn, and whatever failed is indexed by the next writer once
# there is room again.

. "$top_srcdir/tests/lib.sh"
test_init
SHIM=$top_builddir/tests/helpers/enospc.so
[ -f "$SHIM" ] || skip_all "the ENOSPC shim is not built"

FLAG=$TEST_DIR/disk-is-full	# outside the data dir
# full CMD...: run CMD on the data dir's full disk (full while $FLAG is).
full() {
	env LD_PRELOAD="$SHIM" OMBRE_ENOSPC_DIR="$DATA" OMBRE_ENOSPC_FLAG="$FLAG" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}
# A line of the corpus as a new message: Zoë's first one, id $1.
new_line() {
	head -n 1 "$top_srcdir/tests/corpora/small.jsonl" |
	    sed "s/\"id\":\"101\"/\"id\":\"$1\"/"
}
files() {
	find "$DATA/mail/ombre/new" "$DATA/mail/ombre/cur" -type f | wc -l
}

"$OMBRE" ingest <"$top_srcdir/tests/corpora/small.jsonl"
# The channels the replies below need: a reply no channel sends is
# refused before the disk is ever written.
mkdir -p "$XDG_CONFIG_HOME/ombre"
printf 'channel tg telegram account=7012345678\nchannel wa whatsapp account=106540352242922\n' \
    >"$XDG_CONFIG_HOME/ombre/config"
chmod 600 "$XDG_CONFIG_HOME/ombre/config"
out=$("$OMBRE" reply Channel:whatsapp --text "Bonjour James")
rid=${out%% *}
like "with room, a reply is queued" "$out" '^out\.[0-9a-f-]{36} queued$'
outbox0=$("$OMBRE" outbox)
inbox0=$(nm count Channel:whatsapp and tag:inbox)

# --- 1. the disk is full: each write fails whole -------------------------
touch "$FLAG"
full "$OMBRE" tag Channel:whatsapp +billing -inbox 2>err
rc=$?
ok "tag on a full disk exits non-zero" test "$rc" -ne 0
like "saying the disk is full and nothing changed" "$(cat err)" \
    'tag: .*no space left on the device.*nothing was changed'
is "no tag was added" "$(nm count tag:billing)" 0
is "none was removed" "$(nm count Channel:whatsapp and tag:inbox)" "$inbox0"

full "$OMBRE" outbox discard "$rid" 2>err
rc=$?
ok "an outbox state change on a full disk exits non-zero" test "$rc" -ne 0
like "saying the reply's state was not committed" "$(cat err)" \
    "reply's state: .*no space left on the device"
is "the outbox is unchanged: the reply is still queued" "$("$OMBRE" outbox)" \
    "$outbox0"

full "$OMBRE" reply Channel:telegram --text "Un instant" >out 2>err
rc=$?
ok "a reply on a full disk exits non-zero" test "$rc" -ne 0
is "and prints no reply id" "$(cat out)" ""
is "the outbox is unchanged" "$("$OMBRE" outbox)" "$outbox0"

new_line 9001 >new.jsonl
full "$OMBRE" ingest <new.jsonl 2>err
rc=$?
ok "ingest on a full disk exits non-zero" test "$rc" -ne 0
like "saying so" "$(cat err)" 'No space left on device'
is "the message is not stored" "$(nm count id:tg.7012345678.381245.9001@ombre)" 0

# A file of the index gone from the disk: doctor --fix cannot forget it.
gone=$(find "$DATA/mail/ombre/new" -type f | head -n 1)
rm "$gone"
full "$OMBRE" doctor --fix >out 2>&1
rc=$?
ok "doctor --fix on a full disk exits non-zero" test "$rc" -ne 0
unlike "it does not say it forgot the file" "$(cat out)" 'forgot'
like "it says the change was not committed" "$(cat out)" \
    'problem: committing the files that are gone: .*no space left'
is "the index still lists it" "$(nm search --output=files '*' | grep -c "^$gone\$")" 1
rm "$FLAG"

"$OMBRE" doctor --fix >out 2>&1
like "with room again, doctor --fix forgets it" "$(cat out)" \
    'fixed: forgot 1 file that is gone'

# --- 2. the disk fills at each point of an ingest in turn -----------------
# Whatever exits 0 has indexed its message; what fails says so, and what
# it delivered waits for the next writer.
lied=0 at_commit=0
for n in $(seq 1 12); do
	new_line "92$n" >new.jsonl
	env OMBRE_ENOSPC_AFTER="$n" LD_PRELOAD="$SHIM" OMBRE_ENOSPC_DIR="$DATA" \
	    OMBRE_ENOSPC_FLAG="$FLAG" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
	    "$OMBRE" ingest <new.jsonl 2>err
	rc=$?
	rm -f "$FLAG"
	indexed=$(nm count "id:tg.7012345678.381245.92$n@ombre")
	if [ "$rc" -eq 0 ] && [ "$indexed" -ne 1 ]; then
		lied=$((lied + 1))
		diag "after $n writes: exit 0, not indexed"
	fi
	if [ "$rc" -ne 0 ] && grep -q 'committing.*nothing was changed' err; then
		at_commit=$((at_commit + 1))
	fi
done
is "no ingest exits 0 without indexing its message" "$lied" 0
ok "some failed at the index's commit, and said so" test "$at_commit" -gt 0
"$OMBRE" tag Channel:whatsapp +billing 2>err
ok "with room, the next writer works" test $? -eq 0
is "and indexed every file delivered" \
    "$(nm count '*')" \
    "$(files)"
is "no journal is left" "$(find "$DATA/journal" -type f | wc -l)" 0

test_done
