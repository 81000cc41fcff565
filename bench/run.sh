#!/usr/bin/env bash
# bench/run.sh: ombre's figures, printed (never asserted): ingest rate
# against a fair baseline, first-page latency against notmuch search, and
# memory (RSS and RssAnon).
#
#   bench/run.sh [SIZE...]        default: 100000 1000000 (messages)
#
# Each size is a generated store of SIZE messages, 10 per conversation,
# fixed seed. The baseline writes and fsyncs the very same message files
# into a fresh Maildir, then runs `notmuch new`: what indexing the same
# mail with notmuch alone costs. Work files go to bench/out/ (or $BENCH_OUT).
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
OMBRE=${OMBRE:-$top/src/ombre}
out=${BENCH_OUT:-$here/out}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
export OMBRE_NOW=${OMBRE_NOW:-2026-11-20T10:00:00Z} LC_ALL=C.UTF-8 TZ=UTC
export HOME=$out/home XDG_CONFIG_HOME=$out/home/.config
mkdir -p "$out" "$HOME"

now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l; }

# Run a command, sampling its /proc status every 20 ms: VmHWM (the peak
# resident set, kept by the kernel) and the largest RssAnon seen.
# Sets: elapsed, peak_rss, peak_anon (kB).
measure() {
	local t0 pid hwm anon
	peak_rss=0 peak_anon=0
	t0=$(now)
	# (<&0: a background job otherwise reads /dev/null, not our stdin)
	"$@" <&0 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		if read -r hwm anon < <(awk '/^VmHWM:/{h=$2} /^RssAnon:/{a=$2} END{print h+0, a+0}' "/proc/$pid/status" 2>/dev/null); then
			[ "$hwm" -gt "$peak_rss" ] && peak_rss=$hwm
			[ "$anon" -gt "$peak_anon" ] && peak_anon=$anon
		fi
		sleep 0.02
	done
	wait "$pid"
	status=$?
	elapsed=$(secs "$t0" "$(now)")
	return $status
}

# The memory of a short command, read from its /proc status as it exits
# (stopped by gdb at exit_group, so nothing is missed by sampling).
# Sets: peak_rss (VmHWM), peak_anon (RssAnon at exit), in kB; 0 without gdb.
measure_at_exit() {
	local status_text
	peak_rss=0 peak_anon=0
	command -v gdb >/dev/null || return 0
	status_text=$(gdb -q -batch -ex 'catch syscall exit_group' -ex run \
	    -ex 'info proc status' --args "$@" 2>/dev/null </dev/null)
	peak_rss=$(awk '/^VmHWM:/{print $2}' <<<"$status_text")
	peak_anon=$(awk '/^RssAnon:/{print $2}' <<<"$status_text")
	peak_rss=${peak_rss:-0} peak_anon=${peak_anon:-0}
}

# The median wall time of N runs of a command, in milliseconds.
median_ms() {
	local n=$1 i t0 t1
	shift
	local times=()
	for ((i = 0; i < n; i++)); do
		t0=$(now)
		"$@" >/dev/null 2>&1
		t1=$(now)
		times+=("$(echo "($t1 - $t0) * 1000" | bc -l)")
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%.1f", a[int((NR+1)/2)]}'
}

# Write and fsync copies of the files into DIR/new (the baseline's delivery).
copy_fsync() {
	python3 - "$1" "$2" <<'PY'
import os, sys
src, dst = sys.argv[1], sys.argv[2]
for d in ("cur", "new", "tmp"):
    os.makedirs(os.path.join(dst, d), exist_ok=True)
newdir = os.path.join(dst, "new")
for name in sorted(os.listdir(src)):
    with open(os.path.join(src, name), "rb") as f:
        data = f.read()
    fd = os.open(os.path.join(newdir, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
dfd = os.open(newdir, os.O_RDONLY)
os.fsync(dfd)
os.close(dfd)
PY
}

printf 'ombre %s, %s, %s cores\n' "$("$OMBRE" --version | cut -d' ' -f2)" "$(uname -m)" "$(nproc)"
for n in "${sizes[@]}"; do
	convs=$((n / 10))
	jsonl=$out/demo-$n.jsonl
	store=$out/store-$n
	base=$out/baseline-$n
	if [ ! -s "$jsonl" ]; then
		t0=$(now)
		"$OMBRE" demo --seed 42 --conversations "$convs" --messages-per-conversation 10 >"$jsonl"
		printf '%-8s generate       %8.1f s   (%d conversations)\n' "$n" "$(secs "$t0" "$(now)")" "$convs"
	fi
	rm -rf "$store" "$base"

	measure "$OMBRE" --data-dir "$store" ingest <"$jsonl"
	ingest_s=$elapsed
	ingest_rate=$(echo "$n / $ingest_s" | bc -l)
	printf '%-8s ombre ingest   %8.1f s   %8.0f msg/s   RSS %d kB (peak), RssAnon %d kB\n' \
	    "$n" "$ingest_s" "$ingest_rate" "$peak_rss" "$peak_anon"

	t0=$(now)
	copy_fsync "$store/mail/ombre/new" "$base/mail"
	write_s=$(secs "$t0" "$(now)")
	printf '[database]\npath=%s\n[new]\ntags=inbox;unread\n' "$base/mail" >"$base/config"
	measure notmuch --config="$base/config" new --quiet
	new_s=$elapsed
	base_s=$(echo "$write_s + $new_s" | bc -l)
	base_rate=$(echo "$n / $base_s" | bc -l)
	printf '%-8s baseline       %8.1f s   %8.0f msg/s   (write+fsync %.1f s, notmuch new %.1f s: %.0f msg/s)\n' \
	    "$n" "$base_s" "$base_rate" "$write_s" "$new_s" "$(echo "$n / $new_s" | bc -l)"
	printf '%-8s ingest/baseline %7.0f %%\n' "$n" "$(echo "100 * $ingest_rate / $base_rate" | bc -l)"

	list_ms=$(median_ms 7 "$OMBRE" --data-dir "$store" list --limit 50)
	search_ms=$(median_ms 7 notmuch --config="$store/notmuch-config" search --limit=50 --sort=newest-first tag:inbox)
	printf '%-8s ombre list --limit 50             %8s ms (median of 7)\n' "$n" "$list_ms"
	printf '%-8s notmuch search --limit=50 tag:inbox %6s ms (median of 7)\n' "$n" "$search_ms"
	measure_at_exit "$OMBRE" --data-dir "$store" list --limit 50
	printf '%-8s ombre list memory: RSS %d kB (peak), RssAnon %d kB\n' "$n" "$peak_rss" "$peak_anon"
	measure_at_exit notmuch --config="$store/notmuch-config" search --limit=50 --sort=newest-first tag:inbox
	printf '%-8s notmuch search memory: RSS %d kB (peak), RssAnon %d kB\n' "$n" "$peak_rss" "$peak_anon"
	if [ "${BENCH_KEEP:-0}" != 1 ]; then rm -rf "$base"; fi
done
