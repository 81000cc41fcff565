#!/usr/bin/env bash
# T050-commands.sh: the command language run by `ombre -e`.
. "$top_srcdir/tests/lib.sh"
test_init

out=$("$OMBRE" -e 'list-commands')
ok "-e runs a command and exits 0" test $? -eq 0
for c in set show-options tag view agent source list-commands channel; do
	ok "list-commands lists $c" grep -q "^$c\b" <<<"$out"
done

is "set then show-options, separated by ;" \
    "$("$OMBRE" -e 'set list.limit 7; show-options list.limit')" "list.limit 7"
"$OMBRE" -e 'set list.limit 0' 2>err
ok "an out-of-range value fails" test $? -ne 0
like "saying why" "$(cat err)" "list.limit"
"$OMBRE" -e 'set no.such.option 1' 2>err
ok "an unknown option fails" test $? -ne 0
"$OMBRE" -e 'set list.limit 3; frob; show-options list.limit' >out 2>err
ok "an unknown command fails the run" test $? -ne 0
is "and stops there" "$(cat out)" ""
like "with an error naming it" "$(cat err)" "frob"
is "quotes and escapes" "$("$OMBRE" -e "view 'My view' \"tag:inbox and tag:\\\"x y\\\"\"; view 'My view'")" 'tag:inbox and tag:"x y"'
is "line continuation with backslash" "$("$OMBRE" -e $'set list.limit \\\n 9; show-options list.limit')" "list.limit 9"
is "a comment ends the line" "$("$OMBRE" -e 'show-options list.limit # set list.limit 4')" "list.limit 50"

out=$("$OMBRE" -e 'view')
like "built-in views, in order" "$(printf '%s\n' "$out" | cut -f1 | tr '\n' ',')" \
    "^Inbox,Needs human,Bot,Mine,Unassigned,Snoozed,Done,Telegram,WhatsApp,Messenger,LINE,SMS,Matrix,Email,"
is "agent defaults to \$USER" "$("$OMBRE" -e agent)" tester
is "agent NAME sets it" "$("$OMBRE" -e 'agent bob; agent')" bob
"$OMBRE" -e 'agent "bad name"' 2>err
ok "an agent name with a space is refused" test $? -ne 0

# tag through the command language, on the real store.
"$OMBRE" ingest <"$top_srcdir/tests/corpora/small.jsonl"
"$OMBRE" -e 'tag Channel:telegram +ombre/prio/high; tag Channel:sms +x' 2>err
ok "the second tag matching nothing fails the run" test $? -ne 0
is "the first one was applied" "$(nm count --output=threads tag:ombre/prio/high)" 1
"$OMBRE" -e 'tag Channel:telegram -ombre/prio/high +urgent'
is "tags removed and added" "$(nm count tag:ombre/prio/high or not tag:urgent and Channel:telegram)" 0
like "priority shows in the list" "$("$OMBRE" -e 'tag Channel:telegram +ombre/prio/high' list Channel:telegram)"  " !"

# A user view from -e is usable by list in the same run.
is "a saved search" "$("$OMBRE" -e 'view Urgent tag:urgent' list --view Urgent --json | wc -l)" 1
# Key bindings are data in the command language.
keys=$("$OMBRE" -e list-keys)
like "list-keys prints the defaults as bind commands" "$keys" "bind -T root +j select-down"
like "with the list table's Enter" "$keys" "bind -T list +Enter open"
"$OMBRE" -e 'bind -T thread y "tag +a; back"; list-keys' >keys.conf
is "list-keys output, run as a config file, makes the same bindings" \
    "$("$OMBRE" -c keys.conf -e list-keys)" "$(cat keys.conf)"
like "bind adds a binding, a command string kept as one" \
    "$("$OMBRE" -e 'bind -T thread y "tag +a; back"; list-keys -T thread')" \
    "bind -T thread y 'tag \+a; back'"
like "several words are one command, each word kept" \
    "$("$OMBRE" -e 'bind -T list V show-view "Needs human"; list-keys -T list')" \
    "bind -T list +V show-view 'Needs human'"
unlike "unbind removes it" "$("$OMBRE" -e 'unbind q; list-keys')" " q quit"
"$OMBRE" -e 'bind z nosuch-command' 2>err
ok "a binding to an unknown command is refused" test $? -ne 0
like "saying which" "$(cat err)" "unknown command: nosuch-command"
"$OMBRE" -e 'bind -T nowhere z quit' 2>err
ok "an unknown table is refused" test $? -ne 0
"$OMBRE" -e 'unbind F12' 2>err
ok "unbinding a key that is not bound is an error" test $? -ne 0
"$OMBRE" -e 'done' 2>err
ok "a console command without a console fails" test $? -ne 0
like "saying it is for the console" "$(cat err)" "done: only in the console"
# Macros outside the console run their commands in turn.
is "a macro runs its commands" \
    "$("$OMBRE" -e 'macro two "set list.limit 9; show-options list.limit"; macro-run two')" \
    "list.limit 9"
like "macro alone lists them as macro commands" \
    "$("$OMBRE" -e 'macro two "set list.limit 9"; macro')" "^macro two 'set list.limit 9'"
"$OMBRE" -e 'macro bad "nosuch-command"' 2>err
ok "a macro of an unknown command is refused" test $? -ne 0
"$OMBRE" -e 'macro-run nothing' 2>err
ok "running a macro that is not there fails" test $? -ne 0
mkdir -p "$XDG_CONFIG_HOME/ombre"
printf 'macro kept "set list.limit 4"\n' >"$XDG_CONFIG_HOME/ombre/macros"
is "the macros file is read after the config" \
    "$("$OMBRE" -e 'macro-run kept; show-options list.limit')" "list.limit 4"
rm "$XDG_CONFIG_HOME/ombre/macros"
test_done
