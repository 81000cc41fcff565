#!/usr/bin/env bash
#
# The help screen (?): every key by pane with what it does (the bound
# command's one-line help, or the small table of the composer, the guard,
# the sidebar, the prompts and the pager), searchable with / and n N like
# every pager screen.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init help

"$OMBRE" --demo list --limit 1 >/dev/null || { echo "Bail out! no demo store"; exit 1; }
# Tall enough for the whole help on one screen.
tmux_start 100 150 "'$OMBRE' --demo --no-traffic; sleep 60"
wait_screen " Inbox +[0-9]+ conversations" 10 || { echo "Bail out! no console"; exit 1; }

tm send-keys -t t '?'
ok "? opens the screen headed Keys by pane" wait_screen "^Keys by pane" 3
help=$(tm capture-pane -p -t t)
for group in "List and conversation" "Conversation list" "Conversation \(bind" \
    "Sidebar" "Composer" "A held reply" "Prompts" "This screen and every pager"; do
	like "a group for $group" "$help" $'\n'"$group"
done
like "a key, its command and what it does" "$help" \
    $'\n  \\? +help +the screen of every key binding'
like "a list key with its command's help" "$help" \
    $'\n  Enter +open +'
like "the composer's keys, from its own table" "$help" \
    $'\n  C-s M-Enter +send the reply'
like "the guard's y, e and d" "$help" \
    $'\n  y +send the held reply anyway\n  e +edit it[^\n]*\n  d +discard'
like "the sidebar's keys" "$help" $'\n  Escape Tab +give the keys back'
like "and the badges' legend last" "$help" "Badges: TG telegram"
# Every bound key has a description: no row is a key and a command alone.
bare=$(sed -n '/^List and conversation/,/^Sidebar/p' <<<"$help" |
    grep -E '^  [^ ]+ +[^ ]+ *$' || true)
is "every bound key has its command's one-line help" "$bare" ""

# Search: /, then n and N, in the pager, on 24 rows where it scrolls.
tm resize-window -t t -x 100 -y 24
wait_screen $'^Keys by pane[^\n]*\nList and conversation' 3
tm send-keys -t t / 'held reply' Enter
ok "/ finds the words and brings their line to the top" \
    wait_screen $'^Keys by pane[^\n]*\nA held reply' 3
tm send-keys -t t n
ok "n goes to the next line that has them" \
    wait_screen $'^Keys by pane[^\n]*\n  y +send the held reply anyway' 3
tm send-keys -t t N
ok "N goes back to the previous one" \
    wait_screen $'^Keys by pane[^\n]*\nA held reply' 3
tm send-keys -t t / 'SNOOZE-PROMPT' Enter
ok "case is ignored: a key is found by its command" \
    wait_screen $'^Keys by pane[^\n]*\n  s +snooze-prompt +ask until when' 3
tm send-keys -t t / nowhere-at-all Enter
ok "words no line has are said so" wait_screen "not found: nowhere-at-all" 3
tm send-keys -t t Escape
ok "Escape closes it" wait_screen " Inbox +[0-9]+ conversations" 3
tm send-keys -t t q
test_done
