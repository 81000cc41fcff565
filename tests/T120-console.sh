#!/usr/bin/env bash
#
# The console, driven in tmux like a user would: first screen, moving the
# cursor, resizing, following the database, hostile text never reaching the
# terminal, and the terminal given back on q and on SIGTERM. Every wait has
# a ceiling instead of a fixed sleep.

. "$top_srcdir/tests/lib.sh"
test_init

tmux_init console
export LC_ALL=C.UTF-8 TZ=UTC OMBRE_NOW=2026-11-20T10:00:00Z
# wait_cursor ROW: wait (with a ceiling) until the cursor is on ROW.
wait_cursor() {
	local i
	for ((i = 0; i < 60; i++)); do
		[ "$(cursor_row)" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
# The row of the pane the cursor (cyan background) is on, 0-based.
cursor_row() {
	tm capture-pane -p -e -t t | grep -n $'\e\\[[0-9;]*46m' | head -n 1 |
	    cut -d: -f1 | awk '{ print $1 - 1 }'
}

# The demo store, built before the console starts (it takes a few seconds).
"$OMBRE" --demo list --limit 100000 >list.txt || { echo "Bail out! no demo store"; exit 1; }
first=$(head -n 1 list.txt | cut -c 16-33 | sed 's/ *$//')
total=$(wc -l <list.txt)

# A binding of the user's own, from the config file. Opening a
# conversation leaves it unread here: the test follows list.txt's unread
# rows (t-ui checks thread.mark-read).
mkdir -p "$XDG_CONFIG_HOME/ombre"
printf 'bind -T list J select-last\nset thread.mark-read off\n' >"$XDG_CONFIG_HOME/ombre/config"

# Every byte written to the terminal is recorded from the first frame on.
tmux_start 80 24 "'$OMBRE' --demo --no-traffic; echo \"EXIT=\$?\"; sleep 60"

ok "the console shows the Inbox on 80x24" wait_screen "Inbox +[0-9]+ conversations"
screen=$(tm capture-pane -p -t t)
like "the status line is the last of the 24 rows" \
    "$(sed -n 24p <<<"$screen")" "^ Inbox"
like "the first row is the newest conversation, as list shows it" \
    "$(head -n 1 <<<"$screen")" "$first"
is "the cursor starts on the first row" "$(cursor_row)" 0
# The demo data is fixed (seed and OMBRE_NOW): the first screen has
# customers waiting for hours.
ok "the first screen of the demo has a customer waiting for hours" \
    grep -qE ' new +[0-9]+h ' <(head -n 23 list.txt)
like "a customer waiting for hours shows it in red" \
    "$(tm capture-pane -p -e -t t)" $'\e\\[31m +[0-9]+h '
tm send-keys -t t j j j
wait_cursor 3
is "j moves it down (three times)" "$(cursor_row)" 3
tm send-keys -t t k
wait_cursor 2
is "k moves it up" "$(cursor_row)" 2
tm send-keys -t t G
last=$(tail -n 1 list.txt | cut -c 16-33 | sed 's/ *$//')
ok "G goes to the last conversation: the list scrolled" \
    bash -c "for i in \$(seq 100); do tmux -L '$TMUX_SOCKET' capture-pane -p -t t | sed -n 23p | grep -qF -- '$last' && exit 0; sleep 0.05; done; exit 1"
is "and the cursor is on the last row above the status line" "$(cursor_row)" 22
tm send-keys -t t g
wait_cursor 0
is "g goes back to the first" "$(cursor_row)" 0
tm send-keys -t t J
wait_cursor 22
is "J, bound in the config file to select-last, goes to the last" "$(cursor_row)" 22
tm send-keys -t t g
sleep 0.2
tm send-keys -t t PageDown
wait_cursor 22
is "PageDown moves a screen down" "$(cursor_row)" 22

# The thread view: Enter opens the conversation under the cursor.
tm send-keys -t t g j
sleep 0.2
second_name=$(sed -n 2p list.txt | cut -c 16-33 | sed 's/ *$//')
second_id=$(sed -n 2p list.txt | awk '{ print $1 }')
tm send-keys -t t Enter
ok "Enter opens the conversation: its customer in the title" \
    wait_screen "^$second_name" 3
last_text=$("$OMBRE" --demo show "$second_id" | grep '^  ' | tail -n 1 |
    sed 's/^  //' | cut -c 1-30)
like "its newest message is on the screen" "$(tm capture-pane -p -t t)" \
    "$(printf '%s' "$last_text" | sed 's/[][\.*^$(){}?+|/]/\\&/g')"
like "messages say who wrote them" "$(tm capture-pane -p -t t)" \
    "[0-9][0-9]:[0-9][0-9]  .* \((customer|bot|agent|internal note)\)"
tm send-keys -t t Escape
ok "Escape goes back to the list" wait_screen "Inbox +[0-9]+ conversations" 3
is "with the cursor where it was" "$(cursor_row)" 1

# J / K: the next or previous unread conversation (J is the config's
# select-last in the list table, so the thread view's J is used here).
unread_rows=$(head -n 23 list.txt | grep -nE ' [0-9]+ new ' | cut -d: -f1 | awk '{ print $1 - 1 }')
u1=$(sed -n 1p <<<"$unread_rows") u2=$(sed -n 2p <<<"$unread_rows")
ok "the first screen of the demo has at least two unread conversations" \
    test -n "$u2"
tm send-keys -t t g
wait_cursor 0
for ((i = 0; i < u2; i++)); do tm send-keys -t t j; done
wait_cursor "$u2"
sleep 0.3
tm send-keys -t t K
wait_cursor "$u1"
is "K goes to the previous unread conversation" "$(cursor_row)" "$u1"
tm send-keys -t t Enter
sleep 0.3
u2_name=$(sed -n "$((u2 + 1))p" list.txt | cut -c 16-33 | sed 's/ *$//')
tm send-keys -t t J
ok "J in a conversation opens the next unread one" wait_screen "^$u2_name" 3 ||
    diag "$(tm capture-pane -p -t t | head -n 2)"
tm send-keys -t t Escape
wait_cursor "$u2"
is "and the list's cursor followed it" "$(cursor_row)" "$u2"
sleep 0.3
tm send-keys -t t g
wait_cursor 0
sleep 0.3
tm send-keys -t t j
wait_cursor 1

tm resize-window -t t -x 200 -y 60
ok "resized to 200x60: the status line moves to row 60" \
    bash -c "for i in \$(seq 100); do tmux -L '$TMUX_SOCKET' capture-pane -p -t t | sed -n 60p | grep -q '^ Inbox' && exit 0; sleep 0.05; done; exit 1"
sidebar=$(tm capture-pane -p -t t | head -n 14)
like "from 100 columns a sidebar lists the views" "$sidebar" \
    "^Inbox +[0-9.]+/?[0-9]* *\\|"
for view in "Needs human" Bot Mine Unassigned Snoozed Done Telegram WhatsApp; do
	like "the sidebar has $view" "$sidebar" $'(^|\n)'"$view"
done
inbox_total=$("$OMBRE" --demo list --limit 100000 | wc -l)
inbox_unread=$("$OMBRE" --demo list --limit 100000 tag:inbox and tag:unread | wc -l)
ok "with unread and total counts, filled in after the first paint" \
    wait_screen "(^|\n)Inbox +$inbox_unread/$inbox_total +\\|" 5 ||
    diag "$(tm capture-pane -p -t t | head -n 2)"
# The counts follow the database from its changes (a lastmod: delta),
# not from a recount held back for the next round.
DEMO=$XDG_CACHE_HOME/ombre/demo
unread_one=$("$OMBRE" --demo list --limit 1 tag:inbox and tag:unread | awk '{ print $1 }')
"$NOTMUCH" --config="$DEMO/notmuch-config" tag -unread -- \
    "thread:$(printf '%016x' $((16#$unread_one)))"
ok "an outside notmuch tag -unread moves the Inbox's unread count at once" \
    wait_screen "(^|\n)Inbox +$((inbox_unread - 1))/$inbox_total +\\|" 3 ||
    diag "$(tm capture-pane -p -t t | head -n 2)"
"$NOTMUCH" --config="$DEMO/notmuch-config" tag +unread -- \
    "thread:$(printf '%016x' $((16#$unread_one)))"
ok "and back when it is unread again" \
    wait_screen "(^|\n)Inbox +$inbox_unread/$inbox_total +\\|" 3
# Tab: the sidebar takes the keys; j moves in it, Enter shows a view.
sidebar_cursor() {
	tm capture-pane -p -e -t t | cut -c 1-60 | grep -n $'\e\\[[0-9;]*46m[A-Z]' |
	    head -n 1 | cut -d: -f1
}
tm send-keys -t t Tab
sleep 0.3
tm send-keys -t t j
for ((i = 0; i < 40; i++)); do [ "$(sidebar_cursor)" = 2 ] && break; sleep 0.05; done
is "Tab gives the keys to the sidebar: j moves to its second view" "$(sidebar_cursor)" 2
tm send-keys -t t Enter
ok "and Enter shows that view" wait_screen $'\n Needs human +[0-9]+ conversations' 3 ||
    diag "$(tm capture-pane -p -t t | tail -n 1)"
tm send-keys -t t 1
wait_screen $'\n Inbox +[0-9]+ conversations' 3
all_unread=$("$OMBRE" --demo list --limit 100000 tag:unread | wc -l)
tm send-keys -t t : "view Unread tag:unread" Enter
ok "a view defined at the prompt gets its counts in the sidebar" \
    wait_screen "Unread +$all_unread/$all_unread +\\|" 5 ||
    diag "$(tm capture-pane -p -t t | head -n 16)"
tm resize-window -t t -x 80 -y 24
ok "and back to 80x24: row 24" \
    bash -c "for i in \$(seq 100); do tmux -L '$TMUX_SOCKET' capture-pane -p -t t | sed -n 24p | grep -q '^ Inbox' && exit 0; sleep 0.05; done; exit 1"
ok "no row is wider than the terminal" \
    test "$(tm capture-pane -p -t t | wc -L)" -le 80

# Another process changes the database: the console follows it.
tm send-keys -t t g
second=$(sed -n 2p list.txt | awk '{ print $1 }')
"$NOTMUCH" --config="$DEMO/notmuch-config" tag -inbox -- \
    "thread:$(printf '%016x' $((16#$second)))"
ok "a notmuch tag from outside shows within a second or two" \
    wait_screen "Inbox +$((total - 1)) conversations" 3
is "and the cursor stayed on the same conversation" "$(cursor_row)" 0

# A name in the demo data carries an OSC title sequence (ESC ] 0;pwned BEL).
ok "hostile text is shown as visible placeholders" wait_screen '\^\[\]0;pwned' 2
ok "no escape sequence from a message reached the terminal" \
    bash -c "! grep -qa $'\e]0;pwned' terminal.raw"

# Triage keys: the write runs in a child, the list follows the database.
nmd() { "$NOTMUCH" --config="$DEMO/notmuch-config" "$@"; }
tm send-keys -t t g
sleep 0.2
now_total=$((total - 1))
top_id=$(printf '%016x' $((16#$(sed -n 1p list.txt | awk '{ print $1 }'))))
tm send-keys -t t e
ok "e closes the conversation: it leaves the Inbox" \
    wait_screen "Inbox +$((now_total - 1)) conversations +done" 3
is "notmuch sees it done" "$(nmd count "thread:$top_id and tag:ombre/done")" \
    "$(nmd count "thread:$top_id")"
tm send-keys -t t U
ok "U undoes it: back in the Inbox" \
    wait_screen "Inbox +$now_total conversations +undo done" 3
is "and ombre/done is gone again" "$(nmd count "thread:$top_id and tag:ombre/done")" 0
tm send-keys -t t g x x
ok "x marks conversations" wait_screen "2 marked" 2
tm send-keys -t t T
ok "T takes the marked set over from the bot" \
    wait_screen "taken over from the bot \(2 conversations\)" 3
is "both are assigned to the agent, no longer the bot's" \
    "$(nmd count --output=threads 'tag:ombre/assigned/tester and -tag:ombre/bot and -tag:ombre/handoff')" 2
if [ "$(nmd count "thread:$top_id and tag:ombre/prio/high")" -gt 0 ]; then
	want="priority low" tag=ombre/prio/low
else
	want="priority high" tag=ombre/prio/high
fi
tm send-keys -t t g !
ok "! cycles the priority: $want" wait_screen "$want" 3
is "notmuch sees $tag" "$(nmd count --output=threads "thread:$top_id and tag:$tag")" 1

# s snoozes: out of the Inbox until the time; back when it has come.
tm send-keys -t t g
sleep 0.2
top_id=$(printf '%016x' $((16#$("$OMBRE" --demo list | head -n 1 | awk '{ print $1 }'))))
before=$(tm capture-pane -p -t t | tail -n 1 | grep -oE '[0-9]+ conversations' | cut -d' ' -f1)
tm send-keys -t t s
ok "s asks until when" wait_screen "snooze until \\(1: 1h, 2: 4h" 2
tm send-keys -t t 3 Enter
ok "3 is tomorrow 9:00" wait_screen "snoozed until Sat 21 Nov 09:00" 3
ok "the conversation left the Inbox" wait_screen "Inbox +$((before - 1)) conversations" 3
is "notmuch sees it snoozed, with its time as a property" \
    "$(nmd dump --include=properties "thread:$top_id" | grep -c 'ombre.snooze-until=')" \
    "$(nmd count "thread:$top_id")"
is "and not in the inbox" "$(nmd count "thread:$top_id and tag:inbox")" 0
tm send-keys -t t : 'snooze soon' Enter
ok "a time it cannot read is refused, saying how to say it" \
    wait_screen "say when: 1h, 4h" 3
# A snooze whose time has come goes back to the Inbox. `notmuch tag
# +ombre/snoozed` gives no time: it is due at once.
other=$(printf '%016x' $((16#$("$OMBRE" --demo list | sed -n 2p | awk '{ print $1 }'))))
nmd tag -inbox +ombre/snoozed -- "thread:$other"
ok "a snoozed conversation whose time has come is back in the Inbox" \
    wait_screen "a snoozed conversation is back" 5
is "with inbox again and without ombre/snoozed" \
    "$(nmd count "thread:$other and tag:inbox and not tag:ombre/snoozed")" \
    "$(nmd count "thread:$other")"
is "while the one snoozed until tomorrow stays snoozed" \
    "$(nmd count "thread:$top_id and tag:ombre/snoozed")" "$(nmd count "thread:$top_id")"
tm send-keys -t t U
ok "U undoes the snooze" wait_screen "undo snoozed until" 3
is "back in the inbox" "$(nmd count "thread:$top_id and tag:inbox")" "$(nmd count "thread:$top_id")"

# l labels, A assigns to someone, both through a prompt.
tm send-keys -t t g l
ok "l asks for a label" wait_screen "label:" 2
tm send-keys -t t vip Enter
ok "and puts it on" wait_screen "labelled" 3
is "notmuch sees the label" "$(nmd count --output=threads "thread:$top_id and tag:vip")" 1
tm send-keys -t t A
ok "A asks whom to assign to" wait_screen "assign to:" 2
tm send-keys -t t bob Enter
ok "and assigns" wait_screen "assigned" 3
is "to bob alone" "$(nmd count --output=threads "thread:$top_id and tag:ombre/assigned/bob and not tag:ombre/assigned/tester")" 1
tm send-keys -t t l 'bad label' Enter
ok "a label with a space is refused" wait_screen "not a label name" 3

# Macros: recorded from keys, run on the marked set, kept for next time.
tm send-keys -t t : 'macro-record vipdone' Enter
ok "macro-record starts a recording" wait_screen "recording macro vipdone" 3
tm send-keys -t t l vip2 Enter
wait_screen "labelled" 3
tm send-keys -t t !
wait_screen "priority" 3
tm send-keys -t t : macro-stop Enter
ok "macro-stop keeps it, in the macros file" \
    wait_screen "macro vipdone recorded, kept in" 3
like "the file holds it as a macro command" \
    "$(cat "$XDG_CONFIG_HOME/ombre/macros")" "^macro vipdone .*label 'vip2'; cycle-priority"
like "and the config reads it back next time" "$("$OMBRE" -e 'macro vipdone')" \
    "macro vipdone .*label 'vip2'; cycle-priority"
tm send-keys -t t G x k x
ok "two conversations marked" wait_screen "2 marked" 3
tm send-keys -t t : 'macro-run vipdone' Enter
ok "the macro runs" wait_screen "conversations" 3
for ((i = 0; i < 60; i++)); do
	[ "$(nmd count --output=threads tag:vip2)" -ge 3 ] && break
	sleep 0.05
done
is "on the whole marked set, every command of it (with the first one)" \
    "$(nmd count --output=threads tag:vip2)" 3
tm send-keys -t t : 'bind -T list M macro-run vipdone' Enter
sleep 0.2
tm send-keys -t t g j j M
for ((i = 0; i < 60; i++)); do
	[ "$(nmd count --output=threads tag:vip2)" -ge 4 ] && break
	sleep 0.05
done
is "a macro bound to a key runs on the conversation under the cursor" \
    "$(nmd count --output=threads tag:vip2)" 4

# A write waiting for the lock: the screen says so and keeps answering.
# The holder lets go when told (SIGUSR1), not after a time a loaded
# machine could overrun; 20 s is only its ceiling.
"$top_builddir/tests/helpers/hold-lock" "$DEMO/notmuch-config" 20 >holder.out 2>&1 &
holder=$!
for ((i = 0; i < 100; i++)); do [ -s holder.out ] && break; sleep 0.05; done
tm send-keys -t t g u
ok "while another process holds the lock: waiting for database" \
    wait_screen "waiting for database" 3 ||
    diag "holder: $(cat holder.out)" "$(tm capture-pane -p -t t | tail -n 1)"
tm send-keys -t t '?'
ok "and keys still work meanwhile (? opens the help at once)" wait_screen "^Keys" 1
tm send-keys -t t Escape
unlike "the write waits while the lock is held" \
    "$(tm capture-pane -p -t t | tail -n 1)" "marked (read|unread)"
kill -USR1 "$holder"
ok "the write completes once the lock is free" \
    wait_screen "marked (read|unread)" 8
wait "$holder"

# Views: 2 is "Needs human", 1 the Inbox again.
needs=$("$OMBRE" --demo list --limit 100000 --view "Needs human" | wc -l)
tm send-keys -t t 2
ok "2 shows the Needs human view, as many as list --view shows" \
    wait_screen "Needs human +$needs conversations" 3
tm send-keys -t t 1
ok "1 goes back to the Inbox" wait_screen " Inbox +[0-9]+ conversations" 3

# / searches with a notmuch query; n and N step through the results.
sms=$("$OMBRE" --demo list --limit 100000 Channel:sms | wc -l)
tm send-keys -t t / Channel:sms Enter
ok "/ lists what a query matches" wait_screen "/Channel:sms +$sms conversations" 3
ok "only SMS conversations" bash -c "tmux -L '$TMUX_SOCKET' capture-pane -p -t t |
    head -n $((sms < 23 ? sms : 23)) | grep -qv '^ *SM' && exit 1 || exit 0"
tm send-keys -t t n
wait_cursor 1
is "n goes to the next result" "$(cursor_row)" 1
tm send-keys -t t Enter
wait_screen "conversation +Esc back" 3
tm send-keys -t t N
sleep 0.3
third_name=$(sed -n 1p <("$OMBRE" --demo list --limit 100000 Channel:sms) | cut -c 16-33 | sed 's/ *$//')
ok "N in an open conversation opens the previous result" wait_screen "^$third_name" 3
tm send-keys -t t Escape
sleep 0.2
tm send-keys -t t 1
ok "1 leaves the search for the Inbox" wait_screen " Inbox +[0-9]+ conversations" 3
tm send-keys -t t / 'date:foo..(' Enter
ok "a bad search names the query as typed, not the thread:\"{...}\" around it" \
    wait_screen "bad query 'date:foo\.\.\('" 3 ||
    diag "$(tm capture-pane -p -t t | tail -n 1)"
tm send-keys -t t 1
wait_screen " Inbox +[0-9]+ conversations" 3

# The help screen is generated from the key tables.
tm send-keys -t t '?'
ok "? opens the screen headed Keys" wait_screen "^Keys" 3
like "listing each binding with its command and what it does" \
    "$(tm capture-pane -p -t t)" $'\n  ! +cycle-priority +priority high'
tm send-keys -t t G
ok "and ends with the legend of the channel badges" \
    wait_screen "Badges: TG telegram, WA whatsapp" 3
tm send-keys -t t Escape
ok "Escape closes it" wait_screen " Inbox +[0-9]+ conversations" 3

# The ':' prompt: commands of the config language, completion, history.
tm send-keys -t t : show-o Tab
ok "Tab completes a command name" wait_screen ":show-options( |$)" 3
tm send-keys -t t Escape
sleep 0.2
tm send-keys -t t : ag Tab Enter
ok "Enter runs the line; its output goes to the status line" \
    wait_screen "conversations +tester" 3
tm send-keys -t t : q
ok "in the prompt q is a letter" wait_screen ":q" 2
tm send-keys -t t Escape
ok "Escape cancels the prompt, the console is still there" \
    wait_screen " Inbox +[0-9]+ conversations" 3
tm send-keys -t t : nosuch Enter
ok "an unknown command is reported on the status line" \
    wait_screen "unknown command: nosuch" 3
tm send-keys -t t : Up Up
ok "Up recalls earlier lines" wait_screen ":agent" 3
tm send-keys -t t Escape
sleep 0.2	# else Escape and the next key read as Meta-key

tm send-keys -t t y
ok "an unbound key says so" wait_screen "y is not bound" 2
tm send-keys -t t q
ok "q quits" wait_screen "EXIT=0" 3

# C-z suspends it to the shell, fg brings it back (job control needs an
# interactive shell in the pane).
tm respawn-pane -k -t t "env PS1='$ ' bash --norc -i"
sleep 0.3
tm send-keys -t t "'$OMBRE' --demo --no-traffic" Enter
wait_screen "Inbox +[0-9]+ conversations" 10
tm send-keys -t t C-z
ok "C-z gives the terminal back to the shell" wait_screen "Stopped" 3
tm send-keys -t t "fg" Enter
ok "fg brings the console back, redrawn" \
    wait_screen $'(^|\n)[ *][A-Z][A-Z] .*\n.* Inbox +[0-9]+ conversations' 3
tm send-keys -t t q
last_line() { tm capture-pane -p -t t | grep -v '^ *$' | tail -n 1; }
for ((i = 0; i < 60; i++)); do [ "$(last_line)" = '$' ] && break; sleep 0.05; done
is "and q ends it, back at the shell prompt" "$(last_line)" '$'

# A view larger than a page: the first paint reads one page (200), the
# rest comes as the cursor nears the end.
"$OMBRE" demo --seed 3 --conversations 1200 --messages-per-conversation 2 --out big >/dev/null
big_total=$("$OMBRE" --data-dir big list --limit 100000 | wc -l)
tm respawn-pane -k -t t "'$OMBRE' --data-dir '$TEST_DIR/big'; sleep 60"
ok "a large view paints its first page, saying there is more" \
    wait_screen "Inbox +200\\+ conversations" 10
tm send-keys -t t G
ok "G reads the rest and goes to the last" \
    wait_screen "Inbox +$big_total conversations" 10
last_big=$("$OMBRE" --data-dir big list --limit 100000 | tail -n 1 | cut -c 16-33 | sed 's/ *$//')
like "the last row is the last conversation" "$(tm capture-pane -p -t t | sed -n 23p)" "$last_big"

# Without --no-traffic the demo inbox lives: simulated customers write,
# played by a child into the store, and the console follows.
now_inbox=$("$OMBRE" --demo list --limit 100000 | wc -l)
tm respawn-pane -k -t t "'$OMBRE' --demo; echo \"EXIT=\$?\"; sleep 60"
wait_screen "Inbox +[0-9]+ conversations" 10
ok "simulated traffic brings a new conversation within seconds" \
    wait_screen "Inbox +$((now_inbox + 1)) conversations" 20
tm send-keys -t t q
wait_screen "EXIT=0" 3
sleep 0.3
ok "and stops with the console" bash -c "! pgrep -f -- '^$OMBRE --demo\$' >/dev/null"

# SIGTERM gives the terminal back too.
tm respawn-pane -k -t t "'$OMBRE' --demo --no-traffic; echo \"EXIT=\$?\"; stty -a | grep -o ' -\\?icanon'; sleep 60"
wait_screen "Inbox +[0-9]+ conversations" 10
pkill -TERM -f -- "^$OMBRE --demo --no-traffic\$" 2>/dev/null ||
    pkill -TERM -x ombre
ok "SIGTERM ends it" wait_screen "EXIT=0" 3
ok "and the terminal is in canonical mode again" wait_screen $'(^|\n) icanon' 3

test_done
