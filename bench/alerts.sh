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
# 5 %), the same for the CPU time of the ingest (user and system: steadier
# on a loaded machine), and the alert events the rules wrote (their indexing is part of
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

# ingest MODE N: "WALL CPU" seconds of one ingest into a new store (CPU:
# user and system, what a busy machine's other load disturbs less).
ingest() {
	local dir=$work/data-$1-$2 TIMEFORMAT='%R %U %S'
	{ time "$ombre" -c "$work/$1.conf" --data-dir "$dir" ingest \
	    <"$work/lines.jsonl" >/dev/null; } 2>&1 |
	    awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
}

min() { echo "$1 ${2:-$1}" | awk '{ print ($1 < $2) ? $1 : $2 }'; }
best_on="" best_off="" cpu_on="" cpu_off=""
for ((i = 1; i <= runs; i++)); do
	for mode in on off; do
		read -r s c < <(ingest "$mode" "$i")
		echo "run $i, alerts $mode: ${s}s wall, ${c}s CPU"
		if [ "$mode" = on ]; then
			best_on=$(min "$s" "$best_on")
			cpu_on=$(min "$c" "$cpu_on")
		else
			best_off=$(min "$s" "$best_off")
			cpu_off=$(min "$c" "$cpu_off")
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
awk -v on="$cpu_on" -v off="$cpu_off" 'BEGIN {
	printf "  CPU: %.2f s on, %.2f s off: %.1f %%\n", on, off,
	    (on - off) / off * 100
}'
echo "  alert events written: $events in $alerted conversations"
