#!/usr/bin/env bash
#
# A full disk never loses a message (issue 10, §1). An LD_PRELOAD shim
# (tests/helpers/enospc.c) fills the "disk" of the data dir: what needs new
# space fails with ENOSPC. The syncer then stops each channel's batch,
# keeps its cursor, says "disk full: not fetching" and exits non-zero with
# --once; a running syncer resumes by itself once space is back. Then the
# disk fills after N allocating calls, for N across the whole run, so that
# every write path is hit (delivery, journal, cursor save, index, outbox
# state): afterwards every update and event is stored once and no reply
# went out twice.

. "$top_srcdir/tests/lib.sh"
test_init
# The channels' messages (not the events the handoff rules add).
TGQ='mid:/^tg\./ and not property:ombre.kind=event'
MXQ='mid:/^mx\./ and not property:ombre.kind=event'
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
SHIM=$top_builddir/tests/helpers/enospc.so
[ -f "$SHIM" ] || skip_all "the ENOSPC shim is not built"

TOKEN=7012345678:AAH-disk-full
server_start telegram --token "$TOKEN" --first-update-id 5000
TG=$SERVER_PORT
server_start matrix --user @support:localhost --token syt_full_token
MX=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre"
{
	printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' "$TOKEN" "$TG"
	printf 'channel team matrix homeserver=http://127.0.0.1:%s user=@support:localhost token=syt_full_token\n' "$MX"
	printf 'set sync.poll-timeout 1\nset sync.retry-base 50\nset sync.retry-cap 300\n'
	printf 'set sync.attempts 3\nset store.batch-ms 20\n'
} >"$XDG_CONFIG_HOME/ombre/config"
chmod 600 "$XDG_CONFIG_HOME/ombre/config"

FLAG=$TEST_DIR/disk-is-full	# outside the data dir
# full CMD...: run CMD on the data dir's full disk (full while $FLAG is).
full() {
	env LD_PRELOAD="$SHIM" OMBRE_ENOSPC_DIR="$DATA" OMBRE_ENOSPC_FLAG="$FLAG" \
	    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$@"
}
# The distinct Message-Ids delivered to the Maildir, and its files.
ids() {
	find "$DATA/mail/ombre/new" "$DATA/mail/ombre/cur" -type f \
	    -exec grep -ah -m1 '^Message-Id: ' {} + 2>/dev/null | sort -u | wc -l
}
files() {
	find "$DATA/mail/ombre/new" "$DATA/mail/ombre/cur" -type f | wc -l
}
tmp_files() { find "$DATA/mail/ombre/tmp" -type f | wc -l; }
tg_gen() {	# N SEED: N more Telegram updates
	ctl "$TG" generate "{\"count\": $1, \"chats\": 3, \"seed\": $2}" >/dev/null
}
mx_gen() {	# N SEED: N more Matrix message events
	ctl "$MX" generate "{\"count\": $1, \"rooms\": 2, \"seed\": $2}" >/dev/null
}

# --- 1. 20 updates stored on a disk with room -----------------------------
tg_gen 20 1
mx_gen 10 1
"$OMBRE" sync --once 2>err
ok "with room, sync --once stores the first updates" test $? = 0 || diag "$(cat err)"
is "20 Telegram messages" "$(nm count "$TGQ")" 20
is "10 Matrix messages" "$(nm count "$MXQ")" 10
offset0=$(cat "$DATA/sync/support.offset")
since0=$(cat "$DATA/sync/team.since")

# --- 2. the disk fills: nothing fetched is acknowledged --------------------
touch "$FLAG"
tg_gen 50 2
mx_gen 30 2
# One update that cannot be taken (a text that is not a string): it goes
# to the quarantine, which the full disk cannot write either.
ctl "$TG" updates '[{"message": {"message_id": 77, "date": 1790000000, "chat": {"id": 4242, "type": "private", "first_name": "Nadia"}, "from": {"id": 4242, "is_bot": false, "first_name": "Nadia"}, "text": 42}}]' >/dev/null
files0=$(files)
full "$OMBRE" sync --once 2>err
rc=$?
ok "sync --once on a full disk exits non-zero" test "$rc" -ne 0
like "it says the disk is full" "$(cat err)" 'disk full: not fetching'
status=$("$OMBRE" sync --status)
like "sync --status: Telegram says disk full" "$status" 'support \(telegram\): .*disk full: not fetching'
like "sync --status: Matrix says disk full" "$status" 'team \(matrix\): .*disk full: not fetching'
is "the Telegram offset did not move" "$(cat "$DATA/sync/support.offset")" "$offset0"
is "the Matrix since token did not move" "$(cat "$DATA/sync/team.since")" "$since0"
is "nothing was delivered" "$(files)" "$files0"
is "nothing was left in tmp/" "$(tmp_files)" 0
unconfirmed=$(ctl "$TG" state | jq_py 'j["queued"]')
ok "Telegram still holds the 51 unconfirmed updates" test "$unconfirmed" -ge 51
is "nothing is in quarantine" "$(ls "$DATA/sync/quarantine" 2>/dev/null | wc -l)" 0

# --- 3. a running syncer resumes by itself when space is back -------------
# env execs ombre: $! is the syncer itself, for kill.
env LD_PRELOAD="$SHIM" OMBRE_ENOSPC_DIR="$DATA" OMBRE_ENOSPC_FLAG="$FLAG" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    "$OMBRE" sync 2>sync.err &
pid=$!
for ((i = 0; i < 100; i++)); do
	"$OMBRE" sync --status 2>/dev/null | grep -q 'support.*disk full' && break
	sleep 0.1
done
like "the running syncer shows disk full" "$("$OMBRE" sync --status)" 'disk full: not fetching'
rm -f "$FLAG"
for ((i = 0; i < 200; i++)); do
	[ "$(nm count "$TGQ")" = 70 ] && [ "$(nm count "$MXQ")" = 40 ] && break
	sleep 0.1
done
is "space back: all 70 Telegram messages are stored" "$(nm count "$TGQ")" 70
is "and all 40 Matrix messages" "$(nm count "$MXQ")" 40
for ((i = 0; i < 50; i++)); do
	"$OMBRE" sync --status | grep -q 'disk full' || break
	sleep 0.1
done
unlike "the status line no longer says disk full" "$("$OMBRE" sync --status)" 'disk full'
like "the update that could not be taken is kept in quarantine" \
    "$("$OMBRE" sync --quarantine)" 'text is not a string'
kill "$pid"
wait "$pid"
ok "the syncer ends cleanly on SIGTERM" test $? = 0 || diag "$(cat sync.err)"
is "no message twice: one file per message" "$(files)" "$(ids)"

# --- ombre ingest on a full disk: it says which lines, leaves no tmp/ file --
for i in 1 2 3; do
	json_line whatsapp wa-acct "3360000000$i" "m$i" "2026-11-20T08:00:0${i}Z" \
	    "3360000000$i" customer "Bonjour $i"
done >full.jsonl
touch "$FLAG"
full "$OMBRE" ingest <full.jsonl 2>err
ok "ingest on a full disk exits non-zero" test $? -ne 0
like "it says which lines were not stored" "$(cat err)" 'lines 1 to 1 were not stored; stopped at line 1'
is "it leaves nothing in tmp/" "$(tmp_files)" 0
rm -f "$FLAG"
"$OMBRE" ingest <full.jsonl 2>err
ok "with room, the same lines are ingested" test $? = 0 || diag "$(cat err)"
is "all 3 messages are there" "$(nm count 'Channel:whatsapp')" 3

# --- 4. the disk fills after N writes, on every write path ----------------
conv_of() {
	"$OMBRE" list --json --limit 1000 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["channel"] == "telegram":
        print(c["id"]); break'
}
CONV=$(conv_of)
ok "a Telegram conversation to reply to" test -n "$CONV"
tg_total=70 mx_total=40 replies=() bad_second=()
# make check takes a few points across the run, make check-soak many.
points="0 1 3 6 13 31 76 186"
[ -z "${OMBRE_SOAK:-}" ] ||
    points="0 1 2 3 4 5 6 8 10 13 16 20 25 31 39 49 61 76 95 119 149 186 232 290"
for n in $points; do
	tg_gen 3 $((100 + n))
	mx_gen 2 $((100 + n))
	tg_total=$((tg_total + 3)) mx_total=$((mx_total + 2))
	text="Réponse $n"
	"$OMBRE" reply "$CONV" --text "$text" >/dev/null 2>reply.err ||
	    diag "reply $n: $(cat reply.err)"
	replies+=("$text")
	rm -f "$FLAG"
	OMBRE_ENOSPC_AFTER=$n full "$OMBRE" sync --once >/dev/null 2>"full.$n.err"
	rm -f "$FLAG"
	"$OMBRE" sync --once >/dev/null 2>"after.$n.err" ||
	    bad_second+=("after $n: $(head -c 300 "after.$n.err")")
done
is "with space back, each following sync --once succeeds" "${#bad_second[@]}" 0 ||
    diag "${bad_second[@]}"
is "every Telegram update is stored ($tg_total)" "$(nm count "$TGQ")" "$tg_total"
is "every Matrix event is stored ($mx_total)" "$(nm count "$MXQ")" "$mx_total"
is "no message twice: one file per message" "$(files)" "$(ids)"
is "nothing was left in tmp/" "$(tmp_files)" 0
is "no journal is left" "$(find "$DATA/journal" -type f -size +0 | wc -l)" 0
# A reply sent while "sent" could not be written reads as unknown when
# that run ended on the full disk: the agent decides, nothing is resent.
sent=$(ctl "$TG" sent)
"$OMBRE" outbox >outbox.txt 2>&1
twice=0 lost=0
for text in "${replies[@]}"; do
	k=$(T=$text jq_py 'len([m for m in j if m["text"] == __import__("os").environ["T"]])' <<<"$sent")
	[ "$k" -le 1 ] || twice=$((twice + 1))
	[ "$k" = 1 ] || grep -q "^unknown .*$text\$" outbox.txt || lost=$((lost + 1))
done
is "no reply was sent twice" "$twice" 0
is "each reply was sent once, or is of unknown delivery for the agent" "$lost" 0 ||
    diag "$(cat outbox.txt)"

# --- 4b. only the syncer's own files are full: a cursor not saved -------
# The messages reach the Maildir; saving the offset fails, and the syncer
# says so once, itself (the adapter no longer logs it): nothing is lost,
# and the next run, with room, asks again and drops what it has already.
tg_gen 2 700
touch "$FLAG"
env LD_PRELOAD="$SHIM" OMBRE_ENOSPC_DIR="$DATA/sync" OMBRE_ENOSPC_FLAG="$FLAG" \
    ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    "$OMBRE" sync --once >/dev/null 2>cursor.err
rm -f "$FLAG"
like "a cursor that cannot be saved is said, naming it and why" \
    "$(cat cursor.err)" 'support: cannot save its offset: No space left on device'
is "said once" "$(grep -c 'cannot save its offset' cursor.err)" 1
"$OMBRE" sync --once >/dev/null 2>&1
is "the updates are stored once, with room again" \
    "$(nm count "$TGQ") $(files) $(ids)" \
    "$((tg_total + 2)) $(ids) $(ids)"
tg_total=$((tg_total + 2))

# --- 5. the console: a draft on a full disk, and the status line ---------
tmux_init disk-full
screen() { tm capture-pane -p -t t; }
drafts() { cat "$DATA"/drafts/tester/* 2>/dev/null; }
rm -f "$FLAG"
tmux_start 200 30 "env LD_PRELOAD='$SHIM' OMBRE_ENOSPC_DIR='$DATA' OMBRE_ENOSPC_FLAG='$FLAG' ASAN_OPTIONS=verify_asan_link_order=0:\${ASAN_OPTIONS:-} '$OMBRE'; sleep 60"
wait_screen "Inbox" 10 || diag "$(screen | tail -n 2)"
tm send-keys -t t / 'Channel:telegram' Enter
wait_screen "/Channel:telegram" 5 || diag "$(screen | tail -n 2)"
tm send-keys -t t Enter
sleep 0.5
tm send-keys -t t r
ok "the composer opens" wait_screen "Reply on telegram" 5 || diag "$(screen)"
tm send-keys -t t -l 'Premier jet'
for ((i = 0; i < 40; i++)); do drafts | grep -q 'Premier jet' && break; sleep 0.1; done
like "with room, the draft is saved" "$(drafts)" 'Premier jet$'
touch "$FLAG"
tg_gen 2 900
tm send-keys -t t -l ' et la suite'
ok "on a full disk the console says the draft was not saved, and why" \
    wait_screen 'the draft was not saved: No space left on device' 5 ||
    diag "$(screen | tail -n 2)"
like "the draft saved before is still whole" "$(drafts)" 'Premier jet$'
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t Escape
ok "the list's status line says the disk is full" \
    wait_screen 'disk full: not fetching' 10 || diag "$(screen | tail -n 2)"
tm send-keys -t t r
ok "reopened on the full disk, the composer still has all that was typed" \
    wait_screen 'Premier jet et la suite' 5 || diag "$(screen)"
rm -f "$FLAG"
tm send-keys -t t -l '!'
for ((i = 0; i < 40; i++)); do drafts | grep -q 'Premier jet et la suite!' && break; sleep 0.1; done
like "space back: the whole text is saved, nothing typed was lost" "$(drafts)" 'Premier jet et la suite!$'
for ((i = 0; i < 100; i++)); do
	[ "$(nm count "$TGQ")" -ge $((tg_total + 2)) ] && break
	sleep 0.1
done
is "the 2 updates that came while the disk was full are stored" \
    "$(nm count "$TGQ")" $((tg_total + 2))
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t Escape q
test_done
