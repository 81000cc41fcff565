#!/usr/bin/env bash
#
# The console in French (issue 17): at 80x24 under LANG=fr_FR.UTF-8 the
# status line, its messages, the lane of those who need a human and the
# help screen's titles are French; the view names and the keys stay as
# the config language writes them.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init french
[ -e "$top_builddir/po/fr/LC_MESSAGES/ombre.mo" ] ||
    skip_all "the build has no French catalog (--disable-nls)"
french_init || skip_all "no French locale (localedef)"

screen() { tm capture-pane -p -t t; }
"$OMBRE" --demo list --limit 1 >/dev/null || { echo "Bail out! no demo store"; exit 1; }
tmux_start 80 24 "env -u LC_ALL ${FRENCH_LOCPATH:+LOCPATH='$FRENCH_LOCPATH'} \
    LANG=fr_FR.UTF-8 OMBRE_LOCALEDIR='$OMBRE_LOCALEDIR' \
    '$OMBRE' --demo --no-traffic; sleep 60"
ok "the console starts in French" \
    wait_screen " Inbox +[0-9]+ conversations" 10 || diag "$(screen)"
ok "the list's columns are French and keep their blanks" \
    wait_screen "à reprendre +[0-9] nv " 5 || diag "$(screen)"
ok "the lane of those who need a human is French, on 80 columns" \
    wait_screen "[0-9]+ à reprendre[ ,]|\[[0-9]+(, [0-9]+[a-zA-Z]+)?\]" 5 ||
    diag "$(screen)"
tm send-keys -t t F12
ok "a status message is French" wait_screen "F12 n'est liée à rien" 3 ||
    diag "$(screen)"

tm send-keys -t t '?'
ok "the help screen is headed in French" \
    wait_screen "^Touches par panneau \(/ cherche" 3 || diag "$(screen)"
like "its first group's title is French" "$(screen)" \
    $'\nListe et conversation \\(bind -T root\\)'
like "its status line too" "$(screen)" "Aide  Échap retour"
tm send-keys -t t G
ok "its last group: the pager's keys, in French" \
    wait_screen $'Cet écran et chaque visionneuse[^\n]*\n  j k Up Down +défiler d.une ligne' 3 ||
    diag "$(screen)"
like "and the badges' legend" "$(screen)" "Badges : TG telegram"
tm send-keys -t t Escape
ok "back to the list" wait_screen " Inbox +[0-9]+ conversations" 3
tm send-keys -t t :
ok "the prompt's lead is a colon" wait_screen $'\n:' 3
tm send-keys -t t Escape
ok "the prompt closes" wait_screen " Inbox +[0-9]+ conversations" 3
sleep 0.3	# a key right after Escape would read as M-key
tm send-keys -t t s
ok "the snooze prompt is French" wait_screen "en pause jusqu.à \(1 : 1h" 3 ||
    diag "$(screen)"
test_done
