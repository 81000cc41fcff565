#!/usr/bin/env bash
#
# Eight consoles of eight agents (agent agN in each one's config) on one
# store while `ombre ingest` keeps bringing new conversations: every
# console follows them, triage typed in all of them at once (four take a
# conversation, four close one; each its own) loses no operation, and no
# screen ever shows a Xapian error (about 10 s on two busy cores).

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init eight-consoles

N=8

# The conversations the agents triage, c1..cN, and their configs.
for ((i = 1; i <= N; i++)); do
	json_line telegram 7012345678 "c$i" "m$i" "2026-11-20T08:0$i:00Z" \
	    "c$i" customer "question $i"
	printf 'agent ag%s\n' "$i" >"$TEST_DIR/cfg$i"
	chmod 600 "$TEST_DIR/cfg$i"
done | "$OMBRE" ingest >/dev/null

# One window a console, all on the same data dir.
for ((i = 1; i <= N; i++)); do
	if [ "$i" = 1 ]; then
		tmux_start 100 40 "'$OMBRE' -c '$TEST_DIR/cfg1'; sleep 120"
	else
		tm new-window -d -t "t:$((i - 1))" "'$OMBRE' -c '$TEST_DIR/cfg$i'; sleep 120"
	fi
done
screen_of() { tm capture-pane -p -t "t:$(($1 - 1))"; }
# wait_all REGEX SECONDS: every console shows REGEX; say which does not.
wait_all() {
	local i j limit=$(($2 * 10)) missing
	for ((j = 0; j < limit; j++)); do
		missing=
		for ((i = 1; i <= N; i++)); do
			[[ $(screen_of "$i") =~ $1 ]] || missing+=" $i"
		done
		[ -z "$missing" ] && return 0
		sleep 0.1
	done
	echo "consoles not showing it:$missing"
	return 1
}
ok "every console shows the Inbox" wait_all "question $N" 20

# New conversations keep coming while the agents work.
(
	for ((k = 1; k <= 6; k++)); do
		json_line telegram 7012345678 "n$k" "nm$k" \
		    "2026-11-20T09:0$k:00Z" "n$k" customer "nouveau $k" |
		    "$OMBRE" ingest >/dev/null 2>"$TEST_DIR/ingest.out" ||
		    cat "$TEST_DIR/ingest.out" >>"$TEST_DIR/ingest.err"
		sleep 0.3
	done
) &
ingest=$!

# Each console narrows its list to its own conversation, then acts: the
# first half take theirs (a), the others close theirs (e), all at once.
for ((i = 1; i <= N; i++)); do
	tm send-keys -t "t:$((i - 1))" : "search from:c$i" Enter
done
for ((i = 1; i <= N; i++)); do
	wait_screen_of() { [[ $(screen_of "$i") =~ /from:c$i ]]; }
	for ((j = 0; j < 100; j++)); do wait_screen_of && break; sleep 0.1; done
done
for ((i = 1; i <= N; i++)); do
	if ((i <= N / 2)); then key=a; else key=e; fi
	tm send-keys -t "t:$((i - 1))" "$key"
done
touch "$TEST_DIR/ingest.err"
wait "$ingest"
is "every ingest while the consoles run succeeded" \
    "$(cat "$TEST_DIR/ingest.err")" ""

# Back to the Inbox: every console follows the new conversations.
for ((i = 1; i <= N; i++)); do
	tm send-keys -t "t:$((i - 1))" 1
done
ok "every console shows the newest conversation" wait_all "nouveau 6" 20

# No operation lost: each is in the store, once.
taken=0 closed=0
for ((i = 1; i <= N; i++)); do
	for ((j = 0; j < 100; j++)); do
		if ((i <= N / 2)); then
			q="from:c$i and tag:ombre/assigned/ag$i"
		else
			q="from:c$i and tag:ombre/done"
		fi
		[ "$("$OMBRE" list --json "$q" | wc -l)" = 1 ] && break
		sleep 0.1
	done
	if ((i <= N / 2)); then
		[ "$j" -lt 100 ] && taken=$((taken + 1))
	else
		[ "$j" -lt 100 ] && closed=$((closed + 1))
	fi
done
is "each of the first half took its conversation" "$taken" $((N / 2))
is "each of the others closed its conversation" "$closed" $((N / 2))
assigned=0
for ((i = 1; i <= N; i++)); do
	n=$("$OMBRE" list --json "tag:ombre/assigned/ag$i" | wc -l)
	assigned=$((assigned + n))
done
is "and nobody else's: $((N / 2)) conversations assigned" "$assigned" $((N / 2))
is "every conversation is there" "$("$OMBRE" list --json '*' | wc -l)" $((N + 6))

errors=
for ((i = 1; i <= N; i++)); do
	s=$(screen_of "$i")
	[[ $s =~ Xapian|exception|locked ]] && errors+="console $i: $s"$'\n'
done
is "no console shows a Xapian error" "$errors" ""
out=$("$OMBRE" doctor 2>&1)
ok "doctor finds the store healthy" test $? -eq 0 || diag "$out"
test_done
