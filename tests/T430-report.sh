#!/usr/bin/env bash
# T430-report.sh: ombre report on a known corpus whose figures are worked
# out by hand below (text, JSON and CSV; --since, --agent); the csat
# survey end to end (a close asks once, "4" is a csat event and the
# conversation stays closed, a message that is no score reopens it); the
# console's :report at 80x24.
. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
export TZ=UTC

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'channel tg telegram account=bot1\n'
	printf 'channel wa whatsapp account=wa1\n'
	printf 'bot-survey all "Votre avis sur notre échange, de 1 à 5 ?"\n'
	printf 'bot-survey wa "Your rating, 1 to 5?" skip-bot-only=yes\n'
} >"$CONFIG"
chmod 600 "$CONFIG"

# at TIME CMD...: run ombre at a fixed clock.
at() { local t=$1; shift; OMBRE_NOW=2026-11-$t "$OMBRE" "$@"; }
# A canonical line with extra fields spliced in.
with() { local l; l=$(json_line "${@:2}"); printf '%s,%s}\n' "${l%\}}" "$1"; }
conv() { printf 'property:ombre.conv-id=%s' "$1"; }
quiet() { "$@" >/dev/null || echo "FAILED: $*" >&2; }

# E, the day before (outside --since 8h): ana answers in 2 min, closes
# at 10 min; the customer rates "excellent" (5).
at 19T09:00:00Z ingest < <(json_line telegram bot1 c3 1 2026-11-19T09:00:00Z u3 customer "hello") >/dev/null
USER=ana quiet at 19T09:02:00Z reply "$(conv c3)" --text "Hi, how can I help?"
quiet at 19T09:10:00Z done "$(conv c3)" --agent ana
at 19T09:15:00Z ingest < <(json_line telegram bot1 c3 2 2026-11-19T09:15:00Z u3 customer "Excellent !") >/dev/null

# A: first response 4 min (ana), closed at 30 min by ana.
at 20T09:00:00Z ingest < <(json_line telegram bot1 c1 1 2026-11-20T09:00:00Z u1 customer "Bonjour, ma commande ?") >/dev/null
USER=ana quiet at 20T09:04:00Z reply "$(conv c1)" --text "Je regarde"
quiet at 20T09:30:00Z done "$(conv c1)" --agent ana

# The survey: asked once when A is closed.
survey() { nm count "$(conv "$1") and property:ombre.bot-turn=survey"; }
is "the close asked the question" "$(survey c1)" 1
like "into the outbox" "$("$OMBRE" outbox)" "Votre avis sur notre échange"
quiet at 20T09:31:00Z reopen "$(conv c1)" --agent ana
quiet at 20T09:32:00Z done "$(conv c1)" --agent ana
is "closed again before an answer: not asked twice" "$(survey c1)" 1
# (A's resolution is taken at its first close: 09:30; the second close
# has no customer message since, so no resolution of its own.)
at 20T09:35:00Z ingest < <(json_line telegram bot1 c1 2 2026-11-20T09:35:00Z u1 customer "4") >/dev/null
is "the answer is a csat event" \
    "$(nm count "$(conv c1) and property:ombre.event=csat and property:ombre.reason=4")" 1
is "the conversation stays closed" \
    "$(nm count --output=threads "$(conv c1) and tag:inbox")" 0
like "show says the rating" "$("$OMBRE" show "$(conv c1)")" "rated 4/5 by the customer"

# B: the bot hands off at 10:00, bob takes over at 10:10 (wait 10 min),
# answers at 10:12 (first response 12 min), closes at 11:00 (1 h).
at 20T10:00:00Z ingest < <(with '"tags":["+ombre/bot"]' telegram bot1 c2 1 2026-11-20T10:00:00Z u2 customer "Je veux parler à un humain") >/dev/null
is "the bot handed B off" "$(nm count "$(conv c2) and property:ombre.event=handoff")" 1
quiet at 20T10:10:00Z take-over "$(conv c2)" --agent bob
USER=bob quiet at 20T10:12:00Z reply "$(conv c2)" --text "Bonjour, je suis Bob"
quiet at 20T11:00:00Z done "$(conv c2)" --agent bob

# C: the bot alone answers, ana closes at 20 min: a bot-only resolution;
# on wa, skip-bot-only: no survey.
{
	with '"tags":["+ombre/bot"]' whatsapp wa1 w1 1 2026-11-20T11:00:00Z u4 customer "Horaires ?"
	json_line whatsapp wa1 w1 2 2026-11-20T11:00:05Z wa1 bot "De 9h à 18h."
} | at 20T11:00:05Z ingest >/dev/null
quiet at 20T11:20:00Z done "$(conv w1)" --agent ana
is "no survey after a bot-only conversation with skip-bot-only=yes" \
    "$(survey w1)" 0

# D: handed off at 12:00, nobody took it yet.
at 20T12:00:00Z ingest < <(with '"tags":["+ombre/bot"]' whatsapp wa1 w2 1 2026-11-20T12:00:00Z u5 customer "I want to talk to a human") >/dev/null

# B's customer writes again, not a score: reopened, as always.
at 20T12:30:00Z ingest < <(json_line telegram bot1 c2 2 2026-11-20T12:30:00Z u2 customer "Merci, mais le colis n'est pas là") >/dev/null
is "a message that is no score reopens" \
    "$(nm count --output=threads "$(conv c2) and tag:inbox")" 1
is "and is no csat" "$(nm count "$(conv c2) and property:ombre.event=csat")" 0

# --- the figures, by hand ------------------------------------------------
# first responses: E 120, A 240, B 720 -> median 240, p90 720
# resolutions: E 600, C 1200, A 1800, B 3600 -> median 1200, p90 3600
# (nearest rank: median the 2nd of 3 and of 4, p90 the 3rd of 3, 4th of 4)
json=$(at 20T13:00:00Z report --json)
j() { "$PYTHON" -S -c 'import json,sys; j=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$json" "$1"; }
is "total handled" "$(j 'j["total"]["handled"]')" 4
is "total closed" "$(j 'j["total"]["closed"]')" 5
is "bot-only closes" "$(j 'j["total"]["bot_only"]')" 1
is "the bot's share" "$(j 'j["total"]["bot_share"]')" 0.2
is "first response median, p90" "$(j '[j["total"]["first_response"][k] for k in ("n","median","p90")]')" "[3, 240, 720]"
is "resolution median, p90" "$(j '[j["total"]["resolution"][k] for k in ("n","median","p90")]')" "[4, 1200, 3600]"
is "handoffs, waiting" "$(j '[j["total"]["handoffs"], j["total"]["handoffs_waiting"]]')" "[2, 1]"
is "handoff wait" "$(j '[j["total"]["handoff_wait"][k] for k in ("n","median","p90")]')" "[1, 600, 600]"
is "csat" "$(j 'j["total"]["csat"]')" "{'surveys': 3, 'answers': 2, 'response_rate': 0.6667, 'mean': 4.5}"
is "channels" "$(j 'sorted(j["channels"])')" "['telegram', 'whatsapp']"
is "telegram" "$(j '[j["channels"]["telegram"][k] for k in ("handled","closed","bot_only","handoffs","handoffs_waiting")]')" "[3, 4, 0, 1, 0]"
is "telegram resolution" "$(j 'j["channels"]["telegram"]["resolution"]')" "{'n': 3, 'median': 1800, 'p90': 3600}"
is "telegram csat" "$(j 'j["channels"]["telegram"]["csat"]["mean"]')" 4.5
is "whatsapp" "$(j '[j["channels"]["whatsapp"][k] for k in ("handled","closed","bot_only","handoffs","handoffs_waiting")]')" "[1, 1, 1, 1, 1]"
is "whatsapp: no first response" "$(j 'j["channels"]["whatsapp"]["first_response"]')" "{'n': 0, 'median': None, 'p90': None}"
is "agents" "$(j 'sorted(j["agents"])')" "['ana', 'bob']"
is "ana" "$(j '[j["agents"]["ana"][k] for k in ("handled","closed","bot_only","handoffs")]')" "[3, 4, 1, 0]"
is "ana's first responses" "$(j 'j["agents"]["ana"]["first_response"]')" "{'n': 2, 'median': 120, 'p90': 240}"
is "ana's resolutions" "$(j 'j["agents"]["ana"]["resolution"]')" "{'n': 3, 'median': 1200, 'p90': 1800}"
is "ana's csat" "$(j 'j["agents"]["ana"]["csat"]')" "{'surveys': 2, 'answers': 2, 'response_rate': 1.0, 'mean': 4.5}"
is "bob took the handoff" "$(j '[j["agents"]["bob"]["handoffs"], j["agents"]["bob"]["handoff_wait"]["median"]]')" "[1, 600]"
is "bob's csat: asked, no answer" "$(j 'j["agents"]["bob"]["csat"]')" "{'surveys': 1, 'answers': 0, 'response_rate': 0.0, 'mean': None}"
is "customer messages by hour" "$(j '[j["hours"][h] for h in (9, 10, 11, 12)]')" "[4, 1, 1, 2]"

text=$(at 20T13:00:00Z report)
like "the text's total row" "$text" $'\ntotal +4 +5 +20% +4m +12m +20m +1h00 +2 +10m +4.5 66%\n'
like "ana's row" "$text" $'\nana +3 +4 +25% +2m +4m +20m +30m +0 +- +4.5 100%\n'
like "what still waits" "$text" "handoffs still waiting for a human: 1"
is "never wider than 80 columns" "$(awk '{ if (length($0) > 80) n++ } END { print n + 0 }' <<<"$text")" 0

csv=$(at 20T13:00:00Z report --csv)
is "CSV header" "$(head -n1 <<<"$csv")" "scope,name,handled,closed,bot_only,first_response_n,first_response_median,first_response_p90,resolution_n,resolution_median,resolution_p90,handoffs,handoffs_waiting,handoff_wait_median,handoff_wait_p90,surveys,csat_answers,csat_mean"
is "CSV total" "$(sed -n 2p <<<"$csv")" "total,total,4,5,1,3,240,720,4,1200,3600,2,1,600,600,3,2,4.50"
is "CSV whatsapp" "$(grep '^channel,whatsapp' <<<"$csv")" "channel,whatsapp,1,1,1,0,,,1,1200,1200,1,1,,,0,0,"
is "CSV bob" "$(grep '^agent,bob' <<<"$csv")" "agent,bob,1,1,0,1,720,720,1,3600,3600,1,0,600,600,1,0,"

# --since 8h at 13:00: E (the day before) is out.
json=$(at 20T13:00:00Z report --json --since 8h)
is "--since: since" "$(j 'j["since"]')" "2026-11-20T05:00:00Z"
is "--since: handled, closed" "$(j '[j["total"]["handled"], j["total"]["closed"]]')" "[3, 4]"
is "--since: first responses" "$(j 'j["total"]["first_response"]')" "{'n': 2, 'median': 240, 'p90': 720}"
is "--since: resolutions" "$(j 'j["total"]["resolution"]')" "{'n': 3, 'median': 1800, 'p90': 3600}"
is "--since: csat" "$(j 'j["total"]["csat"]')" "{'surveys': 2, 'answers': 1, 'response_rate': 0.5, 'mean': 4.0}"

# --agent bob: the conversation bob acted on (B), his figures only.
json=$(at 20T13:00:00Z report --json --agent bob)
is "--agent: agents" "$(j 'list(j["agents"])')" "['bob']"
is "--agent: total" "$(j '[j["total"][k] for k in ("handled","closed","bot_only","handoffs")]')" "[1, 1, 0, 1]"
is "--agent: first response" "$(j 'j["total"]["first_response"]["median"]')" 720
is "--agent: channels" "$(j 'list(j["channels"])')" "['telegram']"

# --team: the conversations tagged ombre/team/NAME (B only).
quiet "$OMBRE" tag "$(conv c2)" +ombre/team/support
json=$(at 20T13:00:00Z report --json --team support)
is "--team: B alone" "$(j '[j["total"][k] for k in ("handled","closed","handoffs")] + [list(j["agents"])]')" "[1, 1, 1, ['bob']]"
at 20T13:00:00Z report --team 'a b' >/dev/null 2>&1
is "a bad team name: exit 2" "$?" 2

# --shift with no shift-start event: the last 8 hours.
is "--shift without a shift: the last 8 h" \
    "$(at 20T13:00:00Z report --json --shift | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["since"])')" \
    "2026-11-20T05:00:00Z"
# ana's shift started at 12:00 (the event the shift commands record).
printf '%s\n' '{"channel":"telegram","account":"bot1","conversation":{"id":"c1"},"id":"shift1","date":"2026-11-20T12:00:00Z","from":{"id":"ana","name":"ana","kind":"event"},"text":"shift started","event":{"type":"shift-start","agent":"ana"}}' |
    at 20T12:00:00Z ingest >/dev/null
shift_since() { at 20T13:00:00Z report --json --shift "$@" | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["since"])'; }
is "--shift: since ana's shift-start event" "$(shift_since --agent ana)" "2026-11-20T12:00:00Z"
is "--shift: bob has none, the last 8 h" "$(shift_since --agent bob)" "2026-11-20T05:00:00Z"
at 20T13:00:00Z report --since nonsense >/dev/null 2>&1
is "a bad duration: usage, exit 2" "$?" 2
at 20T13:00:00Z report --json --csv >/dev/null 2>&1
is "--json and --csv: exit 2" "$?" 2

# --- :report in the console at 80x24 ------------------------------------
if command -v tmux >/dev/null; then
	tmux_init report
	tmux_start 80 24 "OMBRE_NOW=2026-11-20T13:00:00Z '$OMBRE'"
	wait_screen "Inbox"
	tm send-keys -t t ':report' Enter
	if wait_screen "Report"; then
		settle
		screen=$(tm capture-pane -p -t t)
		printf '%s\n' "$screen" | sed 's/^/# /'
		like ":report shows the total" "$screen" "handled 4  closed 5  bot-only 1 \\(20%\\)"
		like ":report shows the times" "$screen" "first response  median 4m  p90 12m"
		like ":report draws the hours" "$screen" "per hour \\(most: 4\\)"
		like ":report draws the hours' columns" "$screen" " 09 10 11 12 "
		like ":report's first screen shows telegram's bar" "$screen" "telegram   █+ 3 handled"
		is ":report fits 80 columns" "$("$PYTHON" -S -c 'import sys; print(max(len(l) for l in sys.stdin.read().split("\n")) <= 80)' <<<"$screen")" True
	else
		ok ":report opened" false
	fi
else
	skip ":report in tmux" "tmux is not installed"
fi

test_done
