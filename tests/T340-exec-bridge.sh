#!/usr/bin/env bash
#
# The exec bridge (issue 14): contrib/signal-cli-bridge.py run by the
# syncer over a fake signal-cli (tests/servers/signal-cli.py, its jsonRpc
# mode): inbound messages stored, a reply sent and acknowledged, the
# bridge killed and started again losing nothing and sending nothing
# twice, a reply cut off by a crash left "unknown" (and resent once with
# idempotent=yes), a bridge writing garbage quarantined with a clear
# reason while it keeps running, the secret given by the environment and
# never in argv. Then contrib/bridge-skeleton.py, and `sync --once` over a
# bridge that prints its lines and exits.

. "$top_srcdir/tests/lib.sh"
test_init
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

ACC=+33600000001
SECRET=hunter2-never-in-argv
SIG=$TEST_DIR/signal
mkdir -p "$SIG/inbox"
export FAKE_SIGNAL_DIR=$SIG
export SIGNAL_CLI="$PYTHON $top_srcdir/tests/servers/signal-cli.py"
BRIDGE="$PYTHON $top_srcdir/contrib/signal-cli-bridge.py -a $ACC"

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
config() {
	{
		printf 'channel sig exec channel=signal account=%s env-signal-password-command="echo %s" command="%s" %s\n' \
		    "$ACC" "$SECRET" "$BRIDGE" "$*"
		printf 'set sync.retry-base 100\nset sync.retry-cap 300\n'
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
config

# envelope N FROM NAME TEXT: a customer's message for the fake to receive.
envelope() {
	printf '{"source":"%s","sourceNumber":"%s","sourceUuid":"uuid-%s","sourceName":"%s","sourceDevice":1,"timestamp":%s,"dataMessage":{"timestamp":%s,"message":"%s","expiresInSeconds":0,"viewOnce":false}}\n' \
	    "$2" "$2" "$2" "$3" "$1" "$1" "$4" >"$SIG/inbox/$1.json"
}
syncer_start() {
	"$OMBRE" sync >syncd.out 2>>syncd.err &
	SYNC_PID=$!
	for ((i = 0; i < 100; i++)); do
		"$OMBRE" sync --status 2>/dev/null | grep -q '^syncer: running' &&
		    return
		sleep 0.05
	done
}
syncer_stop() { kill "$SYNC_PID"; wait "$SYNC_PID" 2>/dev/null; }
# until_ok TRIES 'SHELL TEXT': evaluated every 0.1 s until true.
until_ok() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		eval "$*" && return 0
		sleep 0.1
	done
	return 1
}
texts() {
	"$OMBRE" show --json "$1" 2>/dev/null | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    print(m.get("text", ""))'
}
conv_of() {
	"$OMBRE" list --json --limit 100 '*' | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    c = json.loads(line)
    if c["conversation"] == sys.argv[1]:
        print(c["id"])' "$1"
}
stored() { [ "$(conv_of "$1")" != "" ] && texts "$(conv_of "$1")" | grep -qx "$2"; }
sent_count() { [ -f "$SIG/sent.log" ] && grep -c -- "$1" "$SIG/sent.log" || echo 0; }
# state RID: the outbox state of reply RID in Alice's conversation (or
# in $CONV).
state() {
	"$OMBRE" show --json "${CONV:-$ALICE}" 2>/dev/null | "$PYTHON" -S -c '
import json, sys
s = "absent"
for line in sys.stdin:
    m = json.loads(line)
    if m["id"] == sys.argv[1]:
        s = m.get("outbox", "-")
print(s)' "$1"
}
bridge_pid() { cat "$SIG/pid" 2>/dev/null; }

envelope 1764000001000 +33611111111 Alice "Bonjour, ma commande ?"
envelope 1764000002000 +33622222222 Bob "Is the shop open?"
syncer_start

ok "inbound: Alice's message stored" until_ok 300 \
    'stored +33611111111 "Bonjour, ma commande ?"'
ok "inbound: Bob's message stored" until_ok 300 \
    'stored +33622222222 "Is the shop open?"'

# --- no secret in argv, the secret in the environment -------------------
SPID=$(bridge_pid)
args=""
for p in $(pgrep -g "$(ps -o pgid= -p "$SPID" | tr -d ' ')" 2>/dev/null); do
	args+=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)$'\n'
done
like "the bridge's processes run (their argv read)" "$args" "signal-cli.py -a \\$ACC jsonRpc"
unlike "no secret in any argv of the bridge's group" "$args" "$SECRET"
is "the secret reached the bridge by its environment" "$(cat "$SIG/env")" \
    "SIGNAL_PASSWORD ${#SECRET}"

# --- a reply sent and acknowledged --------------------------------------
ALICE=$(conv_of +33611111111)
RID=$("$OMBRE" reply "$ALICE" --text "Elle part demain." 2>reply.err)
RID=${RID%% *}
like "a reply queued" "$RID" '^out\.'
ok "the reply reached signal-cli once" until_ok 300 \
    'test "$(sent_count "Elle part demain.")" = 1'
ok "acknowledged: sent" until_ok 150 'test "$(state "$RID")" = sent'
is "it went to Alice's number" "$("$PYTHON" -S -c '
import json, sys
for l in open(sys.argv[1]):
    print(json.loads(l)["recipient"][0])' "$SIG/sent.log")" "+33611111111"

# --- a crash and restart: nothing lost, nothing sent twice ---------------
kill -9 "$SPID"
envelope 1764000003000 +33611111111 Alice "Merci !"
ok "after the crash the bridge is started again" until_ok 300 \
    'test "$(bridge_pid)" != "$SPID"'
ok "the message received after the restart is stored" until_ok 300 \
    'stored +33611111111 "Merci !"'
is "the reply sent before the crash was not sent again" \
    "$(sent_count "Elle part demain.")" 1

# A reply whose bridge dies before it answers: unknown, never resent.
touch "$SIG/crash-on-send"
SPID=$(bridge_pid)
RID2=$("$OMBRE" reply "$ALICE" --text "Cut off" 2>reply.err)
RID2=${RID2%% *}
ok "a reply cut off by the bridge's death is delivery unknown" \
    until_ok 300 'test "$(state "$RID2")" = unknown'
ok "the bridge is started again" until_ok 300 'test "$(bridge_pid)" != "$SPID"'
sleep 1.5	# two outbox scans
is "the unknown reply was not sent again" "$(sent_count "Cut off")" 1
# ombre outbox --json: one object a line, for scripts and bridges.
"$OMBRE" outbox --json >outbox.json 2>outbox.err
is "outbox --json: the unknown reply, its conversation, channel, account, state and reason" \
    "$("$PYTHON" -S -c '
import json, sys
for line in open("outbox.json"):
    o = json.loads(line)
    if o["id"] == sys.argv[1]:
        print(o["conversation"] == sys.argv[2], o["channel"], o["account"],
              o["conversation_id"], o["state"], o["reason"])' "$RID2" "$ALICE")" \
    "True signal $ACC +33611111111 unknown the bridge stopped before it answered"
syncer_stop

# --- garbage on its stdout: quarantined, the bridge keeps running --------
cat >garbage.sh <<'EOF'
#!/bin/sh
echo 'this is not JSON'
echo '{"channel":"signal","account":"+1","id":"x"}'
echo 'a line on stderr' >&2
printf '{"channel":"signal","account":"+1","conversation":{"id":"g1"},"id":"g-1","date":1764000000,"from":{"id":"g1","kind":"customer"},"text":"after the garbage"}\n'
exec sleep 30
EOF
chmod +x garbage.sh
printf 'channel junk exec channel=junk command="%s/garbage.sh"\n' "$TEST_DIR" >"$CONFIG"
syncer_start
ok "a good line after garbage is stored" until_ok 300 'stored g1 "after the garbage"'
"$OMBRE" sync --status >status.out 2>&1
like "the bridge keeps running (connected)" "$(cat status.out)" "junk.*connected"
reasons=$("$OMBRE" sync --quarantine 2>&1)
like "with a clear reason (invalid JSON)" "$reasons" "not a canonical message: invalid JSON"
like "and the field missing named" "$reasons" "not a canonical message: field 'conversation' is missing"
"$OMBRE" sync --status --json >status.json 2>&1
is "sync --status --json: the syncer, the channel's state, the quarantine" \
    "$("$PYTHON" -S -c '
import json
s = json.load(open("status.json"))
c = [c for c in s["channels"] if c["name"] == "junk"][0]
print(s["syncer"]["running"], c["type"], c["state"], s["quarantined"] >= 2,
      s["webhook"])')" "True exec connected True None"
like "its stderr is logged" "$(cat syncd.err)" "junk: bridge: a line on stderr"
syncer_stop

# --- idempotent=yes: a reply cut off is given again with the same id -----
config idempotent=yes
syncer_start
touch "$SIG/crash-on-send"
RID3=$("$OMBRE" reply "$ALICE" --text "Idempotent one" 2>reply.err)
RID3=${RID3%% *}
ok "idempotent: sent after the restart" until_ok 300 'test "$(state "$RID3")" = sent'
is "idempotent: given to signal-cli twice, with the same id (the bridge's to drop)" \
    "$(sent_count "Idempotent one")" 2
syncer_stop

# --- the skeleton --------------------------------------------------------
printf 'visitor-7\tHello from the widget\n' >inbox.txt
printf 'channel web exec channel=webchat account=site env-api-token-command="echo tok" command="SKELETON_INBOX=%s/inbox.txt SKELETON_OUTBOX=%s/outbox.jsonl %s %s/contrib/bridge-skeleton.py"\n' \
    "$TEST_DIR" "$TEST_DIR" "$PYTHON -S" "$top_srcdir" >"$CONFIG"
syncer_start
ok "skeleton: the widget's message stored" until_ok 300 'stored visitor-7 "Hello from the widget"'
CONV=$(conv_of visitor-7)
RID4=$("$OMBRE" reply "$CONV" --text "Hi there" 2>reply.err)
RID4=${RID4%% *}
ok "skeleton: the reply acknowledged sent" until_ok 300 'test "$(state "$RID4")" = sent'
like "skeleton: the reply given to the platform" "$(cat outbox.jsonl)" '"text": "Hi there"'
syncer_stop

# --- sync --once over a bridge that prints and exits ---------------------
{
	for i in 1 2 3; do
		json_line signal +1 once-conv "once-$i" 2026-11-20T09:0$i:00Z c1 customer "line $i"
	done
} >once.jsonl
printf 'channel once exec channel=signal command="cat %s/once.jsonl"\n' "$TEST_DIR" >"$CONFIG"
ok "sync --once runs the bridge to its end" "$OMBRE" sync --once
ok "and stores what it printed" stored once-conv "line 3"

test_done
