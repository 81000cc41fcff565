#!/usr/bin/env bash
#
# Themes: the compiled-in default equals themes/default.theme; every theme
# in themes/ loads and sets every role; bad styles and unknown themes are
# refused; the mono theme on a vt100 draws without any colour.

. "$top_srcdir/tests/lib.sh"
test_init
export OMBRE_THEMES_DIR=$top_srcdir/themes LC_ALL=C.UTF-8 TZ=UTC

style_lines() { grep '^style ' "$1"; }

is "the compiled-in default is themes/default.theme" \
    "$("$OMBRE" -e show-styles)" "$(style_lines "$top_srcdir/themes/default.theme")"
roles=$("$OMBRE" -e show-styles | wc -l)
for theme in "$top_srcdir"/themes/*.theme; do
	name=$(basename "$theme" .theme)
	out=$("$OMBRE" -e "set theme $name; show-styles" 2>&1)
	is "theme $name loads and shows as its file" "$out" "$(style_lines "$theme")"
	is "theme $name sets every one of the $roles roles" \
	    "$(style_lines "$theme" | wc -l)" "$roles"
done
for name in default light high-contrast mono; do
	ok "theme $name exists" test -f "$top_srcdir/themes/$name.theme"
done

"$OMBRE" -e 'set theme nosuch' 2>err
ok "an unknown theme is refused" test $? -ne 0
like "naming the themes there are" "$(cat err)" "no theme nosuch .*mono"
is "a theme by path" "$("$OMBRE" -e "set theme $top_srcdir/themes/mono.theme; show-styles" | grep "list.cursor ")" \
    "style list.cursor reverse"
is "style sets one role, show-styles prints it canonically" \
    "$("$OMBRE" -e 'style list.unread bold fg=colour202 bg=brightblue; show-styles' | grep list.unread)" \
    "style list.unread fg=colour202,bg=brightblue,bold"
"$OMBRE" -e 'style list.unread fg=mauve' 2>err
ok "a bad colour is refused" test $? -ne 0
like "saying which" "$(cat err)" "bad colour in 'fg=mauve'"
"$OMBRE" -e 'style nosuch bold' 2>err
ok "an unknown role is refused" test $? -ne 0
"$OMBRE" -e 'style normal blink' 2>err
ok "an unknown attribute is refused" test $? -ne 0
printf 'style list.unread fg=nope\nview Mine2 tag:x\n' >bad.theme
out=$("$OMBRE" -e "set theme $TEST_DIR/bad.theme" 2>&1)
like "an error in a theme file names its file and line" "$out" "bad.theme:1:"

# The mono theme on a vt100: attributes only, never a colour.
command -v tmux >/dev/null || { skip "mono theme on a vt100" "no tmux"; test_done; }
tmux_init themes
mkdir -p "$XDG_CONFIG_HOME/ombre"
echo 'set theme mono' >"$XDG_CONFIG_HOME/ombre/config"
"$OMBRE" --demo list >/dev/null
tmux_start 80 24 "TERM=vt100 '$OMBRE' --demo --no-traffic; sleep 60"
wait_screen 'Inbox.*conversations' 5
like "the console runs on a vt100 with the mono theme" "$(tm capture-pane -p -t t)" \
    "Inbox +[0-9]+\\+? conversations"
ok "no colour sequence was written" bash -c "! grep -qaE $'\\e\\\\[[0-9;]*(3[0-9]|4[0-9])m' terminal.raw"
ok "the cursor row is shown in reverse video" \
    grep -qaE $'\e\\[([0-9]+;)*7m' terminal.raw
tm send-keys -t t q
test_done
