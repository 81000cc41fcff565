#!/usr/bin/env bash
#
# The write lock held for 10 s by another process (tests/helpers/hold-lock
# opens the database read-write, which takes Xapian's lock; a flock on a
# file would not). Readers answer at once; a writer with a short ceiling
# gives up with exit status 75 and changes nothing; writers with the
# default ceiling say "waiting for database", wait, and then do all their
# work: no operation is lost.

. "$top_srcdir/tests/lib.sh"
test_init

hold_lock=$top_builddir/tests/helpers/hold-lock
[ -x "$hold_lock" ] || skip_all "$hold_lock is not built (make check builds it)"

# The holder's ceiling: it releases the lock when told (SIGUSR1), once
# the waiting writers are checked, whatever the machine's load; the
# ceiling stays under the writers' default wait of 30 s.
HOLD=25

# A store with two conversations of a few customer messages.
for i in 1 2 3; do
	json_line telegram bot1 alpha "a$i" "2026-11-19T09:0$i:00Z" cust-a customer "alpha $i"
	json_line whatsapp biz1 beta "b$i" "2026-11-19T09:1$i:00Z" cust-b customer "beta $i"
done >first.jsonl
for i in 1 2 3 4; do
	json_line telegram bot1 gamma "g$i" "2026-11-19T09:2$i:00Z" cust-g customer "gamma $i"
done >late.jsonl
json_line telegram bot1 delta d1 2026-11-19T09:30:00Z cust-d customer "delta 1" >timeout.jsonl
ok "a store with a few messages" "$OMBRE" ingest <first.jsonl
alpha=$(nm search --output=threads subject:alpha)
beta=$(nm search --output=threads subject:beta)
like "conversation alpha has a thread id" "$alpha" '^thread:[0-9a-f]{16}$'
like "conversation beta has a thread id" "$beta" '^thread:[0-9a-f]{16}$'

# Wait up to 10 s for FILE to hold a line "locked"; return 0 when it does.
wait_locked() {
	local i
	for ((i = 0; i < 200; i++)); do
		grep -qx locked "$1" 2>/dev/null && return 0
		kill -0 "$holder" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}
# Milliseconds since the epoch.
now_ms() {
	local t
	t=$(date +%s%N)
	echo $((t / 1000000))
}
alive() {
	kill -0 "$1" 2>/dev/null
}

"$hold_lock" "$DATA/notmuch-config" "$HOLD" >holder.out 2>holder.err &
holder=$!
if ! wait_locked holder.out; then
	diag "hold-lock: $(cat holder.err)"
	echo "Bail out! hold-lock did not take the lock"
	exit 1
fi
diag "hold-lock $holder holds the write lock (for $HOLD s at most)"

# (a) Readers do not wait.
"$OMBRE" list >list.out 2>list.err
rc=$?
alive "$holder"
is "(a) ombre list answers while the lock is held (exit, holder alive)" \
    "$rc $?" "0 0"
is "(a) and lists both conversations" "$(wc -l <list.out)" 2
"$OMBRE" show --json "$alpha" >show.out 2>show.err
rc=$?
alive "$holder"
is "(a) ombre show answers while the lock is held" "$rc $? $(wc -l <show.out)" "0 0 3"
is "(a) readers print nothing on stderr" "$(cat list.err show.err)" ""

# (b) A writer with a short ceiling gives up: exit 75, nothing changed.
t0=$(now_ms)
"$OMBRE" -e 'set store.lock-timeout 1' tag "$alpha" +x >tagx.out 2>tagx.err
rc=$?
t1=$(now_ms)
alive "$holder"
is "(b) tag with a 1 s ceiling exits 75 while the holder still holds" \
    "$rc $?" "75 0"
diag "(b) gave up after $((t1 - t0)) ms"
like "(b) it says it is waiting for the database" "$(cat tagx.err)" \
    "waiting for database"
like "(b) then that the database is locked and nothing changed" \
    "$(cat tagx.err)" "locked.*nothing was changed"
is "(b) one line per message on stderr" "$(wc -l <tagx.err)" 2
is "(b) the tag is not applied" "$(nm count tag:x)" 0

"$OMBRE" -e 'set store.lock-timeout 0' tag "$alpha" +x 2>tagx0.err
rc=$?
alive "$holder"
is "(b) with a ceiling of 0 it does not wait: exit 75 at once" "$rc $?" "75 0"
like "(b) and says the database is locked" "$(cat tagx0.err)" "locked"

"$OMBRE" -e "set store.lock-timeout 1; tag $alpha +x" 2>tagxe.err
rc=$?
alive "$holder"
is "(b) a tag through -e with a 1 s ceiling fails too" \
    "$([ "$rc" -ne 0 ] && echo failed) $?" "failed 0"
diag "(b) its exit status: $rc"
like "(b) saying the database is locked" "$(cat tagxe.err)" "locked"

"$OMBRE" -e 'set store.lock-timeout 1' ingest <timeout.jsonl 2>ingx.err
rc=$?
alive "$holder"
is "(b) ingest with a 1 s ceiling exits 75 too" "$rc $?" "75 0"
like "(b) saying the database is locked" "$(cat ingx.err)" "locked"
is "(b) and delivers nothing (new/ and tmp/ unchanged)" \
    "$(find "$DATA/mail/ombre/new" "$DATA/mail/ombre/tmp" -type f | wc -l)" 6

# (c) and (d): writers with the default ceiling (30 s) wait, then work.
"$OMBRE" tag "$alpha" +y >tagy.out 2>tagy.err &
tagy=$!
"$OMBRE" ingest <late.jsonl >ingest.out 2>ingest.err &
ingest=$!
# A tag through the command language waits too.
"$OMBRE" -e "tag $beta +z" >tagz.out 2>tagz.err &
tagz=$!
sleep 1.5
alive "$holder"
h=$?
alive "$tagy"
ty=$?
alive "$ingest"
ti=$?
alive "$tagz"
tz=$?
is "(c) tag, (d) ingest and tag through -e are still waiting 1.5 s later" \
    "holder $h tag $ty ingest $ti eval $tz" "holder 0 tag 0 ingest 0 eval 0"
like "(c) tag says it is waiting for the database" "$(cat tagy.err)" \
    "waiting for database"
like "(d) ingest says it is waiting for the database" "$(cat ingest.err)" \
    "waiting for database"
like "(c) the tag through -e says so too" "$(cat tagz.err)" \
    "waiting for database"
is "(c) the tag is not applied yet" "$(nm count tag:y)" 0
is "(d) no message of the waiting ingest is there yet" \
    "$(nm count subject:gamma)" 0
alive "$holder"
is "the holder still held the lock through these checks" "$?" 0

t_release=$(now_ms)
kill -USR1 "$holder"
wait "$tagy"
rc=$?
t_tag=$(now_ms)
is "(c) tag exits 0 once the lock is free" "$rc" 0
test_result "$([ "$t_tag" -ge "$t_release" ]; echo $?)" \
    "(c) it finished after the holder released the lock" ||
    diag "finished $((t_release - t_tag)) ms before the lock was released"
wait "$ingest"
is "(d) ingest exits 0 once the lock is free" "$?" 0
wait "$tagz"
is "(c) the tag through -e exits 0 too" "$?" 0
wait "$holder"
is "hold-lock held the lock until released and exited 0" "$?" 0

is "(c) notmuch finds the tag on every message of alpha" \
    "$(nm count "tag:y and $alpha") $(nm count tag:y)" "3 3"
is "(c) and the -e tag on every message of beta" \
    "$(nm count "tag:z and $beta") $(nm count tag:z)" "3 3"
is "(b) the tag of the writer that gave up never appears" "$(nm count tag:x)" 0
is "(d) every message of the waiting ingest is stored once" \
    "$(nm count subject:gamma) $(nm search --output=files subject:gamma | wc -l)" \
    "4 4"
is "(b) the message of the ingest that gave up is not stored" \
    "$(nm count subject:delta)" 0
ok "(b) sent again after the lock is free, it is stored" \
    "$OMBRE" ingest <timeout.jsonl
is "(b) once" "$(nm count subject:delta)" 1
is "nothing left in tmp/" "$(find "$DATA/mail/ombre/tmp" -type f | wc -l)" 0
is "no journal left" "$(find "$DATA/journal" -type f | wc -l)" 0
ok "ombre list works afterwards" "$OMBRE" list
is "and shows the four conversations" "$("$OMBRE" list | wc -l)" 4

# A second hold: ceiling 0 fails while it lasts, works after it.
"$hold_lock" "$DATA/notmuch-config" "$HOLD" >holder2.out 2>holder2.err &
holder=$!
wait_locked holder2.out
"$OMBRE" -e 'set store.lock-timeout 0' tag "$alpha" +w 2>/dev/null
is "a second hold: a writer with ceiling 0 gives up" "$?" 75
kill -USR1 "$holder"
wait "$holder"
ok "once it is released the same command succeeds" \
    "$OMBRE" -e 'set store.lock-timeout 0' tag "$alpha" +w
is "and its tag is on alpha" "$(nm count "tag:w and $alpha")" 3

test_done
