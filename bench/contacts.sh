#!/usr/bin/env bash
#
# bench/contacts.sh STORE [OMBRE]: what contacts cost on a store (issue 16).
#
# On a copy of STORE (a demo store: `ombre demo --conversations N --out
# STORE`), prints the median wall and CPU time of BENCH_RUNS runs (default
# 7) of: `ombre list --limit 50` before and after 100 contacts are made
# (the exclusion of tag:ombre/contact in every query of conversations),
# `contact show CONV` (a contact's conversations on every channel: what
# the thread's header reads when a conversation is opened), `contact link`
# (a file written and indexed, another forgotten) and `contact list
# --suggest` (every WhatsApp, SMS and e-mail customer walked). Nothing
# here asserts a time.

set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-7}
[ $# -ge 1 ] || { echo "usage: bench/contacts.sh STORE [OMBRE]" >&2; exit 2; }
ombre=${2:-$here/src/ombre}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config LC_ALL=C.UTF-8 TZ=UTC
cp -a "$1" "$work/store"
export OMBRE_DATA_DIR=$work/store

median_ms() {
	python3 - "$runs" "$@" <<'PY'
import resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
wall, cpu = [], []
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall.append((time.perf_counter() - t0) * 1000)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
print("%.1f ms (cpu %.1f)" % (statistics.median(wall), statistics.median(cpu)))
PY
}

msgs=$(notmuch --config="$work/store/notmuch-config" count '*')
ids=$("$ombre" list --limit 202 '*' | awk '{ print $1 }')
echo "store: $msgs messages"
echo "list --limit 50, no contact:      $(median_ms "$ombre" list --limit 50)"
set -- $ids
t0=$(date +%s.%N)
for ((i = 0; i < 100; i++)); do
	"$ombre" contact link "$1" "$2" >/dev/null 2>&1 || true
	shift 2
done
t1=$(date +%s.%N)
echo "contact link (100, one process each): $(python3 -c "print('%.1f ms each' % (($t1 - $t0) * 10))")"
first=$(head -n 1 <<<"$ids")
echo "list --limit 50, 100 contacts:    $(median_ms "$ombre" list --limit 50)"
echo "contact show (a linked one):      $(median_ms "$ombre" contact show "$first")"
echo "contact list --suggest:           $(median_ms "$ombre" contact list --suggest)"
