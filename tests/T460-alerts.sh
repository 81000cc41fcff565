#!/usr/bin/env bash
#
# Alert rules and the public-risk score (issue 16) end to end: customers'
# messages ingested from outside set the default rules off (French and
# English, capitals and accents): the conversation labelled (risk/public),
# its priority raised, an event naming the rule in `ombre show`, once per
# rule and conversation however often the customer repeats it, an "alert"
# line in DATA/feed heard by the syncer's hook; a neutral message sets
# nothing off. The Risk view lists them highest score first in `ombre
# list`, with the R marker and list --json's risk and risk_why. In tmux:
# the marker on the row, the score's parts under the thread's title, the
# bell for a rule of notify=yes and none for one of notify=no.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
tmux_init alerts460

mkdir -p "$XDG_CONFIG_HOME/ombre"
cat >"$XDG_CONFIG_HOME/ombre/config" <<CONF
sla first-response 15m
alert colis match='colis (perdu|vole)' label=risk/colis notify=no
hook alert 'cat >> $TEST_DIR/hook.json; echo >> $TEST_DIR/hook.json'
CONF
chmod 600 "$XDG_CONFIG_HOME/ombre/config"

like "list-alerts: the defaults, then the config's" \
    "$("$OMBRE" -e list-alerts | cut -d' ' -f1-2 | tr '\n' ,)" \
    "^alert public,alert legal,alert safety,alert churn,alert insult,alert colis,$"

# The syncer runs the hooks of what DATA/feed says from now on.
"$OMBRE" sync >sync.out 2>&1 &
SYNC=$!
trap 'kill $SYNC 2>/dev/null; tm kill-server 2>/dev/null; test_cleanup' EXIT
sleep 1

# c1: French, a threat in capitals, a lawyer, the threat again; c2: an
# English review; c3: neutral words that look like the rules' ("à mon
# avis", "10 x 20", "pressé"); c4: churn, accents in capitals.
msg() {
	printf '{"channel":"telegram","account":"70","conversation":{"id":"%s","title":"%s"},"id":"%s","date":"2026-11-20T%s:00Z","from":{"id":"%s","name":"%s","kind":"customer"},"text":"%s"}\n' \
	    "$1" "$2" "$3" "$4" "$1" "$2" "$5"
}
{
	msg c1 "Amélie" 1 09:00 "Bonjour, ma commande n'est pas arrivée"
	msg c1 "Amélie" 2 09:10 "Si personne ne répond je vais poster ça sur TWITTER"
	msg c4 "Zoé" 1 09:05 "Je veux RÉSILIER mon abonnement"
	msg c2 "Callum" 1 09:15 "Still nothing. I'm leaving a 1-star review on Trustpilot"
	msg c3 "Bruno" 1 09:16 "À mon avis le carton fait 10 x 20 cm, je suis pressé"
	msg c1 "Amélie" 3 09:20 "Et mon avocat aussi. Twitter, Twitter, Twitter"
} >corpus.jsonl
"$OMBRE" ingest <corpus.jsonl >/dev/null || { echo "Bail out! ingest failed"; exit 1; }

conv() { nm search --output=threads "property:ombre.conv-id=$1" | head -1 | sed 's/^thread://'; }
tags_of() { nm search --output=tags "thread:$(conv "$1")" | tr '\n' ' '; }
events_of() { nm count "thread:$(conv "$1") and property:ombre.event=alert"; }

like "c1 labelled risk/public and risk/legal" "$(tags_of c1)" "risk/legal risk/public"
like "and its priority raised" "$(tags_of c1)" "ombre/prio/high"
like "and the rules' own tags" "$(tags_of c1)" "ombre/alert/legal ombre/alert/public"
is "one event per rule, the threat repeated three times" "$(events_of c1)" 2
msg c1 "Amélie" 4 09:21 "Toujours rien. TWITTER." | "$OMBRE" ingest >/dev/null
is "nor again in a later ingest" "$(events_of c1)" 2
like "c2's English review: public, high" "$(tags_of c2)" "ombre/prio/high.*risk/public"
like "c4's churn is labelled" "$(tags_of c4)" "risk/churn"
unlike "churn raises no priority" "$(tags_of c4)" "ombre/prio/high"
is "c3's neutral words set nothing off" "$(events_of c3)" 0
unlike "nor label it" "$(tags_of c3)" "risk/|ombre/alert"

show=$("$OMBRE" show "$(conv c1)")
like "show: the event names the rule and quotes the customer" "$show" \
    "alert public: 'Si personne ne répond je vais poster ça sur TWITTER'"
like "and the second rule's" "$show" "alert legal: 'Et mon avocat aussi. Twitter"
json=$("$OMBRE" show --json "$(conv c1)" | grep '"type":"alert"' | head -1)
like "show --json: an event of type alert with its reason" "$json" \
    '"event":\{"type":"alert","agent":"rule","reason":"public: '

is "the feed: an alert line per rule fired" \
    "$(grep -c '^alert ' "${DATA:-$XDG_DATA_HOME/ombre}/feed")" 4

wait_hook() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(grep -c '"event":"alert"' hook.json 2>/dev/null)" -ge 4 ] && return 0
		sleep 0.1
	done
	return 1
}
ok "the syncer ran the alert hook for each" wait_hook
like "the hook reads the rule and the words" "$(cat hook.json)" \
    "\"reason\":\"legal: 'Et mon avocat aussi"

# The Risk view: c1 (public, legal, 1h, 4th message) before c2 (public,
# 45m) before c4 (churn); c3 not in it.
order=$("$OMBRE" list --view Risk --json | "$PYTHON" -S -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    print(o["conversation"], o["risk"], o.get("risk_why", ""))')
is "the Risk view, highest score first" "$(cut -d' ' -f1 <<<"$order" | tr '\n' ' ')" "c1 c2 c4 "
like "c1's score and parts" "$(sed -n 1p <<<"$order")" \
    "^c1 100 threatens to post publicly, mentions legal action, waiting 1h, 4th message$"
like "c2's" "$(sed -n 2p <<<"$order")" "^c2 75 threatens to post publicly, waiting 45m$"
like "c4's" "$(sed -n 3p <<<"$order")" "^c4 50 wants to cancel, waiting 55m$"
list=$("$OMBRE" list)
like "ombre list marks c1's row" "$list" "Amélie .* R100 Toujours rien"
unlike "and not c3's" "$(grep Bruno <<<"$list")" " R[0-9]+ "
like "sort=risk is a view's order" \
    "$("$OMBRE" -e 'view Hot tag:inbox sort=risk; view Hot')" "^tag:inbox sort=risk$"

# The console, 100 columns: the marker, then the parts under the title.
tmux_start 100 30 "'$OMBRE'; echo \"EXIT=\$?\"; sleep 60"
ok "the console shows the Inbox" wait_screen "Inbox +4 conversations"
ok "the row's marker" wait_screen "Amélie .* R100 Toujours rien"
tm send-keys -t t g Enter
ok "the thread: the score's parts under the title" wait_screen \
    $'Amélie +Amélie \\(telegram\\)[^\n]*\nrisk 100: threatens to post publicly, mentions legal action, waiting 1h, 4th message'
ok "and the events in the thread" wait_screen "alert legal: 'Et mon avocat"
settle
bell_rang() {
	"$PYTHON" -S -c 'import re, sys
d = open("terminal.raw", "rb").read()
d = re.sub(rb"\x1bPtmux;.*?\x1b\\", b"", d, flags=re.S)
sys.exit(0 if b"\a" in d else 1)'
}
no_bell() { ! bell_rang; }
ok "nothing rang for what came before it started" no_bell
msg c5 "Hugo" 1 09:58 "Mon COLIS PERDU, toujours rien" | "$OMBRE" ingest >/dev/null
is "a quiet rule fires" "$(events_of c5)" 1
sleep 0.8
ok "and rings no bell (notify=no)" no_bell
msg c6 "Grace" 1 09:59 "My lawyer will call you" | "$OMBRE" ingest >/dev/null
wait_bell() {
	local i
	for ((i = 0; i < 60; i++)); do bell_rang && return 0; sleep 0.05; done
	return 1
}
ok "a rule of notify=yes rings the bell" wait_bell

tm send-keys -t t Escape
ok "Escape goes back to the list" wait_screen "Inbox +6 conversations"
tm send-keys -t t q
ok "q quits" wait_screen "EXIT=0"
kill $SYNC 2>/dev/null
wait $SYNC 2>/dev/null
test_done
