#!/usr/bin/env bash
#
# The console's sync line in French: a channel that cannot be reached
# backs off, and a console under LANG=fr_FR.UTF-8 says so in French (the
# state through the catalog, "jusqu'à" and the time of day), while the
# English console says the same line as before; with the Telegram test
# server, a connected channel is "connecté".

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init console-sync-french
[ -e "$top_builddir/po/fr/LC_MESSAGES/ombre.mo" ] ||
    skip_all "the build has no French catalog (--disable-nls)"
french_init || skip_all "no French locale (localedef)"

screen() { tm capture-pane -p -t t; }
CONFIG=$XDG_CONFIG_HOME/ombre/config
mkdir -p "$XDG_CONFIG_HOME/ombre"
# config PORT: the channel support on a Bot API at 127.0.0.1:PORT.
config() {
	{
		printf 'channel support telegram token=7012345678:AAH-french api-url=http://127.0.0.1:%s\n' "$1"
		printf 'set sync.poll-timeout 1\nset sync.retry-base 200\nset sync.retry-cap 1000\n'
	} >"$CONFIG"
	chmod 600 "$CONFIG"
}
# console_french: the console in French in a new tmux server of its own.
console_french() {
	tm kill-server 2>/dev/null
	TMUX_SOCKET=$TMUX_SOCKET-$1
	tmux_start 200 20 "env -u LC_ALL ${FRENCH_LOCPATH:+LOCPATH='$FRENCH_LOCPATH'} \
	    LANG=fr_FR.UTF-8 OMBRE_LOCALEDIR='$OMBRE_LOCALEDIR' '$OMBRE'; sleep 60"
}

# Port 1: nothing listens, every connection is refused at once.
config 1
console_french refused
ok "the French console says the channel backs off, in French, until a time of day" \
    wait_screen "synchro : support \\(telegram\\) : attente avant un nouvel essai jusqu.à [0-9]{2}:[0-9]{2}:[0-9]{2} : " 10 ||
    diag "$(screen | tail -n 1)"
unlike "no English word of the state is left" "$(screen | tail -n 1)" \
    "backing off| until "
tm send-keys -t t q

tm kill-server 2>/dev/null
TMUX_SOCKET=$TMUX_SOCKET-english
tmux_start 200 20 "'$OMBRE'; sleep 60"
ok "the English console says the same line as before" \
    wait_screen "sync: support \\(telegram\\): backing off until [0-9]{2}:[0-9]{2}:[0-9]{2}: " 10 ||
    diag "$(screen | tail -n 1)"
tm send-keys -t t q

if command -v "$PYTHON" >/dev/null; then
	server_start telegram --token 7012345678:AAH-french
	config "$SERVER_PORT"
	console_french connected
	ok "a connected channel is said connected, in French" \
	    wait_screen "synchro : support \\(telegram\\) : connecté" 10 ||
	    diag "$(screen | tail -n 1)"
	tm send-keys -t t q
else
	skip "a connected channel is said connected, in French" \
	    "python3 is not installed"
fi
test_done
