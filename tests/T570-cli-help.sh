#!/usr/bin/env bash
#
# The command line as scripts use it (issue 17): `ombre help COMMAND` and
# `ombre COMMAND --help` for every subcommand (stdout, exit 0), every
# option they name accepted by the subcommand's own parser, a global
# option put after the command named in the error; show's ids taken by
# reply --base, a reply's delivery state in show and show --json, outbox
# naming ombre's conversation, sync --status --json; "1 duplicate".

. "$top_srcdir/tests/lib.sh"
test_init

# The subcommands of `ombre --help` (as T110 reads them).
commands=$("$OMBRE" --help | awk '
	$0 == "Commands:" { inside = 1; next }
	inside && NF == 0 { exit }
	inside && /^  [a-z]/ { print $1 }')
ok "ombre --help lists subcommands" test -n "$commands"

# --- help COMMAND, COMMAND --help -----------------------------------------
bad=""
for c in $commands help completion; do
	out=$("$OMBRE" help "$c" 2>err)
	rc=$?
	[ $rc -eq 0 ] && [ ! -s err ] && [[ $out == "usage: ombre $c "* ]] &&
	    [[ $out == *"See ombre(1)."* ]] || bad+=" help:$c($rc)"
	out2=$("$OMBRE" "$c" --help 2>err)
	rc=$?
	[ $rc -eq 0 ] && [ ! -s err ] && [ "$out2" = "$out" ] ||
	    bad+=" $c--help($rc)"
done
is "help COMMAND and COMMAND --help: usage on stdout, exit 0, for every subcommand" \
    "$bad" ""
like "with the options and what each does" "$("$OMBRE" help reply)" \
    $'\nOptions:\n(.*\n)*  --base ID +held \\(exit 3\\)'
is "-h too" "$("$OMBRE" list -h)" "$("$OMBRE" help list)"
is "--help after other options" "$("$OMBRE" list --json --limit 3 --help)" \
    "$("$OMBRE" help list)"
is "ombre help is ombre --help" "$("$OMBRE" help)" "$("$OMBRE" --help)"
# Whatever the subcommand's parser, --help after an option is the help.
bad=""
for args in "report --json" "insights --csv" "trends --json" \
    "shift status --json" "shift end --force" "contact list --json" \
    "done c1 --agent bob" "claim c1 --json" "handoffs --json"; do
	c=${args%% *}
	[ "$("$OMBRE" $args --help)" = "$("$OMBRE" help "$c")" ] ||
	    bad+=" [$args --help]"
done
is "--help after an option, for every kind of parser" "$bad" ""
# --help lists the subcommands from the same table as help COMMAND.
bad=""
help_words=$("$OMBRE" --help | tr -s '\n ' '  ')
for c in $commands; do
	summary=$("$OMBRE" help "$c" | awk 'blank && NF { print; exit } !NF { blank = 1 }')
	first=${summary:0:21}
	[[ $help_words == *"${first,}"* ]] || bad+=" $c"
done
is "--help's summary of each subcommand is help COMMAND's" "$bad" ""
out=$("$OMBRE" help bind)
is "help of a command of the language: exit 0" "$?" 0
like "its row's usage and help" "$out" \
    $'^usage: bind \\[-T TABLE\\] KEY COMMAND\\.\\.\\.\n\nBind a key'
"$OMBRE" help nosuch >out 2>err
is "help of an unknown command: exit 2" "$?" 2
is "naming it" "$(cat err)" "ombre: help: unknown command 'nosuch' (see ombre --help)"
is "nothing on stdout" "$(cat out)" ""

# Every option a subcommand's help names is one its parser takes: given
# it (and a value when it has one) then an unknown option, the parser
# stops at the unknown one. A subcommand with verbs parses after its verb.
bad=""
for c in $commands; do
	verbs=$("$OMBRE" help "$c" | sed -n '1,/^$/p' | tr -s '\n ' '  ' |
	    sed -e 's/^usage: ombre [^ ]* //' -e 's/ | /\n/g' |
	    grep -oE '^[a-z]+(\|[a-z]+)*' | tr '|\n' '  ')
	case $c in contact | shift | templates) ;; *) verbs="" ;; esac
	while read -r names arg; do
		for o in ${names//,/ }; do
			[ -n "$arg" ] && [[ $arg != -* ]] && set -- "$o" x || set -- "$o"
			found=""
			for v in ${verbs:-""}; do
				err=$("$OMBRE" "$c" ${v:+"$v"} "$@" --zz-unknown 2>&1 >/dev/null)
				[[ $err == *"unknown option --zz-unknown"* ]] && found=1
			done
			[ -n "$found" ] || bad+=" $c:$o"
		done
	done < <("$OMBRE" help "$c" | awk '/^Options:$/ { on = 1; next }
		on && NF == 0 { exit }
		on && /^  -/ { sub(/^  /, ""); split($0, a, "  "); print a[1] }')
done
is "every option in a subcommand's help is accepted by its parser" "$bad" ""

# --- global options after the command -------------------------------------
for g in --demo --no-traffic --data-dir=/tmp -c --verbose -e; do
	"$OMBRE" list "$g" >out 2>err
	rc=$?
	is "list $g: exit 2" "$rc" 2
	is "the error names it as a global option" "$(cat err)" \
	    "ombre: list: ${g%%=*} is a global option: put it before the command"
done
# The subcommands without an option parser too: tag would have taken
# --demo for the operation -TAG.
for c in "tag 1" "fetch 1" "hook test message 1"; do
	"$OMBRE" $c --demo >out 2>err
	is "$c --demo: exit 2, named" "$?: $(cat err)" \
	    "2: ombre: ${c%% *}: --demo is a global option: put it before the command"
done
is "tag 1 +x --help: its usage" "$("$OMBRE" tag 1 +x --help | head -n 1)" \
    "usage: ombre tag CONV|QUERY +TAG|-TAG..."
is "a subcommand's own -v is still its own" \
    "$(printf '' | "$OMBRE" ingest -v 2>&1; echo "rc=$?")" \
    "ombre: 0 stored, 0 duplicates, 0 rejected"$'\n'"rc=0"

# --- show's ids and reply --base -----------------------------------------
{
	json_line whatsapp 106540352242922 33612345678 wamid.1 2026-11-20T09:30:00Z 33612345678 customer "Bonjour, ma livraison ?"
	json_line whatsapp 106540352242922 33612345678 wamid.2 2026-11-20T09:35:00Z 33612345678 customer "Toujours rien"
} | "$OMBRE" ingest >/dev/null
conv=$("$OMBRE" list --json | jq_py 'j["id"]')
mkdir -p "$XDG_CONFIG_HOME/ombre"
printf 'channel shop-wa whatsapp account=106540352242922\n' \
    >"$XDG_CONFIG_HOME/ombre/config"
chmod 600 "$XDG_CONFIG_HOME/ombre/config"
json=$("$OMBRE" show --json "$conv")
first=$(head -n 1 <<<"$json" | jq_py 'j["message_id"]')
last=$(tail -n 1 <<<"$json" | jq_py 'j["message_id"]')
like "show --json gives each message's message_id" "$first" '@ombre$'
like "show prints the same id after the author" "$("$OMBRE" show "$conv")" \
    "  33612345678 \\(customer\\)  <${last//./\\.}>"
"$OMBRE" reply "$conv" --base "$first" --text "Elle arrive" >out 2>err
is "reply --base the first message's id: held, exit 3" "$?" 3
like "saying what came since" "$(cat err)" 'Toujours rien'
out=$("$OMBRE" reply "$conv" --base "$last" --text "Elle arrive demain" 2>err)
is "reply --base the newest message's id: stored, exit 0" "$?" 0
rid=${out%% *}
like "the reply is queued" "$out" '^out\.[0-9a-f-]{36} queued$'
reply=$("$OMBRE" show --json "$conv" | grep "\"id\":\"$rid\"")
is "show --json gives the reply's delivery_state" \
    "$(jq_py 'j["delivery_state"]' <<<"$reply")" queued
like "show gives it after the author, then its id" "$("$OMBRE" show "$conv")" \
    "tester \\(agent\\)  \\[queued\\]  <$rid@ombre>"
out=$("$OMBRE" reply "$conv" --base "<$(jq_py 'j["message_id"]' <<<"$reply")>" \
    --text "Autre chose ?" 2>err)
is "--base takes the reply's own id, in <> too" "$?" 0

# --- outbox --------------------------------------------------------------
like "outbox names ombre's conversation after the reply's id" \
    "$("$OMBRE" outbox | head -n 1)" "^queued +[^ ]+ $rid $conv whatsapp 33612345678  Elle arrive demain$"
is "outbox --json: the same conversation, as list gives it" \
    "$("$OMBRE" outbox --json | head -n 1 | jq_py 'j["conversation"]')" "$conv"
is "and the reply's id" \
    "$("$OMBRE" outbox --json | head -n 1 | jq_py 'j["id"]')" "$rid"

# --- sync --status --json ------------------------------------------------
"$OMBRE" sync --status >/dev/null
text_rc=$?
status=$("$OMBRE" sync --status --json)
is "sync --status --json: the exit status of sync --status" "$?" "$text_rc"
is "one JSON object: the syncer (not running), channels, quarantine, index, hooks, the receiver (a WhatsApp channel is declared)" \
    "$(jq_py '[j["syncer"]["running"], type(j["channels"]).__name__, j["quarantined"], "index" in j, "hooks" in j, j["webhook"]["running"]]' <<<"$status")" \
    '[false, "list", 0, true, true, false]'

# --- grammar ---------------------------------------------------------------
json_line telegram 1 2 3 2026-11-20T09:00:00Z 2 customer "x" >one.json
"$OMBRE" ingest <one.json 2>/dev/null
is "ingest -v: 1 duplicate, not 1 duplicates" \
    "$("$OMBRE" ingest -v <one.json 2>&1 | tail -n 1)" \
    "ombre: 0 stored, 1 duplicate, 0 rejected"

test_done
