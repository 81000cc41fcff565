#!/usr/bin/env bash
# T470-trends.sh: ombre trends on a corpus with a burst of "livraison" in
# the last hour (text with its sparkline, the ASCII fallback, --json's
# numbers, the hourly cache in DATA/trends kept and rebuilt when
# corrupt); the syncer's spike round under sync --once (no channel): the
# spike recorded, `hook spike` run with the term, the count and the
# baseline (the same hour of the 7 days before), a second run silent; a console in tmux says it on its status
# line.
. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"

# Two weeks before now (2026-11-20T10:00:00Z): each day at 09:10 a
# customer asks about "sa livraison" and at 09:20 another about an
# invoice on Telegram; from the 13th, one WhatsApp "order" a day at 14:00.
# Then, in the last hour, twelve new customers write about "livraison".
{
	for d in 06 07 08 09 10 11 12 13 14 15 16 17 18 19; do
		json_line telegram bot1 "t${d}a" 1 "2026-11-${d}T09:10:00Z" "u$d" customer \
		    "Bonjour, où en est ma livraison ?"
		json_line telegram bot1 "t${d}b" 1 "2026-11-${d}T09:20:00Z" "v$d" customer \
		    "Une question sur ma facture"
		[ "$d" -lt 13 ] || json_line whatsapp wa1 "w$d" 1 "2026-11-${d}T14:00:00Z" "w$d" customer \
		    "Hello, my ORDER is late"
	done
	texts=("LIVRAISON en retard !" "ma livraison n'est pas arrivée" "Livraison ???")
	for k in 0 1 2 3 4 5 6 7 8 9 10 11; do
		json_line telegram bot1 "burst$k" 1 "2026-11-20T09:$(printf %02d $((5 + k * 4))):00Z" \
		    "b$k" customer "${texts[k % 3]}"
	done
} >corpus.jsonl
"$OMBRE" ingest <corpus.jsonl >/dev/null || { echo "Bail out! ingest failed"; exit 1; }

# --- ombre trends
out=$("$OMBRE" trends)
like "a header over the last 7 days" "$out" "Trends over the last 7d against the 7d before \(bars: one a day\)"
like "livraison rises first, 18 against 7, a bar a day" "$(sed -n 3p <<<"$out")" \
    "^rising  term    livraison +18 +7 +\+157%  ▂▂▂▂▂▂█$"
like "the Telegram channel's new conversations rise" "$out" \
    $'\n'"rising  channel telegram +24 +14 +\+71%  ▃▃▃▃▃▃█"
like "WhatsApp is new this week" "$out" $'\n'"rising  channel whatsapp +7 +0 +new  "
like "a watched term nobody wrote is steady" "$out" $'\n'"steady  term    colis +0 +0 +-  ▁▁▁▁▁▁▁"
long=$(awk '{ if (length($0) > 80) print }' <<<"$out" | wc -l)
is "every line fits 80 columns" "$long" 0
like "the last 24 h: one bar an hour, the burst the last one" \
    "$("$OMBRE" trends --since 24h | grep livraison)" \
    "^rising  term    livraison +12 +1 +\+1100%  (▁){23}█$"
like "ASCII bars outside UTF-8" "$(LC_ALL=C "$OMBRE" trends | grep livraison)" \
    "livraison +18 +7 +\+157%  \.\.\.\.\.\.#$"
"$OMBRE" trends --json >trends.json
is "--json: livraison's numbers" "$("$PYTHON" -S -c '
import json, sys
d = json.load(open("trends.json"))
s = [x for x in d["series"] if x["name"] == "livraison"][0]
print(d["period_hours"], d["bar_hours"], s["kind"], s["count"], s["previous"],
    s["trend"], round(s["change"], 4), s["counts"])')" \
    "168 24 term 18 7 rising 1.5714 [1, 1, 1, 1, 1, 1, 12]"
is "--json: the channels' new conversations" "$("$PYTHON" -S -c '
import json
d = json.load(open("trends.json"))
print(sorted((x["name"], x["count"], x["previous"], x["trend"]) for x in d["series"] if x["kind"] == "channel"))')" \
    "[('telegram', 24, 14, 'rising'), ('whatsapp', 7, 0, 'rising')]"
is "--since refuses a bad duration" "$("$OMBRE" trends --since soon 2>&1 >/dev/null; echo "rc=$?")" \
    "ombre: trends: bad duration 'soon' (1h to 90d: 24h, 7d)
rc=2"
like "--since takes up to 90d, as documented" \
    "$("$OMBRE" trends --since 60d 2>&1; echo "rc=$?")" "against the 60d before.*rc=0"
is "... and no more" "$("$OMBRE" trends --since 91d >/dev/null 2>&1; echo "rc=$?")" "rc=2"

# The cache: closed hours in DATA/trends, one file a day.
like "closed hours are cached a day a file" "$(cat "$DATA/trends/2026-11-19")" \
    $'^ombre-trends 1\n.*\n09 t 1 livraison\n'
# A message indexed late in a counted hour does not change its count...
json_line telegram bot1 late 1 2026-11-19T09:30:00Z late customer "et ma livraison ?" |
    "$OMBRE" ingest >/dev/null
like "an hour counted is not counted again" "$("$OMBRE" trends | grep livraison)" "livraison +18 +7 "
# ...until its day's file is lost or corrupt: counted again from the store.
printf 'ombre-trends 1\n09 t x livraison\n' >"$DATA/trends/2026-11-19"
like "a corrupt day is counted again" "$("$OMBRE" trends | grep livraison)" "livraison +19 +7 "
like "and written again" "$(cat "$DATA/trends/2026-11-19")" $'\n09 t 2 livraison\n'
rm -f "$DATA/trends/2026-11-18"
like "a missing day too" "$("$OMBRE" trends | grep livraison)" "livraison +19 +7 "

# --- the spike: a console running, then the syncer's round
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
printf 'hook spike "cat >>%s; echo >>%s"\n' "$TEST_DIR/hook.out" "$TEST_DIR/hook.out" >"$CONFIG"
chmod 600 "$CONFIG"
if command -v tmux >/dev/null; then
	tmux_init trends
	tmux_start 80 24 "'$OMBRE'; echo \"EXIT=\$?\"; sleep 60"
	console=1
	ok "the console shows the Inbox" wait_screen "Inbox"
fi

"$OMBRE" sync --once 2>sync.err
is "sync --once exits 0" "$?" 0
like "the syncer says it" "$(cat sync.err)" "spike: 'livraison' x11 in the last hour \(12\), 1.05 usually"
is "the hook ran for the term and for the channel (at once: in any order)" "$("$PYTHON" -S -c '
import json
for l in open("hook.out"):
    if l.strip():
        o = json.loads(l)
        print(o["event"], o.get("term", o.get("channel")), o["count"], o["baseline"], o["date"])' | sort)" \
    "spike livraison 12 1.05 2026-11-20T10:00:00Z
spike telegram 12 1.96 2026-11-20T10:00:00Z"
like "recorded in DATA/trends/spikes" "$(cat "$DATA/trends/spikes")" \
    $'channel,12,1.96,1795168800,telegram\nterm,12,1.05,1795168800,livraison'
like "a spike line in the feed" "$(grep '^spike ' "$DATA/feed" | tail -1)" \
    "^spike ---------------- term,12,1.05,1795168800,livraison$"

# The last hour is 08:55-09:55 (slots of 5 minutes ended a minute ago),
# against the same 60 minutes of each of the 7 days before.
like "the last hour's slots kept for the next round" \
    "$(grep ' t [1-9][0-9]* livraison' "$DATA/trends/recent" | awk '{ n += $3 } END { print n }')" "^12$"
"$OMBRE" sync --once 2>>sync.err
is "a second round does not alert again" "$(grep -c spike "$DATA/feed")" 2
is "nor run the hook again" "$(grep -c '"event":"spike"' hook.out)" 2
OMBRE_NOW=2026-11-20T10:30:00Z "$OMBRE" sync --once 2>>sync.err
is "nor half an hour later" "$(grep -c spike "$DATA/feed")" 2
# A new store's first busy hour is no spike: it has no week of baseline.
grep burst corpus.jsonl | "$OMBRE" --data-dir "$TEST_DIR/fresh" ingest >/dev/null
"$OMBRE" --data-dir "$TEST_DIR/fresh" sync --once 2>>sync.err
is "a store with no week of history tells no spike" \
    "$(grep -c '^spike' "$TEST_DIR/fresh/feed")" 0

if [ -n "${console:-}" ]; then
	ok "the console's status line says it" \
	    wait_screen "spike: 'livraison' x11 in the last hour"
	ok "and rang the bell" grep -qa $'\a' terminal.raw
	tm send-keys -t t q
	ok "q quits" wait_screen "EXIT=0"
else
	skip "the console's status line" "tmux is not installed"
fi

test_done
