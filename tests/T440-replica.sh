#!/usr/bin/env bash
#
# Two stores on one machine, a central one and a replica, synchronised by
# muchsync (the documented engine) through an ssh stand-in: concurrent
# triage on both converges; one message's tags changed on both follow
# muchsync's merge rule as ombre configures it (closing, reading and
# taking over win); a claim made on both at once, without an authority,
# ends with two assignees, which is why a replica runs its claims and
# replies on the central server (store.authority): there the replica's
# take-over is decided and recorded, its reply stored once under its own
# id (a repeat after a cut connection changes nothing) and sent once by
# the central syncer, and its claims decided there once; an unreachable
# server is said, nothing done.

. "$top_srcdir/tests/lib.sh"
test_init
command -v muchsync >/dev/null ||
    skip_all "muchsync is not installed (Debian package muchsync)"
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

TOKEN=7012345678:AAH-replica-T0KEN
server_start telegram --token "$TOKEN"
TG=$SERVER_PORT

A=$TEST_DIR/central
B=$TEST_DIR/replica
mkdir -p cfg-a/ombre cfg-b/ombre
# The central server's own configuration: its channel sends.
printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\nagent ana\n' \
    "$TOKEN" "$TG" >cfg-a/ombre/config
printf 'agent bob\n' >cfg-b/ombre/config
chmod 600 cfg-a/ombre/config cfg-b/ombre/config

# ssh as the tests have it: the host dropped, the words handed to a shell
# on "the server", whose environment is the central one's; every call
# logged.
cat >fakessh <<EOF
#!/bin/sh
shift
printf '%s\n' "\$*" >>"$TEST_DIR/ssh.log"
export XDG_CONFIG_HOME=$TEST_DIR/cfg-a
exec /bin/sh -c "\$*"
EOF
chmod +x fakessh
central() { XDG_CONFIG_HOME=$TEST_DIR/cfg-a "$OMBRE" --data-dir "$A" "$@"; }
replica() { XDG_CONFIG_HOME=$TEST_DIR/cfg-b "$OMBRE" --data-dir "$B" "$@"; }
sync_now() {
	muchsync -C "$B/notmuch-config" -s "$TEST_DIR/fakessh" central \
	    -C "$A/notmuch-config" >>"$TEST_DIR/muchsync.log" 2>&1
}
nm_a() { "$NOTMUCH" --config="$A/notmuch-config" "$@"; }
nm_b() { "$NOTMUCH" --config="$B/notmuch-config" "$@"; }
# The conversations' state as notmuch dump says it, ombre's tags and the
# Inbox's, the same on both sides once converged.
state() {
	"$NOTMUCH" --config="$1/notmuch-config" dump --format=batch-tag |
	    tr ' ' '\n' | grep -E '^[+-](inbox|unread|ombre/|vip)' | sort | uniq -c
}

{
	json_line telegram 7012345678 381245 101 2026-11-20T09:30:00Z 381245 customer "Bonjour, ma commande ?"
	json_line telegram 7012345678 381246 102 2026-11-20T09:31:00Z 381246 customer "Remboursement svp"
	json_line telegram 7012345678 381247 103 2026-11-20T09:32:00Z 381247 customer "Un humain ?"
	json_line telegram 7012345678 381248 104 2026-11-20T09:33:00Z 381248 customer "Colis perdu"
} | central ingest >/dev/null
replica list >/dev/null	# an empty store of ombre's, then replicated
sync_now
is "muchsync through the ssh stand-in: exit 0" "$?" 0
is "the replica has the four conversations" \
    "$(replica list --json | wc -l)" 4
conv() { "$1" list --json "from:$2@telegram.ombre" | jq_py 'j["id"]'; }

# --- concurrent triage on both converges ----------------------------------
central done "$(conv central 381245)" >/dev/null
replica tag "$(conv replica 381246)" +vip >/dev/null
replica done "$(conv replica 381248)" >/dev/null
sync_now
sync_now	# both ways settled
is "after a sync both ways, both stores hold the same tags" \
    "$(state "$B")" "$(state "$A")"
is "the central close shows on the replica" \
    "$(replica list --json 'tag:ombre/done' | wc -l)" 2
like "the replica's label shows on the central store" \
    "$(central list 'tag:vip')" 'Remboursement'

# --- one message changed on both: the merge rule -------------------------
c=$(conv central 381247)
r=$(conv replica 381247)
central tag "$c" -unread >/dev/null
replica done "$r" >/dev/null
sync_now
sync_now
is "changed on both: the same tags on both sides" "$(state "$B")" \
    "$(state "$A")"
is "closing wins over a change made elsewhere (inbox is and-merged)" \
    "$(nm_a count "thread:{from:381247@telegram.ombre} and tag:inbox")" 0

# --- a claim on both machines at once, without an authority --------------
central reopen "$c" >/dev/null
sync_now
central assign "$c" ana >/dev/null
replica assign "$r" bob >/dev/null
sync_now
sync_now
is "the engine alone keeps both claims: two assignees" \
    "$(nm_a search --output=tags "from:381247@telegram.ombre" |
    grep -c '^ombre/assigned/')" 2

# --- store.authority: the replica's claims and replies run centrally -----
printf 'agent bob\nset store.authority "%s central %s --data-dir %s"\nset store.replicate "muchsync -C %s -s %s central -C %s"\n' \
    "$TEST_DIR/fakessh" "$OMBRE" "$A" "$B/notmuch-config" \
    "$TEST_DIR/fakessh" "$A/notmuch-config" >cfg-b/ombre/config
: >ssh.log
t=$(conv replica 381246)
replica take-over "$t" >out 2>err
is "take-over on the replica: exit 0" "$?" 0
like "it ran on the central server, the conversation named by a Message-Id" \
    "$(cat ssh.log)" "'take-over' 'id:\"[^\"]+\"' '--agent' 'bob'"
like "the central store records bob's take-over" \
    "$(central show "$(conv central 381246)")" 'taken over by bob'
like "store.replicate brought it back: the replica shows bob has it" \
    "$(nm_b search --output=tags "from:381246@telegram.ombre")" \
    'ombre/assigned/bob'

# A take-over forwarded in the same second as the previous replicate
# round: muchsync skips a folder whose mtime has not moved since its scan,
# to the second, so a single round after it misses the event; the
# replica runs store.replicate again once the second has turned.
json_line telegram 7012345678 381249 105 2026-11-20T09:34:00Z 381249 customer "Facture ?" |
    central ingest >/dev/null
t9_ms=$(date +%N)
sleep "0.$(printf '%03d' $(( (1000 - 10#${t9_ms:0:3}) % 1000 )))"	# a new second
sync_now
replica take-over "$(conv replica 381249)" >out 2>err
is "a take-over right after a replicate round: exit 0" "$?" 0
like "the replica shows it at once (store.replicate again a second later)" \
    "$(nm_b search --output=tags "from:381249@telegram.ombre")" \
    'ombre/assigned/bob'

# A claim: the compare-and-set of the central server, whoever asks.
k=$(conv replica 381245)
: >ssh.log
out=$(replica claim "$k" 2>err)
is "claim on the replica: exit 0" "$?" 0
like "claimed by bob, on the central server" "$out$(cat ssh.log)" \
    "claimed by bob.*'claim' 'id:"
out=$(central claim "$(conv central 381245)" --agent carla 2>&1)
is "carla's claim on the central store then: exit 1" "$?" 1
like "bob took it" "$out" 'bob took it'
out=$(replica claim "$k" --agent dan 2>&1)
is "dan's from the replica too: exit 1" "$?" 1
like "told who took it" "$out" 'bob took it'

: >ssh.log
out=$(printf 'Votre remboursement part demain.\n' | replica reply "$t" 2>err)
rc=$?
is "a reply on the replica: exit 0" "$rc" 0
like "stored by the central server under the replica's id" "$out" \
    '^out\.[0-9a-f-]{36} queued$'
id=${out%% *}
unlike "the text never travels in argv" "$(cat ssh.log)" 'remboursement part'
is "the central outbox holds it" "$(central outbox | grep -c "$id")" 1
printf 'Votre remboursement part demain.\n' |
    replica reply "$t" --id "$id" >out 2>err
is "the same reply again (a cut connection): exit 0" "$?" 0
like "said already stored" "$(cat out)" 'already'
is "one copy in the central store" "$(nm_a count "id:$id@ombre")" 1
central sync --once >/dev/null 2>&1
like "the central syncer sends it" "$(central show "$(conv central 381246)")" \
    'bob \(agent\)  \[sent'
is "once: the Telegram server has it one time" "$(ctl "$TG" sent | jq_py \
    'len([m for m in j if m["text"] == "Votre remboursement part demain."])')" 1
sync_now
like "the replica shows it sent" "$(replica show "$t")" \
    'Votre remboursement part demain'

# --- the replica's console: T and the composer run centrally too -------
tmux_init replica
screen() { tm capture-pane -p -t t; }
tmux_start 120 30 "XDG_CONFIG_HOME='$TEST_DIR/cfg-b' '$OMBRE' --data-dir '$B'; sleep 60"
wait_screen "conversations" 10 || diag "$(screen | tail -n 2)"
tm send-keys -t t / 'from:381248@telegram.ombre' Enter
wait_screen "/from:381248@telegram.ombre +1 conversation" 5 ||
    diag "$(screen | tail -n 2)"
: >ssh.log
tm send-keys -t t T
for ((i = 0; i < 100; i++)); do
	grep -q "^.*'take-over'" ssh.log 2>/dev/null && break
	sleep 0.1
done
like "T in the replica's console runs the take-over on the central server" \
    "$(cat ssh.log)" "'take-over' 'id:"
for ((i = 0; i < 100; i++)); do
	[ "$(nm_a count 'from:381248@telegram.ombre and tag:ombre/assigned/bob')" -gt 0 ] && break
	sleep 0.1
done
is "the central store has bob on it" \
    "$(nm_a count 'from:381248@telegram.ombre and tag:ombre/assigned/bob')" 1
# The console's child ran store.replicate after the take-over (the
# replica's syncer may run it too, at its own pace): once the replica
# holds the take-over's event, the console reads the database again
# within half a second. The composer's view must hold the event, or the
# guard (rightly) holds the reply as news the agent has not seen.
for ((i = 0; i < 300; i++)); do
	[ "$(nm_b count 'thread:{from:381248@telegram.ombre}')" -ge 2 ] && break
	sleep 0.1
done
settle
tm send-keys -t t r
wait_screen "Reply on telegram" 5 || diag "$(screen | tail -n 3)"
tm send-keys -t t -l 'Je retrouve votre colis.'
tm send-keys -t t C-s
# The take-over's event may come back by muchsync after the draft began:
# bob's own event is no news to bob, neither guard (the console's, the
# central server's) holds the reply for it.
ok "C-s in the replica's console: the reply queued at once" \
    wait_screen "reply queued" 10 ||
    diag "$(screen; grep "'reply'" ssh.log | grep -o "'--seen' '[^']*'";
    nm_b search --output=messages 'thread:{from:381248@telegram.ombre}')"
is "stored once in the central store" \
    "$(nm_a count 'tag:ombre/outbox and "Je retrouve votre colis"')" 1
unlike "never held as news" "$(screen)" "y send anyway"
tm send-keys -t t q
sleep 0.5

# --- the central server out of reach --------------------------------------
printf 'agent bob\nset store.authority "/bin/sh -c \\"exit 255\\" central"\n' \
    >cfg-b/ombre/config
before=$(nm_b count '*')
replica take-over "$(conv replica 381245)" >out 2>err
is "central server unreachable: exit 69" "$?" 69
like "said so" "$(cat err)" 'could not be reached'
printf 'x\n' | replica reply "$t" >out 2>err
is "a reply then: exit 69" "$?" 69
is "nothing stored on the replica" "$(nm_b count '*')" "$before"
test_done
