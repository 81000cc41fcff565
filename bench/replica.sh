#!/usr/bin/env bash
#
# bench/replica.sh [CONVERSATIONS]: how long a tag change made on one
# machine takes to show on another through muchsync (the engine REPLICAS
# in ombre(1) documents), on a central store of CONVERSATIONS demo
# conversations (default 3000) and a replica of it, over an ssh stand-in
# on this machine (no network: add your link's round trips).
#
# Prints the first copy's time, then BENCH_RUNS (default 10) rounds of:
# one `ombre tag` on the central store, then `muchsync` from the replica
# until the replica shows it; the median and the worst. A console on a
# replica sees a change at the next store.replicate round: up to
# store.replicate-interval (30 s) plus this. Nothing here asserts a time.

set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
ombre=${OMBRE:-$here/src/ombre}
convs=${1:-3000}
runs=${BENCH_RUNS:-10}
command -v muchsync >/dev/null || { echo "muchsync is not installed"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data \
    LC_ALL=C.UTF-8 TZ=UTC
A=$work/central
B=$work/replica
cat >"$work/fakessh" <<EOF
#!/bin/sh
shift
exec /bin/sh -c "\$*"
EOF
chmod +x "$work/fakessh"
ms() { python3 -c 'import time; print(int(time.monotonic() * 1000))'; }
sync_now() {
	muchsync -C "$B/notmuch-config" -s "$work/fakessh" central \
	    -C "$A/notmuch-config" >/dev/null 2>&1
}

"$ombre" demo --seed 42 --conversations "$convs" --out "$A" >/dev/null
messages=$("$ombre" --data-dir "$A" list --json --limit 1000000 | wc -l)
"$ombre" --data-dir "$B" list >/dev/null
t0=$(ms)
sync_now
t1=$(ms)
echo "central store: $convs conversations ($(notmuch --config="$A/notmuch-config" count '*') messages); first copy to the replica: $((t1 - t0)) ms"

ids=$("$ombre" --data-dir "$A" list --json --limit "$runs" | python3 -c '
import json, sys
for l in sys.stdin: print(json.loads(l)["id"])')
times=()
for id in $ids; do
	label=bench$RANDOM
	"$ombre" --data-dir "$A" tag "$id" "+$label" >/dev/null
	t0=$(ms)
	until [ "$(notmuch --config="$B/notmuch-config" count "tag:$label")" -gt 0 ]; do
		sync_now
	done
	t1=$(ms)
	times+=($((t1 - t0)))
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="${#times[@]}" '
	{ v[NR] = $1 }
	END { printf "a tag change, central to replica (%d rounds): median %d ms, worst %d ms\n", n, v[int((n + 1) / 2)], v[n] }'
