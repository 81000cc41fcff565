#!/usr/bin/env bash
#
# Golden screens: the console on the demo data (fixed seed, OMBRE_NOW, no
# traffic) at 80x24, compared cell for cell with tests/golden/*.screen.
# GENERATE=1 rewrites the goldens from what the console shows now (then
# read the diff before committing them).

. "$top_srcdir/tests/lib.sh"
test_init
export LC_ALL=C.UTF-8 TZ=UTC OMBRE_NOW=2026-11-20T10:00:00Z
GOLDEN=$top_srcdir/tests/golden
tmux_init golden

# golden NAME DESC [READY]: once the pane shows READY (a regex), compare
# it with tests/golden/NAME.screen. READY names what comes last, such as
# the status line's lane from the counting child: settle() alone only
# waits for a tenth of a second without change, which a loaded machine
# outlasts.
golden() {
	local file=$GOLDEN/$1.screen i
	for ((i = 0; i < 400 && ${#3} > 0; i++)); do
		[[ $(tm capture-pane -p -t t) =~ $3 ]] && break
		sleep 0.05
	done
	settle
	tm capture-pane -p -t t >"$1.screen"
	if [ "${GENERATE:-0}" = 1 ]; then
		mkdir -p "$GOLDEN"
		cp "$1.screen" "$file"
	fi
	if [ ! -f "$file" ]; then
		test_result 1 "$2 (no golden: run with GENERATE=1)"
		return
	fi
	is "$2" "$(cat "$1.screen")" "$(cat "$file")"
}

"$OMBRE" --demo list >/dev/null || { echo "Bail out! no demo store"; exit 1; }
tm new-session -d -s t -x 80 -y 24 "'$OMBRE' --demo --no-traffic; sleep 60"
for ((i = 0; i < 100; i++)); do
	tm capture-pane -p -t t | grep -q 'Inbox  [0-9]* conversations' && break
	sleep 0.05
done

golden inbox "the Inbox at 80x24" "need a human, oldest [0-9]+[smhdw] SLA breached"
tm send-keys -t t j j
sleep 0.3
tm send-keys -t t Enter
golden thread "an open conversation: the third of the list (j j Enter)" \
    "conversation  Esc back"
tm send-keys -t t r
sleep 0.2
tm send-keys -t t -l 'Bonjour, je regarde votre commande tout de suite et je reviens vers vous. Merci de votre patience.'
tm send-keys -t t Enter
tm send-keys -t t -l 'Zoé'
golden composer "the composer under the conversation, a line wrapped" "Zoé"
tm send-keys -t t C-u BSpace C-u	# nothing left: no draft kept
tm send-keys -t t Escape
sleep 0.3
tm send-keys -t t Escape
sleep 0.2
tm send-keys -t t 2
golden needs-human "the Needs human view" \
    " Needs human  [0-9]+ conversations +[0-9]+ need a human, oldest [0-9]+[smhdw] SLA"
tm send-keys -t t 1
sleep 0.3
tm send-keys -t t '?'
golden keys "the Keys screen" "^Keys"
tm send-keys -t t Escape
sleep 0.2
tm send-keys -t t : 'nosuch' Enter
golden prompt-error "an unknown command on the status line" \
    "unknown command: nosuch +[0-9]+ need a human"
test_done
