#!/usr/bin/env bash
# T500-insights.sh: ombre insights on a known corpus whose figures are
# worked out by hand below: only customer messages count (not an agent's
# reply, a note, the bot's answer or an event); topics and phrases after
# French and English stop words, once per message; links with their
# trailing punctuation stripped and their domains; watched terms (the
# defaults and one from the config) by message and conversation; the
# channels and hours; the bot's share of the closes as ombre report
# counts it. Text (sections, bars, 80 columns, nothing unsanitised),
# JSON, CSV, --since, --limit and usage errors.
. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
export TZ=UTC

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'channel tg telegram account=bot1\n'
	printf 'channel wa whatsapp account=wa1\n'
	printf 'watch "Carte cadeau"\n'
} >"$CONFIG"
chmod 600 "$CONFIG"

at() { local t=$1; shift; OMBRE_NOW=2026-11-$t "$OMBRE" "$@"; }
with() { local l; l=$(json_line "${@:2}"); printf '%s,%s}\n' "${l%\}}" "$1"; }
conv() { printf 'property:ombre.conv-id=%s' "$1"; }
quiet() { "$@" >/dev/null || echo "FAILED: $*" >&2; }
cust() { at "$1" ingest < <(json_line "${@:2}") >/dev/null; }

# E, 19 days before (in 30d, not in 7d).
cust 01T08:00:00Z telegram bot1 c9 1 2026-11-01T08:00:00Z u9 customer "Ma carte cadeau ne marche pas"
# c1: two customer messages, an agent's reply and a note that do not
# count, then closed by ana after her reply (not the bot's).
cust 20T09:00:00Z telegram bot1 c1 1 2026-11-20T09:00:00Z u1 customer "Bonjour, mon colis n'est pas arrivé !"
cust 20T09:05:00Z telegram bot1 c1 2 2026-11-20T09:05:00Z u1 customer "Voici le suivi : https://www.laposte.fr/suivi?code=6A123."
USER=ana quiet at 20T09:10:00Z reply "$(conv c1)" --text "Votre colis arrive demain, colis colis"
USER=ana quiet at 20T09:11:00Z reply "$(conv c1)" --note --text "livraison livraison"
quiet at 20T09:20:00Z done "$(conv c1)" --agent ana
# c2: a complaint.
cust 20T10:00:00Z telegram bot1 c2 1 2026-11-20T10:00:00Z u2 customer "Colis abîmé, je veux un remboursement"
# w1: the bot answers alone, ana closes: resolved by the bot alone.
{
	with '"tags":["+ombre/bot"]' whatsapp wa1 w1 1 2026-11-20T11:00:00Z u4 customer "Mon colis est arrivé abîmé, photo: https://imgur.com/a/XyZ"
	json_line whatsapp wa1 w1 2 2026-11-20T11:00:05Z wa1 bot "Votre colis abîmé : je transmets, colis colis"
} | at 20T11:00:05Z ingest >/dev/null
quiet at 20T11:20:00Z done "$(conv w1)" --agent ana
# w2: English, a link in brackets; c3: politeness only; c4: hostile.
cust 20T12:00:00Z whatsapp wa1 w2 1 2026-11-20T12:00:00Z u5 customer "Where is my refund? See https://Shop.Example.com/orders/48213)."
cust 20T12:30:00Z telegram bot1 c3 1 2026-11-20T12:30:00Z u6 customer "merci, bonne journée"
cust 20T12:45:00Z telegram bot1 c4 1 2026-11-20T12:45:00Z u7 customer $'https://evil.example.com/\e]0;pwned\a \e[2J\u202e доставка'

# --- the figures, by hand ---------------------------------------------
# customer messages: E, c1 x2, c2, w1, w2, c3, c4 = 8 in 7 conversations
# colis: c1#1, c2, w1 = 3; abime: c2, w1 = 2; arrive: c1#1, w1 = 2; then
# once each: cadeau, carte, marche, photo, refund, remboursement, see,
# suivi, доставка. Phrases: colis arrive 2; arrive abime, cadeau
# marche, carte cadeau, colis abime 1. Watched: colis 3 (3
# conversations), remboursement 1, refund 1, Carte cadeau 1. Telegram 6,
# whatsapp 2. Hours 08:1 09:2 10:1 11:1 12:3. Closes: c1 (ana replied)
# and w1 (bot alone): 1 of 2.
json=$(at 20T13:00:00Z insights --json)
j() { "$PYTHON" -S -c 'import json,sys; j=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$json" "$1"; }
is "the window: 30 days" "$(j '[j["since"], j["until"]]')" "['2026-10-21T13:00:00Z', '2026-11-20T13:00:00Z']"
is "customer messages only" "$(j 'j["messages"]')" 8
is "in seven conversations" "$(j 'j["conversations"]')" 7
is "top topics" "$(j '[(t["key"], t["count"]) for t in j["topics"]]')" \
    "[('colis', 3), ('abime', 2), ('arrive', 2), ('cadeau', 1), ('carte', 1), ('marche', 1), ('photo', 1), ('refund', 1), ('remboursement', 1), ('see', 1)]"
is "a topic's share of the messages" "$(j 'j["topics"][0]["share"]')" 0.375
is "phrases" "$(j '[(t["key"], t["count"]) for t in j["phrases"]]')" \
    "[('colis arrive', 2), ('arrive abime', 1), ('cadeau marche', 1), ('carte cadeau', 1), ('colis abime', 1)]"
is "domains" "$(j '[(t["key"], t["count"]) for t in j["domains"]]')" \
    "[('evil.example.com', 1), ('imgur.com', 1), ('laposte.fr', 1), ('shop.example.com', 1)]"
is "links, trailing punctuation stripped" "$(j 'sorted(t["key"] for t in j["links"])')" \
    "['https://evil.example.com/', 'https://imgur.com/a/XyZ', 'https://shop.example.com/orders/48213', 'https://www.laposte.fr/suivi?code=6A123']"
is "watched terms" "$(j '[(w["term"], w["messages"], w["conversations"]) for w in j["watch"] if w["messages"]]')" \
    "[('colis', 3, 3), ('remboursement', 1, 1), ('refund', 1, 1), ('Carte cadeau', 1, 1)]"
is "every watched term listed" "$(j 'len(j["watch"])')" 9
is "channels" "$(j '[(c["key"], c["count"], c["share"]) for c in j["channels"]]')" \
    "[('telegram', 6, 0.75), ('whatsapp', 2, 0.25)]"
is "hours" "$(j '[(h, n) for h, n in enumerate(j["hours"]) if n]')" \
    "[(8, 1), (9, 2), (10, 1), (11, 1), (12, 3)]"
is "the bot's share" "$(j 'j["bot"]')" "{'closed': 2, 'bot_only': 1, 'share': 0.5}"
is "the same as ombre report's" \
    "$(at 20T13:00:00Z report --json --since 30d | "$PYTHON" -S -c 'import json,sys; t=json.load(sys.stdin)["total"]; print([t["closed"], t["bot_only"]])')" \
    "[2, 1]"
is "nothing forgotten" "$(j 'j["pruned"]')" False
unlike "no escape byte in the JSON" "$json" $'\e'

# Words of any script, the JSON in ASCII.
json=$(at 20T13:00:00Z insights --json --limit 20)
is "a Cyrillic word, last of the ties" "$(j 'j["topics"][-1]["key"]')" "доставка"
like "written as \\u escapes" "$json" '"key":"\\u0434\\u043e\\u0441'
is "the JSON is ASCII" "$(LC_ALL=C grep -c $'[\x80-\xff]' <<<"$json")" 0

# --limit and --since.
json=$(at 20T13:00:00Z insights --json --limit 3)
is "--limit 3" "$(j '[len(j[k]) for k in ("topics", "phrases", "domains", "links")]')" "[3, 3, 3, 3]"
json=$(at 20T13:00:00Z insights --json --since 7d)
is "--since 7d: the old message out" "$(j '[j["messages"], j["conversations"], j["since"]]')" \
    "[7, 6, '2026-11-13T13:00:00Z']"
is "--since 7d: no carte cadeau" "$(j '[w["messages"] for w in j["watch"] if w["term"] == "Carte cadeau"]')" "[0]"
is "--since 7d: telegram" "$(j 'j["channels"][0]["count"]')" 5
json=$(at 20T13:00:00Z insights --json --since 150m)
is "--since 150m: the last four, w1's close" "$(j '[j["messages"], j["topics"][0]["key"], j["bot"]["closed"]]')" \
    "[4, 'abime', 1]"

# --- the text ------------------------------------------------------------
text=$(at 20T13:00:00Z insights)
printf '%s\n' "$text" | sed 's/^/# /'
like "the title" "$text" "^What customers wrote from 2026-10-21T13:00:00Z to 2026-11-20T13:00:00Z"
like "the totals" "$text" $'\n8 customer messages in 7 conversations\n'
like "the topics' section" "$text" $'\nTopics: the words customers use most\n  colis {23} +3  37% (█){36}\n  abime {23} +2  25% (█){24}\n'
like "phrases" "$text" $'\nPhrases: two words together\n  colis arrive {16} +2  25% (█){36}\n'
like "domains" "$text" $'\n  laposte.fr {18} +1  12% (█)+\n'
like "a link after its count" "$text" $'\n +1  12%  https://www.laposte.fr/suivi\\?code=6A123\n'
like "watched terms" "$text" $'\n  colis {23} +3 +37% +3\n'
like "a term of the config" "$text" $'\n  Carte cadeau {16} +1 +12% +1\n'
like "channels" "$text" $'\nChannels: customer messages\n  telegram {20} +6  75% (█){36}\n  whatsapp {20} +2  25% (█){12}\n'
like "hours" "$text" $'\n  12h {25} +3  37% (█){36}\n'
like "an empty hour" "$text" $'\n  13h {25} +0   0%\n'
like "the bot's share" "$text" $'\nResolved by the bot alone\n  1 of 2 closes \\(50%\\) had no agent reply'
unlike "no escape byte in the text" "$text" $'\e'
is "never wider than 80 columns" \
    "$(printf '%s\n' "$text" | "$PYTHON" -S -c 'import sys; print(sum(len(l.rstrip("\n")) > 80 for l in sys.stdin))')" 0

# --- CSV -----------------------------------------------------------------
csv=$(at 20T13:00:00Z insights --csv)
is "CSV header" "$(head -n1 <<<"$csv")" "section,key,count,share"
is "CSV totals" "$(sed -n 2,3p <<<"$csv")" $'total,messages,8,\ntotal,conversations,7,'
is "CSV topic" "$(grep '^topic,colis,' <<<"$csv")" "topic,colis,3,0.3750"
is "CSV phrase" "$(grep '^phrase,colis arrive,' <<<"$csv")" "phrase,colis arrive,2,0.2500"
is "CSV domain" "$(grep '^domain,imgur.com,' <<<"$csv")" "domain,imgur.com,1,0.1250"
is "CSV watch" "$(grep '^watch[a-z-]*,colis,' <<<"$csv")" $'watch,colis,3,0.3750\nwatch-conversations,colis,3,0.4286'
is "CSV channel" "$(grep '^channel,' <<<"$csv")" $'channel,telegram,6,0.7500\nchannel,whatsapp,2,0.2500'
is "CSV hour" "$(grep '^hour,09,' <<<"$csv")" "hour,09,2,0.2500"
is "CSV hours: 24 rows" "$(grep -c '^hour,' <<<"$csv")" 24
is "CSV bot" "$(grep '^bot,' <<<"$csv")" $'bot,closed,2,\nbot,bot_only,1,0.5000'
is "CSV rows have four cells" \
    "$("$PYTHON" -S -c 'import csv,sys; print(set(len(r) for r in csv.reader(sys.stdin)))' <<<"$csv")" "{4}"
unlike "no escape byte in the CSV" "$csv" $'\e'

# --- usage ---------------------------------------------------------------
for args in "--since 0d" "--since 400d" "--since soon" "--json --csv" \
    "--limit 0" "--limit many" "extra" "--bogus"; do
	# shellcheck disable=SC2086
	at 20T13:00:00Z insights $args >/dev/null 2>&1
	is "insights $args: exit 2" "$?" 2
done
like "--help" "$(at 20T13:00:00Z insights --help)" "^usage: ombre insights"

test_done
