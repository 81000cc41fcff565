#!/usr/bin/env bash
# T480-crisis.sh: crisis mode (issue 16) end to end on one data dir.
# `ombre crisis on TOPIC` puts the shipped French scenario (contrib/crisis)
# in place of the channel's bot, over a bot-scenario in force: two
# customers asking the key question get the crisis answer in two
# phrasings; the Crisis view lists the conversations on the topic; status
# by `ombre crisis status [--json]` and on the status line of two consoles
# in tmux, holding statements first at C-t; an event in each open
# conversation on the topic and a `crisis` hook run by the syncer. `crisis
# off` at a console's `:` prompt: the scenario in force before answers
# again, the view and the status line go, the events and the hook say so.
. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
tmux_init crisis

# The bot's answers are sent by the syncer to the Graph test server.
server_start graph --token graph-T0KEN
GRAPH=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre/templates"
cp "$top_srcdir"/contrib/crisis/templates/* "$XDG_CONFIG_HOME/ombre/templates/"
printf 'name: refund\n\nYour refund is on its way.\n' \
    >"$XDG_CONFIG_HOME/ombre/templates/refund"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'channel wa whatsapp phone-number-id=106 token=graph-T0KEN api-url=http://127.0.0.1:%s bot=faq\n' "$GRAPH"
	printf 'bot-answer faq livraison|colis "Votre colis arrive sous 48 h."\n'
	printf 'bot-fallback faq "Pardon ?"\n'
	printf 'bot-answer calm livraison|colis "Nous avons du retard, merci de patienter."\n'
	printf 'bot-fallback calm "Un instant."\n'
	printf 'source %s/contrib/crisis/crisis-fr.conf\n' "$top_srcdir"
	printf 'hook crisis "cat >> %s/hook.json; echo >> %s/hook.json"\n' "$TEST_DIR" "$TEST_DIR"
} >"$CONFIG"
chmod 600 "$CONFIG"

# The texts of the bot's answers in conversation $1, oldest first.
# The bot's greeting first, then its answers: they share their second, so
# notmuch's order between them is not to be relied on.
answers() {
	local q="property:ombre.kind=bot and property:ombre.conv-id=$1"
	{ nm search --output=files "$q and property:ombre.bot-turn=greeting"
	  nm search --output=files "$q and not property:ombre.bot-turn=greeting"; } |
	    while read -r f; do sed -n '/^$/,$p' "$f" | sed 1d; done
}
customer() { json_line whatsapp 106 "$1" "$2" "$3" "$4" customer "$5" | "$OMBRE" ingest; }

# Before: one conversation on the topic, one not.
customer c0 m0 2026-11-20T09:50:00Z u0 "ma livraison est en retard"
customer d0 n0 2026-11-20T09:50:10Z v0 "une facture svp"
is "no crisis" "$("$OMBRE" crisis status)" "no crisis"
is "no crisis in JSON" "$("$OMBRE" crisis status --json)" '{"on":false}'
"$OMBRE" -e 'bot-scenario calm'
is "a scenario in force before" "$(cat "$DATA/bot-scenario")" calm

# The syncer runs the hooks from DATA/feed; two consoles follow the store.
"$OMBRE" sync 2>"$TEST_DIR/sync.err" &
SYNC=$!
tmux_start 120 30 "USER=ana '$OMBRE'; sleep 120"
tm new-window -d -t t:1 "USER=bob '$OMBRE'; sleep 120"
screen_of() { tm capture-pane -p -t "t:$1"; }
# wait_both REGEX: both consoles show it (10 s at most).
wait_both() {
	local j
	for ((j = 0; j < 100; j++)); do
		[[ $(screen_of 0) =~ $1 ]] && [[ $(screen_of 1) =~ $1 ]] && return 0
		sleep 0.1
	done
	return 1
}
# wait_neither REGEX: neither console shows it any more.
wait_neither() {
	local j
	for ((j = 0; j < 100; j++)); do
		! [[ $(screen_of 0) =~ $1 ]] && ! [[ $(screen_of 1) =~ $1 ]] &&
		    return 0
		sleep 0.1
	done
	return 1
}
ok "both consoles show the Inbox" wait_both "v0@"

# --- on
out=$("$OMBRE" crisis on "Livraison en retard, colis abîmé" 2>&1)
is "crisis on says so" "$out" "CRISIS: Livraison en retard, colis abîmé (since 10:00)"
like "DATA/crisis holds the topic" "$(cat "$DATA/crisis")" "^topic Livraison en retard, colis abîmé"
ok "DATA/crisis is the group's like DATA/bot-scenario" \
    test "$(stat -c %a "$DATA/crisis")" = "$(stat -c %a "$DATA/bot-scenario")"
is "ombre crisis status" "$("$OMBRE" crisis status)" \
    "CRISIS: Livraison en retard, colis abîmé (since 10:00)"
like "status --json" "$("$OMBRE" crisis status --json)" \
    '^\{"on":true,"topic":"Livraison en retard, colis abîmé","since":"2026-11-20T10:00:00Z","query":"Kind:customer and \(livraison or retard or colis or abîmé or abime\)","scenario":"crisis"'
is "a second crisis is refused" "$("$OMBRE" crisis on autre chose 2>&1)" \
    "ombre: crisis: one is on already: Livraison en retard, colis abîmé (crisis off first)"
ok "both status lines show the crisis" \
    wait_both "CRISIS: Livraison en retard, colis abîmé \(since 10:00\)"
ok "both sidebars list the Crisis view" wait_both $'\n *Crisis'

# The key question, from two customers: the crisis bot, two phrasings.
customer c1 m1 2026-11-20T09:59:30Z u1 "Où est mon colis ?"
customer c5 m5 2026-11-20T09:59:40Z u5 "où est mon colis ???"
a1=$(answers c1 | tail -1)
a5=$(answers c5 | tail -1)
like "the crisis bot answers the first customer" "$a1" "commande|colis|expéditions"
like "and the second" "$a5" "commande|colis|expéditions"
ok "in another phrasing" test "$a1" != "$a5"
like "with the scenario's greeting" "$(answers c1 | head -1)" "^Bonjour"

list=$("$OMBRE" list --view Crisis)
like "the Crisis view lists the conversation from before" "$list" "u0@"
like "and the new ones" "$list" "u5@.*"$'\n'".*u1@"
unlike "not the one off the topic" "$list" "v0@"
like "show: the crisis-on event" "$("$OMBRE" show property:ombre.conv-id=c0)" \
    "crisis on: Livraison en retard, colis abîmé"
is "one crisis-on event, in the open conversation on the topic" \
    "$(nm count 'property:ombre.event=crisis-on')" 1
for ((i = 0; i < 100; i++)); do
	grep -q '"state":"on"' "$TEST_DIR/hook.json" 2>/dev/null && break
	sleep 0.1
done
like "the crisis hook ran" "$(cat "$TEST_DIR/hook.json" 2>/dev/null)" \
    '"event":"crisis","state":"on","topic":"Livraison en retard, colis abîmé"'

# Holding statements first: C-t in the composer of a conversation (the
# second console, which stays there).
wait_of() {
	local j
	for ((j = 0; j < 100; j++)); do
		[[ $(screen_of "$1") =~ $2 ]] && return 0
		sleep 0.1
	done
	return 1
}
tm send-keys -t t:1 Enter
wait_of 1 "Esc back"
tm send-keys -t t:1 r
wait_of 1 "C-t template"
tm send-keys -t t:1 C-t
ok "C-t's picker offers the holding statements first" \
    wait_of 1 $'Template: _[^\n]*\n holding[ -][^\n]*\n holding[ -][^\n]*\n refund'

tm send-keys -t t:1 C-u Escape
ok "the composer's status line shows the crisis" \
    wait_of 1 "CRISIS: Livraison en retard, colis abîmé \(since 10:00\)  Inbox > conversation"

# --- off, at the first console's prompt
tm send-keys -t t:0 ':crisis off' Enter
ok "neither status line shows the crisis" wait_neither "CRISIS:" ||
    diag "$(screen_of 0)"
ok "nor the Crisis view" wait_neither $'\n *Crisis'
ok "DATA/crisis is gone" test ! -e "$DATA/crisis"
is "ombre crisis status" "$("$OMBRE" crisis status)" "no crisis"
like "the Crisis view is gone" "$("$OMBRE" list --view Crisis 2>&1)" "no view 'Crisis'"
is "bot-scenario untouched" "$(cat "$DATA/bot-scenario")" calm
customer c3 m3 2026-11-20T09:59:50Z u3 "Où est mon colis ?"
is "the scenario in force before answers again" "$(answers c3)" \
    "Nous avons du retard, merci de patienter."
"$OMBRE" -e 'bot-scenario -'
customer c4 m4 2026-11-20T09:59:55Z u4 "Où est mon colis ?"
is "and without it the channel's own bot" "$(answers c4)" "Votre colis arrive sous 48 h."
for ((i = 0; i < 100; i++)); do
	[ "$(nm count 'property:ombre.event=crisis-off')" -ge 3 ] && break
	sleep 0.1
done
is "a crisis-off event in each open conversation on the topic" \
    "$(nm count 'property:ombre.event=crisis-off')" 3
like "show --json says so" "$("$OMBRE" show --json property:ombre.conv-id=c0 | grep crisis-off)" \
    '"type":"crisis-off","agent":"ana","reason":"crisis off: Livraison en retard, colis abîmé"'
for ((i = 0; i < 100; i++)); do
	grep -q '"state":"off"' "$TEST_DIR/hook.json" 2>/dev/null && break
	sleep 0.1
done
like "the crisis hook heard it end" "$(grep '"state":"off"' "$TEST_DIR/hook.json" 2>/dev/null)" \
    '"event":"crisis","state":"off"'

# Refusals.
is "a topic with no word" "$("$OMBRE" crisis on "a b" 2>&1)" \
    "ombre: crisis: the topic has no word to search for (three letters or more)"
is "a scenario no bot has" "$("$OMBRE" crisis on colis scenario=nope 2>&1)" \
    "ombre: crisis: no bot nope (write its bot-answer lines in the config first, or give scenario=NAME)"
"$OMBRE" crisis bogus 2>/dev/null
is "usage: exit 2" "$?" 2
ok "nothing written" test ! -e "$DATA/crisis"
is "the syncer said nothing wrong" "$(grep -ci 'crisis' "$TEST_DIR/sync.err")" 0
kill "$SYNC" 2>/dev/null
wait "$SYNC" 2>/dev/null

test_done
