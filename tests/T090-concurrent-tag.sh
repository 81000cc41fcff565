#!/usr/bin/env bash
#
# Writers at the same time on one store: two `ombre tag` loops over
# overlapping sets of conversations, with an ingest and readers running
# beside them; then `notmuch tag` racing `ombre tag`. Every operation of
# every process must land on every message of the conversations it
# targeted (no lost operation, no tag where it was not asked), every
# command must exit 0, and readers must keep answering.

. "$top_srcdir/tests/lib.sh"
test_init

ITER=20
NCONV=20

for ((k = 1; k <= NCONV; k++)); do
	for m in 1 2; do
		json_line telegram bot1 "conv$k" "c${k}m$m" \
		    "2026-11-19T$(printf '%02d:%02d' $((k % 24)) $((m * 10))):00Z" \
		    "cust$k" customer "conversation $k message $m"
	done
done >convs.jsonl
# An ingest of NLATE new conversations races the tag loops and readers:
# committed in batches of 10, it takes a second or two.
NLATE=50
for ((k = 1; k <= NLATE; k++)); do
	for ((m = 1; m <= 10; m++)); do
		json_line whatsapp biz1 "late$k" "l${k}m$m" \
		    "2026-11-19T2$((k % 4)):$(printf '%02d' $(((k + m) % 60))):00Z" "lcust$k" \
		    customer "late conversation $k message $m"
	done
done >late.jsonl
ok "a store with $NCONV conversations" "$OMBRE" ingest <convs.jsonl
is "$((NCONV * 2)) messages" "$(nm count --output=messages '*')" $((NCONV * 2))

# The thread of each conversation.
declare -a thread
for ((k = 1; k <= NCONV; k++)); do
	thread[k]=$(nm search --output=threads "subject:conv$k")
done
is "one thread per conversation" \
    "$(printf '%s\n' "${thread[@]}" | grep -c '^thread:[0-9a-f]\{16\}$')" "$NCONV"

# query LO HI: the conversations LO..HI as one notmuch query.
query() {
	local k q=""
	for ((k = $1; k <= $2; k++)); do
		q+="${q:+ or }${thread[k]}"
	done
	printf '(%s)\n' "$q"
}
all=$(query 1 "$NCONV")
# The targets of iteration i of a loop whose even iterations take LO..HI:
# odd iterations take every conversation.
targets() {	# targets I LO HI -> "LO HI"
	if (($1 % 2)); then echo "1 $NCONV"; else echo "$2 $3"; fi
}

# tag_loop NAME PREFIX LO HI CMD...: ITER iterations of CMD +PREFIXi QUERY,
# one "i status" line each in NAME.log.
tag_loop() {
	local name=$1 prefix=$2 lo=$3 hi=$4 i from to q
	shift 4
	for ((i = 1; i <= ITER; i++)); do
		read -r from to <<<"$(targets "$i" "$lo" "$hi")"
		q=$(query "$from" "$to")
		"$@" "+$prefix$i" "$q" >>"$name.out" 2>>"$name.err"
		echo "$i $?" >>"$name.log"
	done
}
# shellcheck disable=SC2317 # called through tag_loop
ombre_tag() {
	"$OMBRE" tag "$@"
}
# shellcheck disable=SC2317 # called through tag_loop
nm_tag() {	# notmuch tag +TAG QUERY
	nm tag "$1" -- "$2"
}

# check_loop NAME PREFIX LO HI WHO: a TAP line for the exit statuses and
# one for the tags of the loop.
check_loop() {
	local name=$1 prefix=$2 lo=$3 hi=$4 who=$5 i from to q n got bad=()
	is "$who: all $ITER commands exit 0" \
	    "$(awk '$2 == 0' "$name.log" | wc -l)" "$ITER" ||
	    { diag "$(grep -v ' 0$' "$name.log")"; diag "$(head -n 10 "$name.err")"; }
	for ((i = 1; i <= ITER; i++)); do
		read -r from to <<<"$(targets "$i" "$lo" "$hi")"
		q=$(query "$from" "$to")
		n=$((to - from + 1))
		got="$(nm count --output=messages "tag:$prefix$i and $q")"
		got+=" $(nm count --output=threads "tag:$prefix$i")"
		got+=" $(nm count --output=messages "tag:$prefix$i and not $q")"
		[ "$got" = "$((n * 2)) $n 0" ] ||
		    bad+=("+$prefix$i: $got (want $((n * 2)) messages, $n threads, 0 outside)")
	done
	test_result "${#bad[@]}" "$who: every one of the $ITER operations landed on every targeted message, nowhere else" ||
	    diag "${bad[@]}"
}

# Readers beside the writers: each list of the 20 conversations must work.
reader_loop() {
	local rc
	while [ ! -e stop-readers ]; do
		# (braces: no "Aborted" notice from bash if one crashes)
		{ "$OMBRE" list --json --limit 100 "$all" >reader.out \
		    2>>reader.err; } 2>/dev/null
		rc=$?
		echo "$rc $(wc -l <reader.out)" >>reader.log
		{ "$OMBRE" show "${thread[1]}" >/dev/null 2>>reader.err; } \
		    2>/dev/null
		echo "$? show" >>reader.log
		# An agent's pace, not a spin: the readers must meet
		# the writers, not take a processor from them.
		nap 0.05
	done
}

# Two ombre tag loops, an ingest of new conversations and a reader.
start=$SECONDS
reader_loop &
reader=$!
tag_loop A a 1 14 ombre_tag &
loop_a=$!
tag_loop B b 7 "$NCONV" ombre_tag &
loop_b=$!
sleep 0.2
"$OMBRE" -e 'set store.batch-messages 10' ingest <late.jsonl 2>late.err
is "an ingest racing the tag loops exits 0" "$?" 0 ||
    diag "$(head -n 5 late.err)"
wait "$loop_a"
wait "$loop_b"
touch stop-readers
wait "$reader"
diag "two ombre tag loops of $ITER took $((SECONDS - start)) s"

check_loop A a 1 14 "ombre tag loop A"
check_loop B b 7 "$NCONV" "ombre tag loop B"
is "the racing ingest stored its $((NLATE * 10)) messages once" \
    "$(nm count --output=messages Channel:whatsapp) $(nm search --output=files Channel:whatsapp | wc -l)" \
    "$((NLATE * 10)) $((NLATE * 10))"
is "every conversation carries the tags of both loops' all-conversation iterations" \
    "$(nm count --output=threads "tag:a1 and tag:b1 and tag:a$((ITER - 1)) and tag:b$((ITER - 1))")" \
    "$NCONV"
is "no message got a tag from an iteration that did not target it" \
    "$(nm count --output=messages "Channel:whatsapp and (tag:a1 or tag:b1)")" 0
is "readers beside the writers: every list and show exits 0" \
    "$(awk '$1 != 0' reader.log | wc -l)" 0 || {
	diag "$(awk '$1 != 0 { print ($2 == "show" ? "show" : "list") \
	    " exit status " $1 }' reader.log | sort | uniq -c)"
	if [ -s reader.err ]; then
		diag "their errors:"
		diag "$(sort reader.err | uniq -c | head -n 10)"
	else
		diag "(nothing on stderr: killed by a signal)"
	fi
}
is "every list that exited 0 showed the $NCONV conversations" \
    "$(awk '$1 == 0 && $2 != "show" && $2 != '"$NCONV" reader.log | wc -l)" 0 ||
    diag "$(awk '$1 == 0 && $2 != "show"' reader.log | sort | uniq -c)"
diag "the readers ran $(grep -vc show reader.log) lists"
ok "ombre list still works" "$OMBRE" list --limit 100
is "and shows the $((NCONV + NLATE)) conversations" \
    "$("$OMBRE" list --limit 100 | wc -l)" $((NCONV + NLATE))
is "ombre list --json shows the tags of both loops" \
    "$("$OMBRE" list --json --limit 100 "$all" | grep "\"a$((ITER - 1))\"" |
    grep -c "\"b$((ITER - 1))\"")" "$NCONV"

# The real notmuch tag racing ombre tag.
if [ "$(nm config get built_with.retry_lock 2>/dev/null)" != true ]; then
	diag "this notmuch waits for no lock: its tag commands are retried"
	nm_tag() {
		local i
		for ((i = 0; i < 200; i++)); do
			nm tag "$1" -- "$2" && return 0
			sleep 0.05
		done
		return 1
	}
fi
start=$SECONDS
tag_loop N n 1 12 nm_tag &
loop_n=$!
tag_loop O o 5 "$NCONV" ombre_tag &
loop_o=$!
wait "$loop_n"
wait "$loop_o"
diag "notmuch tag and ombre tag loops took $((SECONDS - start)) s"
check_loop N n 1 12 "notmuch tag racing ombre tag"
check_loop O o 5 "$NCONV" "ombre tag racing notmuch tag"
is "ombre sees notmuch's tags: list shows every conversation tagged n1" \
    "$("$OMBRE" list --json --limit 100 tag:n1 | wc -l)" "$NCONV"
is "and the 12 tagged n2" "$("$OMBRE" list --json --limit 100 tag:n2 | wc -l)" 12

# ombre removes what notmuch added and the other way round, at once.
( for ((i = 1; i <= ITER; i++)); do
	"$OMBRE" tag "$all" "-n$i" 2>>rm.err || echo "ombre -n$i: $?"
done ) >rm-ombre.log &
rm_o=$!
( for ((i = 1; i <= ITER; i++)); do
	nm_tag "-o$i" "$all" 2>>rm.err || echo "notmuch -o$i: $?"
done ) >rm-nm.log &
rm_n=$!
wait "$rm_o" "$rm_n"
is "removals racing: every command exits 0" "$(cat rm-ombre.log rm-nm.log)" "" ||
    diag "$(head -n 10 rm.err)"
left=tag:n1
for ((i = 1; i <= ITER; i++)); do
	left+=" or tag:n$i or tag:o$i"
done
is "no tag of either loop is left" "$(nm count "$left")" 0
is "the tags of the first loops are untouched" \
    "$(nm count --output=threads "tag:a1 and tag:b1")" "$NCONV"

is "nothing left in tmp/" "$(find "$DATA/mail/ombre/tmp" -type f | wc -l)" 0
is "no journal left" "$(find "$DATA/journal" -type f | wc -l)" 0

test_done
