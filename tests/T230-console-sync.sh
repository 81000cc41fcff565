#!/usr/bin/env bash
#
# The console and the syncer, in tmux against the local Telegram server:
# a console with channels starts the one syncer as its child and shows
# each channel's state; a second console does not start another; when the
# first quits, the second takes over; a server that never answers leaves
# the console answering keys.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
tmux_init console-sync

TOKEN=7012345678:AAH-console-sync
server_start telegram --token "$TOKEN"
TG=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
config() {
	{
		printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' "$TOKEN" "$1"
		printf 'set sync.poll-timeout 1\nset sync.retry-base 200\nset sync.retry-cap 1000\n'
		printf 'set net.connect-timeout %s\n' "${2:-10000}"
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
config "$TG"
ctl "$TG" generate '{"count": 30, "chats": 6, "seed": 5}' >/dev/null

# holder_parent: the parent pid of the process holding the sync lock.
holder_parent() {
	local pid
	pid=$("$OMBRE" sync --status | sed -n 's/^syncer: running (pid \([0-9]*\))$/\1/p')
	[ -n "$pid" ] && awk '{ print $4 }' "/proc/$pid/stat" 2>/dev/null
}
wait_holder_parent() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(holder_parent)" = "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

tmux_start 100 20 "'$OMBRE'; sleep 60"
ok "the console shows what its syncer fetched" wait_screen "Inbox +6 conversations" 10 ||
    diag "$(tm capture-pane -p -t t | tail -n 2)"
ok "and each channel's state on the status line" wait_screen "sync: support \\(telegram\\): connected" 5 ||
    diag "$(tm capture-pane -p -t t | tail -n 2)"
first_console=$(tm display-message -p -t t '#{pane_pid}')
first_console=$(pgrep -P "$first_console" -x ombre)
ok "the syncer is the console's child" wait_holder_parent "$first_console"

ctl "$TG" generate '{"count": 3, "chats": 1, "seed": 6}' >/dev/null
ok "new messages show within a few seconds" wait_screen "Inbox +7 conversations" 8 ||
    diag "$(tm capture-pane -p -t t | tail -n 2)"

# A second console: no second poller.
tm new-window -t t -d "'$OMBRE'; sleep 60"
sleep 3
second_console=$(pgrep -P "$(tm display-message -p -t t:1 '#{pane_pid}')" -x ombre)
is "a second console leaves the first one's syncer alone" "$(holder_parent)" "$first_console"
is "and Telegram never saw two pollers (no 409)" \
    "$(ctl "$TG" log | jq_py 'len([r for r in j if r["status"] == 409])')" 0

tm send-keys -t t:0 q
ok "when the first console quits, the second one's syncer takes over" \
    wait_holder_parent "$second_console"
tm send-keys -t t:1 q
for ((i = 0; i < 50; i++)); do "$OMBRE" sync --status | grep -q 'not running' && break; sleep 0.1; done
like "and when the last console quits no syncer is left" "$("$OMBRE" sync --status)" 'syncer: not running'

# A console killed outright (SIGKILL) takes its syncer with it.
tm kill-server 2>/dev/null
TMUX_SOCKET=$TMUX_SOCKET-k
tmux_start 100 20 "'$OMBRE'; sleep 60"
wait_screen "Inbox +7 conversations" 10
console=$(pgrep -P "$(tm display-message -p -t t '#{pane_pid}')" -x ombre)
wait_holder_parent "$console"
kill -KILL "$console"
for ((i = 0; i < 50; i++)); do "$OMBRE" sync --status | grep -q 'not running' && break; sleep 0.1; done
like "a console killed with SIGKILL leaves no syncer behind" "$("$OMBRE" sync --status)" 'syncer: not running'

# A black hole: the syncer waits in connect, the console answers keys.
server_start blackhole
config "$SERVER_PORT" 3000
tm kill-server 2>/dev/null
TMUX_SOCKET=$TMUX_SOCKET-2	# a server of its own, never the dying one
tmux_start 100 20 "'$OMBRE'; sleep 60"
wait_screen "Inbox +7 conversations" 10
tm send-keys -t t j
ok "a key is answered at once while the syncer waits on a black hole" \
    bash -c "for i in \$(seq 20); do tmux -L '$TMUX_SOCKET' capture-pane -p -e -t t | sed -n 2p | grep -q $'\\e\\[[0-9;]*46m' && exit 0; sleep 0.05; done; exit 1"
ok "then the status line says it backs off" wait_screen "support \\(telegram\\): backing off until [0-9:]+: (Failed to connect|Connection timed out|.*[Tt]imeout)" 10 ||
    diag "$(tm capture-pane -p -t t | tail -n 1)"
tm send-keys -t t q
test_done
