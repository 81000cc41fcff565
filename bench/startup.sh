#!/usr/bin/env bash
#
# bench/startup.sh [OMBRE...]: what a command pays before it does anything.
#
# For each ombre binary given (default: src/ombre of this tree), prints the
# median wall and CPU time of BENCH_RUNS runs (default 20) of `ombre
# --version` and of `ombre list --limit 50` on a small demo store (300
# conversations, seed 42), the number of shared libraries it loads, and
# the console's RSS once its first screen is drawn (tmux, 100x30,
# /proc/PID/status). `notmuch --version` and `notmuch search --limit=50`
# on the same store are the baseline. Nothing here asserts a time.

set -eu

here=$(cd "$(dirname "$0")/.." && pwd)
runs=${BENCH_RUNS:-20}
[ $# -gt 0 ] || set -- "$here/src/ombre"

work=$(mktemp -d)
trap 'tmux -L bench-startup kill-server 2>/dev/null || true; rm -rf "$work"' EXIT
export HOME=$work XDG_CONFIG_HOME=$work/config XDG_DATA_HOME=$work/data \
    XDG_CACHE_HOME=$work/cache LC_ALL=C.UTF-8 TZ=UTC
store=$work/store
"$1" demo --seed 42 --conversations 300 --out "$store" >/dev/null

# The medians of runs of a command, in milliseconds: "WALL (CPU)", CPU
# being user + system time, which other load on the machine changes less.
median_ms() {
	python3 - "$runs" "$@" <<'PY'
import os, resource, statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
wall, cpu = [], []
for _ in range(runs):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall.append((time.perf_counter() - t0) * 1000)
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append((r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime) * 1000)
print("%.1f (%.1f)" % (statistics.median(wall), statistics.median(cpu)))
PY
}

# The console's VmRSS in kB once the Inbox is on screen.
console_rss() {
	local pid i
	tmux -L bench-startup kill-server 2>/dev/null || true
	tmux -L bench-startup -f /dev/null new-session -d -x 100 -y 30 \
	    "exec '$1' --data-dir '$store'"
	for ((i = 0; i < 200; i++)); do
		tmux -L bench-startup capture-pane -p | grep -q 'Inbox' && break
		sleep 0.02
	done
	sleep 0.5	# the sidebar's counts come from a child
	pid=$(tmux -L bench-startup display-message -p '#{pane_pid}')
	awk '/^VmRSS/ { print $2 }' "/proc/$pid/status"
	tmux -L bench-startup kill-server 2>/dev/null || true
}

echo "medians of $runs runs, wall (CPU) in ms; console RSS in kB"
printf '%-32s %16s %16s %5s %12s\n' program "--version" "list --limit 50" \
    libs "console RSS"
for ombre in "$@"; do
	printf '%-32s %16s %16s %5s %12s\n' "$ombre" \
	    "$(median_ms "$ombre" --version)" \
	    "$(median_ms "$ombre" --data-dir "$store" list --limit 50)" \
	    "$(ldd "$ombre" | grep -c '=>')" "$(console_rss "$ombre")"
done
if command -v notmuch >/dev/null; then
	printf '%-32s %16s %16s %5s\n' "notmuch (search --limit=50)" \
	    "$(median_ms notmuch --version)" \
	    "$(median_ms notmuch --config="$store/notmuch-config" search \
	    --limit=50 --sort=newest-first tag:inbox)" \
	    "$(ldd "$(command -v notmuch)" | grep -c '=>')"
fi
