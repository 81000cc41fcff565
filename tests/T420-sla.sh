#!/usr/bin/env bash
# T420-sla.sh: service level targets (sla, business-hours) applied by the
# syncer with a fixed clock (OMBRE_NOW): no sla-breach event before the
# target, one after, never twice for the same wait, a new one for the
# next wait, none for a conversation answered in time, the clock stopped
# outside business hours, a channel's own target, none for the options'
# default alone; the event in show and heard by the hook of sla-breach;
# the time left in list --json, a first response again once closed.
. "$top_srcdir/tests/lib.sh"
test_init
export TZ=UTC

# A line of the canonical JSON with extra fields (tags) spliced in.
with() { local l; l=$(json_line "${@:2}"); printf '%s,%s}\n' "${l%\}}" "$1"; }
field() { "$PYTHON" -S -c 'import json,sys; [print(o.get(sys.argv[1], "")) for o in map(json.loads, sys.stdin) if o["conversation"] == sys.argv[2]]' "$@"; }
# The sla-breach events of conversation $1.
events() { nm count "property:ombre.event=sla-breach and property:ombre.conv-id=$1"; }
# One round of the syncer at the time $1.
sync_at() { OMBRE_NOW=$1 "$OMBRE" sync --once 2>>"$TEST_DIR/sync.err"; }
list_at() { OMBRE_NOW=$1 "$OMBRE" list --json; }

mkdir -p "$XDG_CONFIG_HOME/ombre"
cat >"$XDG_CONFIG_HOME/ombre/config" <<CONF
sla first-response 15m warn=10m
sla next-response 1h
sla first-response 30m channel=whatsapp
business-hours team=fr mon-fri 09:00-18:00 Europe/Paris
hook sla-breach 'cat >> $TEST_DIR/hook.json; echo >> $TEST_DIR/hook.json'
CONF
chmod 600 "$XDG_CONFIG_HOME/ombre/config"

is "list-sla reads the config back" "$("$OMBRE" -e list-sla)" \
"sla first-response 15m warn=10m
sla next-response 1h
sla first-response 30m channel=whatsapp
business-hours team=fr 'mon-fri 09:00-18:00 Europe/Paris'"

# Friday 2026-11-20. c1 and c2 on Telegram, c4 on WhatsApp, c3 in team fr
# at 17:50 in Paris, ten minutes before the end of the day.
{
	json_line telegram bot1 c1 1 2026-11-20T09:00:00Z u1 customer "Bonjour"
	json_line telegram bot1 c2 1 2026-11-20T09:00:00Z u2 customer "Hello"
	json_line telegram bot1 c2 2 2026-11-20T09:05:00Z ana agent "Hi, how can I help?"
	json_line whatsapp 106 c4 1 2026-11-20T09:00:00Z u4 customer "Hola"
	with '"tags":["+ombre/team/fr"]' telegram bot1 c3 1 2026-11-20T16:50:00Z u3 customer "Allô ?"
} | "$OMBRE" ingest

json=$(list_at 2026-11-20T09:11:00Z)
is "c1 waits for a first response" "$(field sla c1 <<<"$json")" first-response
is "4 minutes left" "$(field sla_left c1 <<<"$json")" 240
is "c2 answered: no clock" "$(field sla c2 <<<"$json")" ""

sync_at 2026-11-20T09:14:00Z
is "sync --once exits 0" "$?" 0
is "no event before the target" "$(nm count property:ombre.event=sla-breach)" 0

sync_at 2026-11-20T09:16:00Z
is "one event past the target" "$(events c1)" 1
like "show names the target" "$("$OMBRE" show "$(list_at 2026-11-20T09:16:00Z | field id c1)")" \
    "first response 15m breached"
like "show --json has the event" "$("$OMBRE" show --json "$(list_at 2026-11-20T09:16:00Z | field id c1)" | grep '"kind":"event"')" \
    '"type":"sla-breach","agent":"ombre","reason":"first response 15m breached"'
is "WhatsApp has its own 30m" "$(events c4)" 0
is "c2 answered in time" "$(events c2)" 0

sync_at 2026-11-20T09:20:00Z
sync_at 2026-11-20T09:40:00Z
is "never twice for the same wait" "$(events c1)" 1
is "c4 past its 30m" "$(events c4)" 1
like "c4's event names its target" "$("$OMBRE" show "$(list_at 2026-11-20T09:40:00Z | field id c4)")" \
    "first response 30m breached"

# c1 answered late, then the customer writes again: the next response
# has its own clock and its own event.
{
	json_line telegram bot1 c1 2 2026-11-20T09:45:00Z ana agent "Sorry for the wait"
	json_line telegram bot1 c1 3 2026-11-20T09:50:00Z u1 customer "No problem"
} | "$OMBRE" ingest
json=$(list_at 2026-11-20T10:00:00Z)
is "now a next response" "$(field sla c1 <<<"$json")" next-response
is "50 minutes left" "$(field sla_left c1 <<<"$json")" 3000
sync_at 2026-11-20T10:40:00Z
is "no event before the next target" "$(events c1)" 1
sync_at 2026-11-20T10:51:00Z
is "a new wait, a new event" "$(events c1)" 2
like "it names the next response" "$("$OMBRE" show "$(list_at 2026-11-20T10:51:00Z | field id c1)")" \
    "next response 1h breached"

# Closed, then the customer writes again: a first response again.
OMBRE_NOW=2026-11-20T10:58:00Z "$OMBRE" done "$(list_at 2026-11-20T10:58:00Z | field id c2)" --agent ana >/dev/null
json_line telegram bot1 c2 3 2026-11-20T11:00:00Z u2 customer "Me again" | "$OMBRE" ingest
json=$(list_at 2026-11-20T11:05:00Z)
is "reopened by the customer: a first response" "$(field sla c2 <<<"$json")" first-response
is "10 minutes left of 15" "$(field sla_left c2 <<<"$json")" 600

# Business hours: 10 minutes on Friday, none at night or on the weekend.
sync_at 2026-11-23T07:59:00Z
is "the weekend does not count" "$(events c3)" 0
is "5 minutes left on Monday at 09:00 in Paris" \
    "$(list_at 2026-11-23T08:00:00Z | field sla_left c3)" 300
sync_at 2026-11-23T08:06:00Z
is "breached at 09:06 in Paris" "$(events c3)" 1

# The options alone colour the waits but record nothing: no target
# declared, no event, however late.
sed -i '/^sla /d' "$XDG_CONFIG_HOME/ombre/config"
json_line telegram bot1 c5 1 2026-11-23T09:00:00Z u5 customer "Hi" | "$OMBRE" ingest
is "the options' target: 1h" "$(list_at 2026-11-23T11:00:00Z | field sla_left c5)" -3600
sync_at 2026-11-23T11:00:00Z
is "but no event without a declared target" "$(events c5)" 0

# The hook of sla-breach heard the events.
for _ in $(seq 50); do
	[ "$(grep -c sla-breach "$TEST_DIR/hook.json" 2>/dev/null)" -ge 1 ] && break
	sleep 0.1
done
like "the hook reads the event" "$(cat "$TEST_DIR/hook.json" 2>/dev/null)" '"event":"sla-breach"'
is "the syncer said nothing wrong" "$(grep -ci 'sla:' "$TEST_DIR/sync.err")" 0

test_done
