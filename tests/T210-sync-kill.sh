#!/usr/bin/env bash
#
# The syncer killed with SIGKILL at random moments while Telegram updates
# and Matrix events keep coming: afterwards every update and event is
# stored exactly once, and no saved cursor (Telegram offset, Matrix since)
# was ever ahead of what was durably delivered to the Maildir (indexing
# comes later, off the fetch path: reliability.md R2, R3).
#
#	OMBRE_KILL_RUNS		number of kills (default 20; 200 in make check-soak)
#	OMBRE_SEED		seed of the random moments (default 1; a new one
#				in make check-soak); printed, so that a failure
#				can be replayed

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

seed=${OMBRE_SEED:-$([ -n "${OMBRE_SOAK:-}" ] && od -An -N2 -tu2 /dev/urandom | tr -d ' ' || echo 1)}
RANDOM=$seed
runs=${OMBRE_KILL_RUNS:-$([ -n "${OMBRE_SOAK:-}" ] && echo 200 || echo 20)}
diag "seed $seed (OMBRE_SEED=$seed replays it), $runs kills"

TOKEN=7012345678:AAH-kill-test
server_start telegram --token "$TOKEN" --first-update-id 1000
first_tg_id=1000
TG=$SERVER_PORT
server_start matrix --user @support:localhost --token syt_kill_token
MX=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre"
{
	printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' "$TOKEN" "$TG"
	printf 'channel team matrix homeserver=http://127.0.0.1:%s user=@support:localhost token=syt_kill_token\n' "$MX"
	printf 'set sync.poll-timeout 1\nset sync.retry-base 50\nset sync.retry-cap 200\n'
	printf 'set store.batch-ms 20\n'
} >"$XDG_CONFIG_HOME/ombre/config"
chmod 600 "$XDG_CONFIG_HOME/ombre/config"

# The distinct Message-Ids of a prefix in the Maildir's delivered files
# (new/ and cur/; tmp/ is not delivered), indexed or not yet.
delivered_ids() {
	find "$DATA/mail/ombre/new" "$DATA/mail/ombre/cur" -type f \
	    -exec grep -ah -m1 "^Message-Id: <$1" {} + 2>/dev/null | sort -u | wc -l
}

# Every confirmed update (below the offset) must be delivered: one message
# each, Message-Id telegram.<bot>.<chat>.<message_id>. The check reads the
# offset first, then the store, so a later store only helps.
check_cursor() {
	local offset stored_tg first_tg
	offset=$(cat "$DATA/sync/support.offset" 2>/dev/null || echo 0)
	[ "$offset" -gt 0 ] || return 0
	stored_tg=$(delivered_ids 'tg\.')
	# Updates are numbered from first_tg, one message each.
	[ $((offset - first_tg_id)) -le "$stored_tg" ] || return 1
}

# Every message event at or before the saved since token (s<position>)
# must be delivered.
check_since() {
	local since stored_mx delivered
	since=$(cat "$DATA/sync/team.since" 2>/dev/null) || return 0
	stored_mx=$(delivered_ids 'mx\.')
	delivered=$("$PYTHON" -S -c '
import json, sys, urllib.request
since = int(sys.argv[2].lstrip("s"))
with urllib.request.urlopen("http://127.0.0.1:%s/_control/events" % sys.argv[1]) as r:
    print(sum(1 for e in json.load(r)
              if e["type"] == "m.room.message" and e["_position"] <= since))' "$MX" "$since")
	[ "$delivered" -le "$stored_mx" ]
}

tg_total=0 mx_total=0 ahead=0 since_ahead=0
for ((run = 1; run <= runs; run++)); do
	# Some news on each side, most runs.
	if ((RANDOM % 3 != 0)); then
		n=$((RANDOM % 8 + 1))
		ctl "$TG" generate "{\"count\": $n, \"chats\": 3, \"seed\": $run}" >gen.json
		tg_total=$((tg_total + $(jq_py 'j["last_update_id"] - j["first_update_id"] + 1' <gen.json)))
	fi
	if ((RANDOM % 3 != 0)); then
		n=$((RANDOM % 6 + 1))
		ctl "$MX" generate "{\"count\": $n, \"rooms\": 3, \"seed\": $run}" >/dev/null
		mx_total=$((mx_total + n))
	fi
	"$OMBRE" sync 2>>sync.err &
	pid=$!
	sleep "0.$(printf '%03d' $((RANDOM % 400)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check_cursor || ahead=$((ahead + 1))
	check_since || since_ahead=$((since_ahead + 1))
done
"$OMBRE" sync --once 2>err
ok "after $runs kills, sync --once completes" test $? = 0 || diag "$(cat err)"
is "no saved offset was ever ahead of what was delivered" "$ahead" 0
is "no saved since token was ever ahead of what was delivered" "$since_ahead" 0
stored_tg=$(nm count 'mid:/^tg\./')
stored_mx=$(nm count 'mid:/^mx\./')
is "every Telegram update is stored ($tg_total)" "$stored_tg" "$tg_total"
is "every Matrix message event is stored ($mx_total)" "$stored_mx" "$mx_total"
files=$(find "$DATA/mail" -type f \( -path '*/new/*' -o -path '*/cur/*' \) | wc -l)
is "exactly once: one file per message" "$files" $((tg_total + mx_total))
ok "no tmp/ file was left behind" test -z "$(find "$DATA/mail/ombre/tmp" -type f)"
test_done
