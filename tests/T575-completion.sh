#!/usr/bin/env bash
#
# Shell completion (issue 17): the files make install puts in place run
# `ombre completion bash|zsh`, whose scripts come from the program's
# tables: the subcommands and their options, the global options, the
# command language's names after -e, the option table's after -e set.
# bash: `complete -p ombre` once sourced, and _ombre's candidates for
# COMP_WORDS/COMP_CWORD; zsh: compinit finds _ombre on the fpath and its
# candidates (compadd and _describe recorded), and a real interactive zsh
# on a pty completing a line.

. "$top_srcdir/tests/lib.sh"
test_init

bin=$(dirname "$OMBRE")
comp=$top_srcdir/contrib/completion

ok "ombre completion bash prints a script bash accepts" \
    bash -n <("$OMBRE" completion bash)
"$OMBRE" completion fish >out 2>err
is "another shell: exit 2" "$?" 2
is "with the usage" "$(cat err)" "ombre: usage: ombre completion bash|zsh"

# --- bash ------------------------------------------------------------------
bash_complete() {
	PATH=$bin:$PATH bash --norc --noprofile -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_ombre
		printf "%s\n" "${COMPREPLY[*]}"' sh "$comp/ombre" "$@"
}
is "sourced, complete -p names _ombre for ombre" \
    "$(PATH=$bin:$PATH bash --norc --noprofile -c '. "$1"; complete -p ombre' sh "$comp/ombre")" \
    "complete -F _ombre ombre"
is "a subcommand from its first letters" "$(bash_complete ombre sh)" "shift show"
is "after global options" "$(bash_complete ombre --data-dir /tmp --demo li)" "list"
is "global options" "$(bash_complete ombre --d)" "--data-dir --demo"
is "a subcommand's options" "$(bash_complete ombre list --)" \
    "--help --json --limit --view"
is "its verbs" "$(bash_complete ombre shift "")" "start end status"
is "no option offered as an option's value" "$(bash_complete ombre list --view "")" ""
is "the command language after -e" "$(bash_complete ombre -e list-k)" "list-keys"
is "option names in -e's quoted 'set NAME'" \
    "$(bash_complete ombre -e "'set store.lock")" "'set store.lock-timeout"
is "after set -u too" "$(bash_complete ombre -e '"set -u store.batch-me')" \
    '"set -u store.batch-messages'
is "help takes a subcommand" "$(bash_complete ombre help tak)" "take-over"
# Every subcommand of ombre --help completes.
missing=""
for c in $("$OMBRE" --help | awk '$0 == "Commands:" { on = 1; next }
    on && NF == 0 { exit } on && /^  [a-z]/ { print $1 }'); do
	[[ " $(bash_complete ombre "") " == *" $c "* ]] || missing+=" $c"
done
is "every subcommand of --help is a candidate" "$missing" ""

# Every option a subcommand's parser takes (its struct cli_opt rows in
# src/cli) is offered by completion, somewhere.
script=$("$OMBRE" completion bash)
missing=""
for o in $(grep -ohE '\{ "[a-z-]+", ('"'"'.'"'"'|0), [01], ' \
    "$top_srcdir"/src/cli/cli-*.c | grep -oE '"[a-z-]+"' | tr -d '"' | sort -u); do
	grep -qE -- "[' ]--$o[' ]" <<<"$script" || missing+=" --$o"
done
is "every option of the parsers is offered" "$missing" ""

# --- zsh -------------------------------------------------------------------
if ! command -v zsh >/dev/null 2>&1; then
	skip "zsh: compinit finds _ombre" "zsh is not installed"
	test_done
fi
ok "ombre completion zsh prints a script zsh accepts" \
    zsh -n <("$OMBRE" completion zsh)
# compinit with the source tree's _ombre first on the fpath; compadd
# and _describe record the candidates instead of drawing a menu.
zsh_run() {
	PATH=$bin:$PATH zsh -f -c '
		fpath=("$1" $fpath); shift
		autoload -Uz compinit && compinit -u -d "$TEST_DIR/zcompdump"
		compadd() {
			if [[ $1 == -a ]]; then print -r -- ${(P)2}
			else shift; print -r -- "$@"; fi
		}
		_describe() { print -r -- ${${(P)4}%%:*} }
		_files() { print -r -- FILES "$@" }
		t() { words=("$@"); CURRENT=$#; PREFIX=${words[-1]}; _ombre }
		eval "$1"' zsh "$comp" "$@"
}
is "compinit registers _ombre for ombre" \
    "$(zsh_run 'print -r -- $_comps[ombre]')" "_ombre"
like "the subcommands, on the first call (autoloaded)" \
    "$(zsh_run 't ombre ""')" '^assign claim completion .* take-over templates trends webhook$'
is "a subcommand's options" "$(zsh_run 't ombre list --')" \
    "--help --json --limit --view"
is "after global options, its verbs" \
    "$(zsh_run 't ombre --data-dir /x contact ""')" "show list link unlink note set"
is "a data dir completes directories" "$(zsh_run 't ombre --data-dir ""')" \
    "FILES -/"

# A real interactive zsh on a pty (zsh/zpty): the line typed, Tab, then
# the completed line printed; each read waits for its pattern.
zsh_pty() {
	PATH=$bin:$PATH timeout 120 zsh -f -c '
		zmodload zsh/zpty || exit 2
		zpty -b t "zsh -f -i"
		zpty -w t "PS1=\"> \"; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -d $TEST_DIR/zcompdump2"
		zpty -w -n t "$2"$'"'"'\x01print -r -- RESULT \n'"'"'
		zpty -r -m t out "*RESULT $3*" && print -r -- "RESULT $3"
		zpty -d t' zsh "$comp" "$@"
}
if ! zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
	skip "zsh on a pty" "zsh has no zsh/zpty module"
	test_done
fi
is "zsh on a pty: ombre list --js, Tab" "$(zsh_pty $'ombre list --js\t' 'ombre list --json')" \
    "RESULT ombre list --json"
is "zsh on a pty: ombre -e 'set store.lock, Tab (within the quotes)" \
    "$(zsh_pty $'ombre -e \'set store.lock\t\'' 'ombre -e set store.lock-timeout')" \
    "RESULT ombre -e set store.lock-timeout"

test_done
