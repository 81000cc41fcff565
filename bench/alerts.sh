#!/usr/bin/env bash
#
# bench/alerts.sh [CONVERSATIONS [PER]]: what the alert rules (alert.c,
# issue 16) cost `ombre ingest` per message. The same demo lines
# (`ombre demo --seed 42`, CONVERSATIONS conversations, default 10000, of
# PER messages, default 10: 100k lines) are ingested into new stores with
# the default rules, and with every rule removed (`alert NAME -` in the
# config), BENCH_RUNS times each (default 2), alternating, so that the
# machine's other load falls on both alike.
#
# Prints the best rate of each (lines a second), the overhead of the
# rules in % of the ingest time without them (the issue's target: under
# 5 %), and the alert events the rules wrote (their indexing is part of
# the cost). Nothing here asserts a time. BENCH_KEEP=1 keeps the work
# directory.

set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
ombre=${OMBRE:-$here/src/ombre}
convs=${1:-10000}
per=${2:-10}
runs=${BENCH_RUNS:-2}

work=$(mktemp -d)
[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/config LC_ALL=C.UTF-8 TZ=UTC
unset OMBRE_DATA_DIR NOTMUCH_CONFIG NOTMUCH_DATABASE MAILDIR || true
mkdir -p "$HOME" "$XDG_CONFIG_HOME/ombre"

"$ombre" demo --seed 42 --conversations "$convs" \
    --messages-per-conversation "$per" >"$work/lines.jsonl"
lines=$(wc -l <"$work/lines.jsonl")

# The configs: none (the defaults), and every default rule removed.
: >"$work/on.conf"
"$ombre" -c "$work/on.conf" -e list-alerts | awk '{ print "alert " $2 " -" }' \
    >"$work/off.conf"
chmod 600 "$work/on.conf" "$work/off.conf"
[ -z "$("$ombre" -c "$work/off.conf" -e list-alerts)" ] ||
    { echo "alerts.sh: the rules were not all removed" >&2; exit 1; }

# ingest MODE N: seconds (decimal) of one ingest into a new store.
ingest() {
	local dir=$work/data-$1-$2 t0 t1
	t0=$EPOCHREALTIME
	"$ombre" -c "$work/$1.conf" --data-dir "$dir" ingest \
	    <"$work/lines.jsonl" >/dev/null
	t1=$EPOCHREALTIME
	echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
}

best_on="" best_off=""
for ((i = 1; i <= runs; i++)); do
	for mode in on off; do
		s=$(ingest "$mode" "$i")
		echo "run $i, alerts $mode: ${s}s"
		if [ "$mode" = on ]; then
			best_on=$(echo "$s ${best_on:-$s}" | awk '{ print ($1 < $2) ? $1 : $2 }')
		else
			best_off=$(echo "$s ${best_off:-$s}" | awk '{ print ($1 < $2) ? $1 : $2 }')
		fi
	done
done

events=$(notmuch --config="$work/data-on-1/notmuch-config" count \
    property:ombre.event=alert)
alerted=$(notmuch --config="$work/data-on-1/notmuch-config" count \
    --output=threads 'tag:/^ombre\/alert\//')
echo "$lines lines ($convs conversations of $per), best of $runs:"
awk -v n="$lines" -v on="$best_on" -v off="$best_off" 'BEGIN {
	printf "  alerts on:  %.0f lines/s (%.2f s)\n", n / on, on
	printf "  alerts off: %.0f lines/s (%.2f s)\n", n / off, off
	printf "  overhead of the rules: %.1f %% of the ingest time\n",
	    (on - off) / off * 100
}'
echo "  alert events written: $events in $alerted conversations"
