#!/usr/bin/env bash
# T450-shifts.sh: ombre shift on a small corpus (issue 15). Yesterday
# carl hands his conversation to the queue, ana ends her shift keeping
# hers, bob is refused handing his to ana (away) then forces it; the
# night brings new conversations, a customer back in ana's, a colleague's
# note. ana's shift start at 09:00 shows exactly that, records a
# shift-start event that report --shift reads, and makes her available;
# an assignment to an away agent is refused with why. Then :shift-start
# in the console at 80x24.
. "$top_srcdir/tests/lib.sh"
test_init
export TZ=UTC

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'channel tg telegram account=bot1\n'
	printf 'channel wa whatsapp account=wa1\n'
	printf 'sla first-response 1h\n'
	printf 'sla next-response 4h\n'
} >"$CONFIG"
chmod 600 "$CONFIG"

# at TIME CMD...: run ombre at a fixed clock.
at() { local t=$1; shift; OMBRE_NOW=2026-11-$t "$OMBRE" "$@"; }
conv() { printf 'property:ombre.conv-id=%s' "$1"; }
quiet() { "$@" >/dev/null || echo "FAILED: $*" >&2; }
# customer CHANNEL ACCOUNT CONV N DATE NAME TEXT: NAME writes TEXT.
customer() {
	printf '{"channel":"%s","account":"%s","conversation":{"id":"%s"},"id":"%s-%s","date":"%s","from":{"id":"%s","name":"%s","kind":"customer"},"text":"%s"}\n' \
	    "$1" "$2" "$3" "$3" "$4" "$5" "$6" "$6" "$7" |
	    at "${5#2026-11-}" ingest >/dev/null
}

# --- yesterday ------------------------------------------------------------
customer telegram bot1 c1 1 2026-11-19T09:00:00Z marie "Bonjour, ma commande ?"
quiet at 19T09:05:00Z take-over "$(conv c1)" --agent ana
USER=ana quiet at 19T09:06:00Z reply "$(conv c1)" --text "Je regarde"
customer telegram bot1 c2 1 2026-11-19T10:00:00Z paul "Changer l'adresse"
quiet at 19T10:05:00Z take-over "$(conv c2)" --agent ana
USER=ana quiet at 19T10:06:00Z reply "$(conv c2)" --text "C'est fait"
customer whatsapp wa1 b1 1 2026-11-19T11:00:00Z zoe "Refund please"
quiet at 19T11:05:00Z take-over "$(conv b1)" --agent bob
USER=bob quiet at 19T11:06:00Z reply "$(conv b1)" --text "Asking accounting"
customer whatsapp wa1 k1 1 2026-11-19T16:00:00Z yann "Hello?"
quiet at 19T16:05:00Z take-over "$(conv k1)" --agent carl

# carl's shift ends at 17:30: his conversation back to the queue.
out=$(at 19T17:30:00Z shift end --agent carl --to queue --note "no answer yet")
is "shift end lists carl's conversations, hands them to the queue, away" "$out" \
"Open conversations: 1
       4 WA yann               Hello?
handed over by carl at 17:30 to the queue: no answer yet (1)
carl is away since 17:30 (shift ended)"

# ana's ends at 18:00: she keeps hers.
out=$(at 19T18:00:00Z shift end --agent ana 2>&1)
is "shift end without --to: the list, where they go asked, exit 2" "$?:$out" \
"2:Open conversations: 2
       2 TG paul               C'est fait
       1 TG marie              Je regarde
ombre: shift end: say where they go: --to NAME, --to team:NAME, --to queue or --to keep"
out=$(at 19T18:00:00Z shift end --agent ana --to keep --note "back tomorrow")
is "ana keeps hers, away" "$(tail -n 2 <<<"$out")" \
"kept by ana at 18:00 (shift ended): back tomorrow (2)
ana is away since 18:00 (shift ended)"
like "the handover note in show" "$("$OMBRE" show "$(conv c1)")" "kept by ana at 18:00 \\(shift ended\\): back tomorrow"

# bob's at 18:30, to ana: away, refused; --force hands it over anyway.
out=$(at 19T18:30:00Z shift end --agent bob --to ana --note "waiting for the refund confirmation" 2>&1)
is "to an away agent: refused with why" "$?:$(tail -n 1 <<<"$out")" \
    "1:ombre: shift: ana is away since 18:00 (shift ended)"
is "refused: bob's conversation still his" \
    "$(nm count --output=threads "$(conv b1) and tag:ombre/assigned/bob")" 1
out=$(at 19T18:30:00Z shift end --agent bob --to ana --note "waiting for the refund confirmation" --force)
is "--force: handed over to ana" "$(tail -n 2 <<<"$out")" \
"handed over by bob at 18:30 to ana: waiting for the refund confirmation (1)
bob is away since 18:30 (shift ended)"
is "b1 is ana's" "$(nm count --output=threads "$(conv b1) and tag:ombre/assigned/ana and not tag:ombre/assigned/bob")" 1
like "the handover note in show" "$("$OMBRE" show "$(conv b1)")" "handed over by bob at 18:30 to ana: waiting for the refund confirmation"
is "carl's to the queue: nobody's, needs a human" \
    "$(nm count --output=threads "$(conv k1) and tag:ombre/handoff and not tag:/^ombre\\/assigned\\//")" 1
like "... shown as handed over" "$("$OMBRE" show "$(conv k1)")" "handed over by carl at 17:30 to the queue: no answer yet"

# --- the night --------------------------------------------------------------
customer whatsapp wa1 n1 1 2026-11-20T07:00:00Z lea "Hello, my parcel?"
customer telegram bot1 c1 2 2026-11-20T08:00:00Z marie "Des nouvelles ?"
customer telegram bot1 n2 1 2026-11-20T08:15:00Z hugo "Bonjour"
printf 'Paul called, he is fine to wait\n' |
    USER=dan quiet at 20T08:30:00Z reply "$(conv c2)" --note
quiet at 20T08:40:00Z take-over "$(conv b1)" --agent dan
out=$(at 20T08:41:00Z assign "$(conv b1)" ana --agent dan 2>&1)
is "assign to an away agent: refused with why" "$?:$out" \
    "1:ombre: assign: ana is away since Thu 19 Nov 18:00 (shift ended)"

# --- ana's shift starts at 09:00 -------------------------------------------
# In French first, on a copy of the store (a start writes events): the
# service levels in French words, not the JSON's English.
if french_init; then
	cp -a "$DATA" fr-data
	out=$(in_french env OMBRE_NOW=2026-11-20T09:00:00Z "$OMBRE" \
	    --data-dir fr-data shift start --agent ana)
	like "in French: since what, in French" "$out" \
	    "^Depuis .* \\(la fin de votre dernier service\\)"
	like "in French: a service level's time left, in French" "$out" \
	    "6 TG hugo +45m dans 15m"
	unlike "no English left in the summary" "$out" " left|breached"
else
	skip "no French locale can be built here" 3
fi
out=$(at 20T09:00:00Z shift start --agent ana)
is "shift start: what changed since her shift end, on one screen" "$out" \
"Since Thu 19 Nov 18:00 (your last shift end), for ana
New conversations: 2
       5 WA lea                2h Hello, my parcel?
       6 TG hugo              45m Bonjour
Handoffs waiting: 3
       4 WA yann              17h Hello?
       5 WA lea                2h Hello, my parcel?
       6 TG hugo              45m Bonjour
Near or past their SLA: 3
       4 WA yann              17h breached 16h
       5 WA lea                2h breached 1h
       6 TG hugo              45m 15m left
Customers who wrote again: 1
       1 TG marie              1h Des nouvelles ?
Notes for you: 2
       3 WA bob               14h handed over by bob at 18:30 to ana: waiting…
       2 TG dan               30m Paul called, he is fine to wait
ana is available since 09:00"
is "the summary fits 80x24" "$(wc -l <<<"$out"):$(awk '{ if (length($0) > m) m = length($0) } END { print (m <= 80) }' <<<"$out")" "18:1"
is "a shift-start event in each of her open conversations" \
    "$(nm count "property:ombre.event=shift-start and tag:ombre/assigned/ana")" 2
like "shown in the conversation's history" "$("$OMBRE" show "$(conv c1)")" "09:00 — shift started by ana"
shift_since() { at 20T13:00:00Z report --json --shift --agent ana | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["since"])'; }
is "report --shift reads the shift-start" "$(shift_since)" "2026-11-20T09:00:00Z"
is "... and counts no conversation handled by the start alone" \
    "$(at 20T09:00:30Z report --json --shift --agent ana | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["total"]["handled"])')" 0
json=$(at 20T09:00:00Z shift start --agent ana --json)
is "--json: the sections, the note in full" "$("$PYTHON" -S -c '
import json, sys
j = json.loads(sys.argv[1])
print(j["since"], [len(j[k]) for k in ("new", "handoffs", "sla", "wrote_again", "notes")])
print(j["notes"][0]["who"], j["notes"][0]["text"])' "$json")" \
"2026-11-19T18:00:00Z [2, 3, 3, 1, 2]
bob handed over by bob at 18:30 to ana: waiting for the refund confirmation"

# --- availability -----------------------------------------------------------
is "status: who is available or away, since when" "$(at 20T09:05:00Z shift status)" \
"ana              available since 09:00
bob              away since Thu 19 Nov 18:30 (shift ended)
carl             away since Thu 19 Nov 17:30 (shift ended)"
is "status --json" "$(at 20T09:05:00Z shift status --json | head -n 1)" \
    '{"agent":"ana","state":"available","since":"2026-11-20T09:00:00Z"}'
out=$(at 20T09:05:00Z assign "$(conv n1)" ana --agent dan)
is "available again: assigned" "$?:$out" "0:assigned to ana by dan"
out=$(at 20T09:06:00Z assign "$(conv n2)" bob --agent ana 2>&1)
is "bob is still away: refused" "$?:$out" \
    "1:ombre: assign: bob is away since Thu 19 Nov 18:30 (shift ended)"
is "... nothing written" "$(nm count --output=threads "$(conv n2) and tag:ombre/assigned/bob")" 0
out=$(at 20T09:07:00Z take-over "$(conv n2)" --agent carl)
is "an away agent may still take one themselves" "$?:$out" "0:taken over by carl"
out=$(at 20T09:10:00Z shift end --agent dan --to team:billing --note "refund: billing's")
is "to a team: handed over, dan away" "$(tail -n 2 <<<"$out")" \
"handed over by dan at 09:10 to the team billing: refund: billing's (1)
dan is away since 09:10 (shift ended)"
is "... the team's, nobody's, needs a human" \
    "$(nm count --output=threads "$(conv b1) and tag:ombre/team/billing and tag:ombre/handoff and not tag:/^ombre\\/assigned\\//")" 1

# --- :shift-start in the console at 80x24 -----------------------------------
if command -v tmux >/dev/null; then
	tmux_init shifts
	tmux_start 80 24 "USER=ana OMBRE_NOW=2026-11-20T09:30:00Z '$OMBRE'"
	wait_screen "Inbox"
	tm send-keys -t t ':shift-start' Enter
	if wait_screen "Shift start"; then
		settle
		screen=$(tm capture-pane -p -t t)
		printf '%s\n' "$screen" | sed 's/^/# /'
		like ":shift-start: since her shift end" "$screen" "Since Thu 19 Nov 18:00 \\(your last shift end\\), for ana"
		like ":shift-start: the customer back, on the first screen" "$screen" "Customers who wrote again: 1"
		like ":shift-start: the notes, on the first screen" "$screen" "Notes for you: 2"
		is ":shift-start fits 80 columns" "$("$PYTHON" -S -c 'import sys; print(max(len(l) for l in sys.stdin.read().split("\n")) <= 80)' <<<"$screen")" True
		for ((i = 0; i < 100; i++)); do
			[[ $(at 20T09:30:00Z shift status) == *"ana              available since 09:30"* ]] && break
			sleep 0.05
		done
		like ":shift-start made her available" "$(at 20T09:30:00Z shift status)" "ana +available since 09:30"
		closed() { # close the pager; wait until the list shows
			tm send-keys -t t Escape
			for ((i = 0; i < 100; i++)); do
				[[ $(tm capture-pane -p -t t) != *"(Escape closes)"* ]] && break
				sleep 0.05
			done
		}
		closed
		tm send-keys -t t ':shift-end' Enter
		if wait_screen "Shift end"; then
			settle
			like ":shift-end lists hers" "$(tm capture-pane -p -t t)" "Open conversations: 3"
		else
			ok ":shift-end opened" false
			tm capture-pane -p -t t | sed 's/^/# /'
		fi
		closed
		tm send-keys -t t ':shift-end queue back at 9' Enter
		for ((i = 0; i < 100; i++)); do
			[[ $(at 20T09:30:00Z shift status) == *"ana              away"* ]] && break
			sleep 0.05
		done
		like ":shift-end queue: she is away" "$(at 20T09:30:00Z shift status)" "ana +away since 09:30 \\(shift ended\\)"
		is ":shift-end queue: none of hers left" \
		    "$(nm count --output=threads "tag:ombre/assigned/ana and not tag:ombre/done")" 0
		like ":shift-end queue: the note in each" "$("$OMBRE" show "$(conv c2)")" "handed over by ana at 09:30 to the queue: back at 9"
		# A to an away agent: refused, the reason on the status line.
		tm send-keys -t t A
		sleep 0.2
		tm send-keys -t t 'bob' Enter
		if wait_screen "bob is away since Thu 19 Nov 18:30"; then
			ok "A to an away agent: refused with why on the status line"
		else
			ok "A to an away agent: refused with why on the status line" false
			tm capture-pane -p -t t | sed 's/^/# /'
		fi
		is "... nothing assigned to bob" "$(nm count --output=threads "tag:ombre/assigned/bob")" 0
	else
		ok ":shift-start opened" false
	fi
else
	skip ":shift-start in tmux" "tmux is not installed"
fi

# bob starts a shift with nothing open: report --shift still knows when.
quiet at 20T09:40:00Z shift start --agent bob
is "no open conversation: report --shift reads the start from the file" \
    "$(at 20T10:00:00Z report --json --shift --agent bob | "$PYTHON" -S -c 'import json,sys; print(json.load(sys.stdin)["since"])')" \
    "2026-11-20T09:40:00Z"

test_done
