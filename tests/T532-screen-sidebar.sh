#!/usr/bin/env bash
#
# The sidebar in tmux (issue 17): its counts, the focused pane's cursor
# drawn unlike the other's (list.cursor against list.cursor-unfocused),
# Tab giving it the keys and Escape giving them back to the list, as
# ombre(1) says. (t-ui checks "counting…" before the first count, and
# t-base the compact counts, 25k/475k.)

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init sidebar

now=$(date -d "$OMBRE_NOW" +%s)
for i in 1 2 3; do
	json_line telegram 70 "c$i" "m$i" "$(date -u -d @$((now - i * 600)) +%FT%TZ)" "u$i" customer "message $i"
done | "$OMBRE" ingest >/dev/null || { echo "Bail out! ingest failed"; exit 1; }

# Row N of the pane with its styles, the sidebar's part (left of its '|')
# or the list's.
row() { tm capture-pane -p -e -t t | sed -n "${1}p"; }
left() { local r; r=$(row "$1"); printf '%s' "${r%%|*}"; }
right() { local r; r=$(row "$1"); printf '%s' "${r#*|}"; }
# The default theme: list.cursor has a cyan background, the unfocused
# cursor is underlined.
cursor=$'\e\\[([0-9]+;)*46(;[0-9]+)*m'
unfocused=$'\e\\[([0-9]+;)*4(;[0-9]+)*m'
# wait_style ROW SIDE REGEX: wait until that part of a row matches.
wait_style() {
	local i
	for ((i = 0; i < 60; i++)); do
		[[ $($2 "$1") =~ $3 ]] && return 0
		sleep 0.05
	done
	diag "row $1 ($2): $($2 "$1" | cat -v)"
	return 1
}

tmux_start 120 24 "'$OMBRE'; sleep 60"
ok "the console shows the sidebar beside the Inbox" wait_screen "Inbox +3 conversations"
ok "the sidebar counts the Inbox: 3 unread of 3" wait_screen $'(^|\n)Inbox +3/3 \\|' 10 ||
    diag "$(tm capture-pane -p -t t)"
ok "the list has the keys: its cursor in list.cursor" wait_style 1 right "$cursor"
ok "the sidebar's view in list.cursor-unfocused" wait_style 1 left "$unfocused"
unlike "and not in list.cursor" "$(left 1)" "$cursor"

tm send-keys -t t Tab
ok "Tab: the sidebar's cursor in list.cursor" wait_style 1 left "$cursor"
ok "the list's cursor in list.cursor-unfocused" wait_style 1 right "$unfocused"
unlike "and not in list.cursor" "$(right 1)" "$cursor"
tm send-keys -t t j
ok "j moves the sidebar's cursor" wait_style 2 left "$cursor"

tm send-keys -t t Escape
ok "Escape gives the keys back: the list's cursor is list.cursor again" \
    wait_style 1 right "$cursor"
unlike "the sidebar's row 2 is not the cursor any more" "$(left 2)" "$cursor"
tm send-keys -t t j
ok "and j moves the list's cursor, not the sidebar's" wait_style 2 right "$cursor"
unlike "the sidebar's row 2 stays as it was" "$(left 2)" "$cursor"
test_done
