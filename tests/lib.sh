# shellcheck shell=bash
# tests/lib.sh: the library of ombre's shell tests (tests/T*.sh).
#
# A test file is a bash script that prints TAP for automake's tap-driver:
#
#	#!/usr/bin/env bash
#	. "$top_srcdir/tests/lib.sh"
#	test_init
#	"$OMBRE" ingest <"$top_srcdir/tests/corpora/small.jsonl"
#	ok "a notmuch user sees the messages" nm search tag:inbox
#	is "one conversation" "$(nm count --output=threads '*')" 1
#	test_done
#
# make check sets top_srcdir, top_builddir, OMBRE and NOTMUCH
# (AM_TESTS_ENVIRONMENT in Makefile.am). To run one file by hand:
#	make check TESTS=tests/T010-layering.sh
# or, from the top of a built tree:
#	top_srcdir=$PWD tests/T010-layering.sh
#
# Functions:
#	test_init		hermetic HOME and XDG dirs in a new temporary
#				directory, which becomes the working directory
#				and is removed at exit unless KEEP=1
#	test_plan N		announce N tests up front, or else
#	test_done		print the plan (the count of tests run) at the end
#	ok DESC CMD [ARG...]	passes when CMD succeeds; its output is shown
#				as diagnostics when it fails
#	is DESC GOT EXPECTED	string equality; a diff when they differ
#	like DESC GOT REGEX	bash extended regex match ([[ =~ ]])
#	unlike DESC GOT REGEX	the reverse
#	skip DESC REASON	a test that is skipped
#	test_result STATUS DESC	a test decided by the caller (STATUS 0 is ok)
#	skip_all REASON		skip the whole file (before any test)
#	diag TEXT...		a "# " comment line for each line of TEXT
#	nm ARG...		the real notmuch on ombre's store ($DATA)
#	json_line CHANNEL ACCOUNT CONV ID DATE FROMID KIND TEXT
#				one message in ombre's canonical JSON
#
# Variables: TEST_DIR (the temporary directory), DATA (ombre's data dir,
# default $XDG_DATA_HOME/ombre), OMBRE (the program under test), NOTMUCH.
#
# Each function returns the test's status, so a test file must not use
# set -e: the first failure would end the file and hide the others.

: "${top_srcdir:?top_srcdir is not set: run through make check, or see tests/lib.sh}"
: "${top_builddir:=$top_srcdir}"
: "${OMBRE:=$top_builddir/src/ombre}"
: "${NOTMUCH:=notmuch}"
# Debian's python3 when there is one: a version manager's shim (pyenv)
# costs most of a second at each start, and the tests start many. The
# tests run it with -S: they need only its standard library, and site's
# imports (.pth files: certifi on some machines) doubled each start.
if [ -z "${PYTHON:-}" ]; then
	if [ -x /usr/bin/python3 ]; then PYTHON=/usr/bin/python3; else PYTHON=python3; fi
fi
export top_srcdir top_builddir OMBRE NOTMUCH PYTHON

test_count=0
test_planned=""

# Fixed clock, locale and zone, so that outputs can be compared with goldens.
export OMBRE_NOW=2026-11-20T10:00:00Z LC_ALL=C.UTF-8 TZ=UTC

test_init() {
	TEST_DIR=$(mktemp -d -p "${TMPDIR:-/tmp}") ||
	    { echo "Bail out! cannot create a temporary directory"; exit 1; }
	export TEST_DIR
	trap test_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	export HOME=$TEST_DIR/home
	export XDG_CONFIG_HOME=$TEST_DIR/config
	export XDG_DATA_HOME=$TEST_DIR/data
	export XDG_CACHE_HOME=$TEST_DIR/cache
	export XDG_RUNTIME_DIR=$TEST_DIR/run
	mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME"
	mkdir -m 0700 "$XDG_RUNTIME_DIR"
	# Nothing of the user's own set-up may leak in: ombre's data dir,
	# notmuch's configuration, the agent's name, the editor.
	unset OMBRE_DATA_DIR NOTMUCH_CONFIG NOTMUCH_DATABASE NOTMUCH_PROFILE \
	    MAILDIR EDITOR VISUAL
	export USER=tester LOGNAME=tester
	DATA=$XDG_DATA_HOME/ombre
	cd "$TEST_DIR" || exit 1
}

# nap SECONDS: sleep without a fork, on read's timeout from a fifo that
# nobody writes. The suite's poll loops wake many times a second in a
# hundred tests at once: a sleep process each time was a good part of
# make check's processor time.
nap() {
	if [ -z "${NAP_FD:-}" ]; then
		[ -p "$TEST_DIR/.nap" ] || mkfifo "$TEST_DIR/.nap" 2>/dev/null
		exec {NAP_FD}<>"$TEST_DIR/.nap"
	fi
	read -r -t "$1" -u "$NAP_FD" _ || :
}
# The tests' own `sleep N` (seconds, a fraction or not) is a nap too;
# anything else goes to sleep(1).
sleep() {
	if [ $# = 1 ] && [[ $1 =~ ^[0-9]*\.?[0-9]+$ ]] && [ -n "${TEST_DIR:-}" ]
	then
		nap "$1"
	else
		command sleep "$@"
	fi
}

# At exit: stop the background jobs the test started, then remove the
# temporary directory (kept when KEEP=1).
test_cleanup() {
	local pids
	pids=$(jobs -p)
	if [ -n "$pids" ]; then
		# shellcheck disable=SC2086 # one pid per word
		kill $pids 2>/dev/null
		wait 2>/dev/null
	fi
	cd / || return
	if [ "${KEEP:-0}" = 1 ]; then
		echo "# kept $TEST_DIR"
	else
		rm -rf "$TEST_DIR"
	fi
}

test_plan() {
	test_planned=$1
	echo "1..$1"
}

test_done() {
	[ -n "$test_planned" ] || echo "1..$test_count"
	exit 0
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

# Print one TAP result line: status (0 = ok), description, directive;
# return the status.
test_result() {
	local desc=${2//$'\n'/ }
	test_count=$((test_count + 1))
	# A "#" in a description would start a directive.
	desc=${desc//#/\\#}
	if [ "$1" -eq 0 ]; then
		echo "ok $test_count - $desc${3:+ # $3}"
	else
		echo "not ok $test_count - $desc${3:+ # $3}"
	fi
	return "$1"
}

ok() {
	local desc=$1 out status
	shift
	out=$("$@" 2>&1)
	status=$?
	test_result "$status" "$desc" || {
		diag "command: $* (exit status $status)"
		[ -z "$out" ] || diag "$(printf '%s\n' "$out" | tail -n 40)"
		return 1
	}
}

is() {
	test_result "$([ "$2" = "$3" ]; echo $?)" "$1" || {
		diag "$(diff -u --label expected --label got \
		    <(printf '%s\n' "$3") <(printf '%s\n' "$2"))"
		return 1
	}
}

like() {
	test_result "$([[ $2 =~ $3 ]]; echo $?)" "$1" || {
		diag "got: $2"
		diag "does not match: $3"
		return 1
	}
}

unlike() {
	test_result "$([[ ! $2 =~ $3 ]]; echo $?)" "$1" || {
		diag "got: $2"
		diag "matches, and should not: $3"
		return 1
	}
}

skip() {
	test_result 0 "$1" "SKIP $2"
}

# The real notmuch, with the configuration of ombre's store.
nm() {
	"$NOTMUCH" --config="${DATA:-$XDG_DATA_HOME/ombre}/notmuch-config" "$@"
}

# Set REPLY to $1 as a JSON string, escaped as python's json.dumps(s,
# ensure_ascii=False) does, without a fork (starting python3 for each line
# would dominate a test writing thousands). Bytes that are not UTF-8 are
# kept as they are, so that a test can feed them to ombre.
json_quote() {
	local s=$1 c ch
	case $s in
	*[\"\\[:cntrl:]]*)
		s=${s//\\/\\\\}
		s=${s//\"/\\\"}
		s=${s//$'\b'/\\b}
		s=${s//$'\f'/\\f}
		s=${s//$'\n'/\\n}
		s=${s//$'\r'/\\r}
		s=${s//$'\t'/\\t}
		for c in 01 02 03 04 05 06 07 0b 0e 0f 10 11 12 13 14 15 16 17 \
		    18 19 1a 1b 1c 1d 1e 1f; do
			printf -v ch '%b' "\\x$c"
			s=${s//"$ch"/\\u00$c}
		done ;;
	esac
	REPLY="\"$s\""
}

# One message line in the canonical format: compact, keys in the order
# ombre writes them (show --json adds fields such as tags). Escapes are
# python's (\u001b where jansson writes \u001B): compare such text
# through a JSON parser, not byte for byte.
json_line() {
	local line="" key i=0
	[ $# -eq 8 ] || {
		echo "usage: json_line CHANNEL ACCOUNT CONV ID DATE FROMID KIND TEXT" >&2
		return 2
	}
	for key in '{"channel":' ',"account":' ',"conversation":{"id":' \
	    '},"id":' ',"date":' ',"from":{"id":' ',"kind":' '},"text":'; do
		i=$((i + 1))
		json_quote "${!i}"
		line+=$key$REPLY
	done
	printf '%s}\n' "$line"
}

# ---------------------------------------------------------------- tmux
# The console tests drive the real program in a tmux server of their own
# (-L), in a pane called t. tmux_init NAME sets it up and kills it at exit.
tmux_init() {
	command -v tmux >/dev/null || skip_all "tmux is not installed"
	TMUX_SOCKET=ombre-$1-$$
	trap 'tm kill-server 2>/dev/null; test_cleanup' EXIT
}
tm() { tmux -L "$TMUX_SOCKET" -f /dev/null "$@"; }

# tmux_start COLS ROWS COMMAND: run COMMAND in pane t, every byte it
# writes recorded in terminal.raw from its first frame on (the pane waits
# until pipe-pane is attached before it starts the program).
tmux_start() {
	local i
	rm -f ready go
	tm new-session -d -s t -x "$1" -y "$2" \
	    "touch ready; while [ ! -e go ]; do sleep 0.05; done; $3"
	for ((i = 0; i < 100; i++)); do [ -e ready ] && break; sleep 0.05; done
	tm pipe-pane -t t -o "cat >>'$TEST_DIR/terminal.raw'"
	touch go
}

# wait_screen REGEX [SECONDS]: wait until the pane shows REGEX (bash ERE;
# a newline is $'\n'), at most SECONDS (10) and 200 looks. The looks
# come at once, then less often: most screens are there within 50 ms,
# and a capture costs the tmux server too.
wait_screen() {
	local i limit=$((${2:-10} * 20)) step=0.01
	for ((i = 0; i < limit; i++)); do
		[[ $(tm capture-pane -p -t t) =~ $1 ]] && return 0
		nap "$step"
		case $step in
		0.01) step=0.02 ;;
		0.02) step=0.05 ;;
		esac
	done
	return 1
}

# settle: wait until two captures 100 ms apart are the same (5 s at most).
settle() {
	local a b i
	a=$(tm capture-pane -p -t t)
	for ((i = 0; i < 50; i++)); do
		sleep 0.1
		b=$(tm capture-pane -p -t t)
		[ "$a" = "$b" ] && return 0
		a=$b
	done
}

# ------------------------------------------------------- test servers
# server_start NAME [ARGS...]: start tests/servers/NAME.py on 127.0.0.1 in
# the background (stopped at exit) and set SERVER_PORT to its port.
server_start() {
	local name=$1 i
	shift
	rm -f "$TEST_DIR/$name.port"
	"$PYTHON" "$top_srcdir/tests/servers/$name.py" \
	    --port-file "$TEST_DIR/$name.port" "$@" 2>>"$TEST_DIR/$name.log" &
	for ((i = 0; i < 200; i++)); do
		[ -s "$TEST_DIR/$name.port" ] && break
		sleep 0.05
	done
	SERVER_PORT=$(cat "$TEST_DIR/$name.port" 2>/dev/null)
	[ -n "$SERVER_PORT" ] ||
	    { echo "Bail out! the $name test server did not start"; exit 1; }
}

# webhook_start: `ombre webhook` on a free port of 127.0.0.1 in the
# background (stopped by webhook_stop, or at exit), its log in
# webhook.log; sets WEBHOOK_PORT and WEBHOOK_PID.
webhook_start() {
	local try i
	for try in 1 2 3 4 5; do
		WEBHOOK_PORT=$("$PYTHON" -S -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
		"$OMBRE" webhook --listen "127.0.0.1:$WEBHOOK_PORT" \
		    2>>"$TEST_DIR/webhook.log" &
		WEBHOOK_PID=$!
		for ((i = 0; i < 100; i++)); do
			# bash's /dev/tcp: a connect without a python each time
			{ : <>"/dev/tcp/127.0.0.1/$WEBHOOK_PORT"; } 2>/dev/null &&
			    return 0
			kill -0 "$WEBHOOK_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill "$WEBHOOK_PID" 2>/dev/null
		wait "$WEBHOOK_PID" 2>/dev/null
	done
	echo "Bail out! ombre webhook did not start"
	exit 1
}
webhook_stop() {
	kill "$WEBHOOK_PID" 2>/dev/null
	wait "$WEBHOOK_PID" 2>/dev/null
}

# ctl PORT PATH [JSON]: a test server's control API (GET, or POST JSON);
# prints the answer, fails on an HTTP error. curl: a python with urllib
# costs 100 ms of processor at each start, and tests poll with this.
ctl() {
	curl -sS --fail --max-time 30 ${3+--data-binary "$3"} \
	    -H 'Content-Type: application/json' \
	    "http://127.0.0.1:$1/_control/$2"
}

# jq_py EXPR: evaluate a Python expression on the JSON read from stdin
# (bound to j); prints the result (jq is not a dependency).
jq_py() {
	"$PYTHON" -S -c 'import json, sys; j = json.load(sys.stdin); r = eval(sys.argv[1]); print(r if not isinstance(r, (dict, list)) else json.dumps(r))' "$1"
}

# French for the tests of the translation (T550): OMBRE_LOCALEDIR names
# the build tree's catalogs (po/fr/LC_MESSAGES/ombre.mo) and, when the
# system has no fr_FR.UTF-8, one is built with localedef into
# $TEST_DIR/locale and named by LOCPATH. Every other test keeps LC_ALL at
# C.UTF-8 (above). Run a command in French with `in_french CMD...`.
# Returns 1 when no French locale can be had (no localedef sources).
french_init() {
	export OMBRE_LOCALEDIR=$top_builddir/po
	FRENCH_LOCPATH=
	if ! locale -a 2>/dev/null | grep -qix 'fr_FR\.utf-\{0,1\}8'; then
		mkdir -p "$TEST_DIR/locale"
		localedef -c -i fr_FR -f UTF-8 "$TEST_DIR/locale/fr_FR.UTF-8" \
		    >/dev/null 2>&1
		[ -e "$TEST_DIR/locale/fr_FR.UTF-8/LC_MESSAGES" ] || return 1
		FRENCH_LOCPATH=$TEST_DIR/locale
	fi
}
in_french() {
	env -u LC_ALL ${FRENCH_LOCPATH:+LOCPATH="$FRENCH_LOCPATH"} \
	    LANG=fr_FR.UTF-8 "$@"
}
