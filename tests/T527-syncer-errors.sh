#!/usr/bin/env bash
#
# Errors of the console's own syncer child reach :messages: a hook that
# fails on each new message is logged by the syncer, and the console
# keeps its lines (nothing reads the child's stderr otherwise), with the
# hook's own words.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
tmux_init syncer-errors

TOKEN=7012345678:AAH-syncer-errors
server_start telegram --token "$TOKEN"
mkdir -p "$XDG_CONFIG_HOME/ombre"
{
	printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' "$TOKEN" "$SERVER_PORT"
	printf 'set sync.poll-timeout 1\n'
	printf 'hook message "echo the-hook-broke >&2; exit 3"\n'
} >"$XDG_CONFIG_HOME/ombre/config"
chmod 600 "$XDG_CONFIG_HOME/ombre/config"
ctl "$SERVER_PORT" generate '{"count": 3, "chats": 1, "seed": 5}' >/dev/null

tmux_start 120 30 "'$OMBRE'; sleep 60"
ok "the console's syncer fetched the messages" \
    wait_screen "Inbox +1 conversation" 10
# The hook runs after indexing: give :messages a few tries.
for ((i = 0; i < 50; i++)); do
	tm send-keys -t t : messages Enter
	wait_screen "^Messages of this run" 2
	if [[ $(tm capture-pane -p -t t) =~ the-hook-broke ]]; then break; fi
	tm send-keys -t t Escape
	sleep 0.3
done
screen=$(tm capture-pane -p -t t)
like ":messages lists the syncer's line on the failed hook" "$screen" \
    "error +syncer: [^\n]*message"
like "with what the hook said" "$screen" "error +syncer: [^\n]*the-hook-broke"
unlike "its newline not shown as ^J" "$screen" "the-hook-broke\\^J"
diag "$(grep -m 3 syncer: <<<"$screen")"
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t q
test_done
