#!/usr/bin/env bash
#
# Alerts in tmux: a conversation handed off by another process while the
# console runs rings the terminal's bell (BEL in the raw bytes the pane
# received), and with alert.notify osc777 the notification reaches tmux
# in its DCS passthrough (ESC P tmux; ... ESC \, every inner ESC
# doubled), its hostile text sanitised. The status line keeps the lane.

. "$top_srcdir/tests/lib.sh"
test_init

tmux_init alerts

# Two customers waiting, Eve handed off already (the tag in the line).
cat >corpus.jsonl <<'JSON'
{"channel":"telegram","account":"7012345678","conversation":{"id":"301","title":"Eve Adams"},"id":"301-1","date":"2026-11-20T08:00:00Z","from":{"id":"301","name":"Eve Adams","kind":"customer"},"text":"I want a person","tags":["+ombre/handoff"]}
{"channel":"telegram","account":"7012345678","conversation":{"id":"302","title":"Mallory"},"id":"302-1","date":"2026-11-20T09:50:00Z","from":{"id":"302","name":"Mallory","kind":"customer"},"text":"hello"}
JSON
"$OMBRE" ingest <corpus.jsonl >/dev/null || { echo "Bail out! ingest failed"; exit 1; }

mkdir -p "$XDG_CONFIG_HOME/ombre"
printf 'set alert.notify osc777\n' >"$XDG_CONFIG_HOME/ombre/config"

# The pane's program thinks it runs inside tmux (it does): it wraps.
tm set -g allow-passthrough on 2>/dev/null
tmux_start 80 24 "'$OMBRE'; echo \"EXIT=\$?\"; sleep 60"
tm set -g allow-passthrough on 2>/dev/null

ok "the console shows the Inbox" wait_screen "Inbox +2 conversations"
ok "the status line keeps the lane: one needs a human, for 2h" \
    wait_screen "1 needs a human, oldest 2h"
sleep 0.6
ok "nothing rang for what was handed off before it started" \
    bash -c "! grep -qa $'\a' terminal.raw"

# Another process hands conversation 302 off: a message of the customer's
# with the tag, a hostile name (ESC, BEL, ';', C1, bidi) and text.
cat >handoff.jsonl <<'JSON'
{"channel":"telegram","account":"7012345678","conversation":{"id":"302","title":"Mallory"},"id":"302-2","date":"2026-11-20T09:59:00Z","from":{"id":"302","name":"Mallory \u001b]0;x\u0007; \u009b\u202e","kind":"customer"},"text":"a person; now\u001b[2J","tags":["+ombre/handoff"]}
JSON
"$OMBRE" ingest <handoff.jsonl >/dev/null
ok "the lane counts it" wait_screen "2 need a human, oldest 2h"
bel() {
	local i
	for ((i = 0; i < 60; i++)); do
		grep -qa "$1" terminal.raw && return 0
		sleep 0.05
	done
	return 1
}
ok "the notification came in tmux's DCS passthrough" \
    bel $'\ePtmux;\e\e]777;notify;'
# The bell itself, not the BEL ending the notification's OSC: BEL in what
# the pane received once the passthrough sequences are taken out.
bell_rang() {
	"$PYTHON" -S -c 'import re, sys
d = open("terminal.raw", "rb").read()
d = re.sub(rb"\x1bPtmux;.*?\x1b\\", b"", d, flags=re.S)
sys.exit(0 if b"\a" in d else 1)'
}
ok "the handoff rang the bell: BEL in the pane's raw output" bell_rang
raw=$(tr -d '\0' <terminal.raw)
osc=${raw#*$'\ePtmux;\e\e]777;notify;'}
osc=${osc%%$'\e\\'*}
like "it names the customer and the reason" "$osc" "Mallory.*needs a human;a person, now"
unlike "no ESC of the customer's in it (only the doubled one of the frame)" \
    "${osc%$'\a'}" $'\e'
unlike "no C1 control in it" "$osc" $'\xc2\x9b'
unlike "no bidi override in it" "$osc" $'\xe2\x80\xae'
is "three fields: no ';' of the customer's" \
    "$(printf '%s' "$osc" | tr -cd ';' | wc -c)" 1

tm send-keys -t t q
ok "q quits" wait_screen "EXIT=0"
test_done
