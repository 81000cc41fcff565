#!/usr/bin/env bash
#
# Answering from the console, in tmux against the local Telegram server:
# the composer (multi-line UTF-8, editing keys, paste, $EDITOR), the
# channel's limit and reply window as typed, sending through the outbox,
# internal notes never sent, drafts surviving SIGHUP and SIGKILL, two
# agents on one conversation (presence, the double-answer guard), and the
# agent's decision on a reply of unknown delivery.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
tmux_init compose

TOKEN=7012345678:AAH-compose
server_start telegram --token "$TOKEN"
TG=$SERVER_PORT
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'channel support telegram token=%s api-url=http://127.0.0.1:%s\n' "$TOKEN" "$TG"
	printf 'set sync.poll-timeout 1\nset sync.retry-base 200\nset sync.retry-cap 1000\n'
} >"$CONFIG"
chmod 600 "$CONFIG"
ctl "$TG" generate '{"count": 12, "chats": 3, "seed": 7}' >/dev/null
"$OMBRE" sync --once 2>/dev/null
now=$(date -d "$OMBRE_NOW" +%s)	# ombre's clock in the tests
{
	json_line whatsapp 15550001 wa-late w1 "$(date -u -d @$((now - 30 * 3600)) +%FT%TZ)" 3361 customer "Hello, any news?"
	json_line whatsapp 15550001 wa-fresh w2 "$(date -u -d @$((now - 3600)) +%FT%TZ)" 3362 customer "Is my parcel here?"
} | "$OMBRE" ingest >/dev/null
# The WhatsApp account's channel, which the replies to it need (a reply
# no channel sends is refused), declared once they came in, as before.
printf 'channel wa whatsapp account=15550001\n' >>"$CONFIG"

# The conversation at the top of the Inbox, and its chat on the server.
top_conv() { "$OMBRE" list --json --limit 1 | jq_py 'j["id"]'; }
sent_texts() { ctl "$TG" sent | jq_py '[m["text"] for m in j]'; }
screen() { tm capture-pane -p -t "${1:-t}"; }
# wait_pane PANE REGEX: wait_screen on another pane.
wait_pane() {
	local i
	for ((i = 0; i < 100; i++)); do
		[[ $(tm capture-pane -p -t "$1") =~ $2 ]] && return 0
		sleep 0.05
	done
	return 1
}
# esc: one Escape, alone (two at once would read as Alt-Escape).
esc() { tm send-keys -t t Escape; sleep 0.3; }
# The Message-Id's state of a reply by its text, from show --json.
state_of() {
	"$OMBRE" show --json "$1" | "$PYTHON" -S -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("text") == sys.argv[1]:
        print(m.get("outbox", "-"))' "$2"
}
wait_state() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(state_of "$1" "$2")" = "$3" ] && return 0
		sleep 0.1
	done
	return 1
}

# Canned replies: one approved for WhatsApp, one free text.
mkdir -p "$XDG_CONFIG_HOME/ombre/templates"
printf 'shortcut: rf\nchannels: whatsapp messenger\napproved: refund_confirmed\n\nHello {{customer.first_name | "there"}}, your refund is on its way.\n{{agent.name}}\n' \
    >"$XDG_CONFIG_HOME/ombre/templates/refund"
printf 'channels: whatsapp\n\nHello, still there?\n' >"$XDG_CONFIG_HOME/ombre/templates/nudge"

# $EDITOR: a script that adds two lines to the file it is given.
cat >"$TEST_DIR/editor" <<'SH'
#!/bin/sh
printf 'written in the editor\nsecond line\n' >>"$1"
SH
chmod +x "$TEST_DIR/editor"
export EDITOR=$TEST_DIR/editor
unset VISUAL

tmux_start 170 30 "'$OMBRE'; sleep 60"
wait_screen "Inbox +5 conversations" 10 || diag "$(screen | tail -n 2)"
# The Telegram conversations are below the two WhatsApp ones: search.
tm send-keys -t t / 'Channel:telegram' Enter
wait_screen "/Channel:telegram +3 conversations" 5 || diag "$(screen | tail -n 2)"
conv=$("$OMBRE" list --json --limit 1 Channel:telegram | jq_py 'j["id"]')

# --- the composer: r opens it under the conversation ------------------
tm send-keys -t t r
ok "r opens the composer under the conversation, with Telegram's limit" \
    wait_screen "Reply on telegram  4096 left" 5 || diag "$(screen)"
ok "it names the channel that sends it, and that it is connected" \
    wait_screen "4096 left  via support: connected  C-s send" 10 || diag "$(screen | grep Reply)"
tm send-keys -t t -l 'Bonjour Zoé,'
tm send-keys -t t Enter
tm send-keys -t t -l 'votre commande part demain'
ok "the characters left follow the text (UTF-16 units)" \
    wait_screen "4057 left" 5 || diag "$(screen | tail -n 4)"
ok "a line break makes a second line" wait_screen $'Bonjour Zoé,\nvotre commande part demain' 3
tm send-keys -t t C-w C-w
tm send-keys -t t -l 'arrive'
ok "C-w deletes a word back" wait_screen $'\nvotre commande arrive *\n' 3 || diag "$(screen | tail -n 4)"
tm send-keys -t t Up End BSpace BSpace
tm send-keys -t t -l ' !'
ok "Up and End move within the lines, Backspace deletes" \
    wait_screen $'Bonjour Zo !\nvotre commande arrive' 3 || diag "$(screen | tail -n 4)"
tm send-keys -t t BSpace BSpace
tm send-keys -t t -l 'é,'
tm send-keys -t t Down End
tm set-buffer -b p $'\n(collé : ligne 1\nligne 2)'
tm paste-buffer -t t -b p
ok "pasted lines arrive as lines" wait_screen $'arrive\n\\(collé : ligne 1\nligne 2\\)' 3 || diag "$(screen | tail -n 6)"
tm resize-window -t t -x 40 -y 10
ok "a resize to 40x10 keeps the composer (a third of the rows), scrolled to the cursor" \
    wait_screen $'Reply on telegram  4[0-9]+ left[^\n]*\n\\(collé : ligne 1\nligne 2\\)' 3 ||
    diag "$(screen)"
tm resize-window -t t -x 170 -y 30
ok "and back to 170x30, the whole screen is drawn again" \
    wait_screen $'arrive\n\\(collé : ligne 1\nligne 2\\)\n+ /Channel:telegram > conversation  Esc back *$' 3 ||
    diag "$(screen | tail -n 3)"
sleep 1.5	# the draft is saved within a second
drafts=$(cat "$XDG_DATA_HOME"/ombre/drafts/*/*.reply 2>/dev/null)
like "the draft is on disk while typing" "$drafts" $'\n\nBonjour Zoé,\nvotre commande arrive\n\\(collé'
tm send-keys -t t C-s
ok "C-s sends: the reply is queued" wait_screen "reply queued" 5 || diag "$(screen | tail -n 2)"
text=$'Bonjour Zoé,\nvotre commande arrive\n(collé : ligne 1\nligne 2)'
ok "the console's syncer delivers it: [sent] in the thread" wait_screen "\\(agent\\)  \\[sent\\]" 10 ||
    diag "$(screen | tail -n 8)"
is "Telegram received it once, as typed" \
    "$(ctl "$TG" sent | jq_py 'len([m for m in j if m["text"].startswith("Bonjour Zo")])')" 1
is "with its line breaks and accents" \
    "$(ctl "$TG" sent | jq_py '[m["text"] for m in j][-1]')" "$text"
ok "the draft is gone once the reply is in the outbox" \
    test -z "$(ls "$XDG_DATA_HOME"/ombre/drafts/*/*.reply 2>/dev/null)"

# --- the limit ---------------------------------------------------------
tm send-keys -t t r
wait_screen "4096 left" 3
tm set-buffer -b big "$(head -c 4100 /dev/zero | tr '\0' x)"
tm paste-buffer -t t -b big
ok "over the limit the composer says by how much" wait_screen "4 characters over" 5 ||
    diag "$(screen | grep Reply)"
tm send-keys -t t C-s
ok "and C-s refuses it, saying why" \
    wait_screen "not sent: the reply is 4 characters over telegram's li" 3 ||
    diag "$(screen | tail -n 1)"
tm send-keys -t t BSpace BSpace BSpace
ok "one over is one character, in the singular" \
    wait_screen "Reply on telegram  1 character over" 3 || diag "$(screen | grep Reply)"
tm send-keys -t t C-u
wait_screen "4096 left" 3

# --- $EDITOR -----------------------------------------------------------
tm send-keys -t t -l 'Avant '
tm send-keys -t t M-e
ok "M-e hands the text to \$EDITOR and takes it back" \
    wait_screen $'Avant written in the editor\nsecond line' 5 || diag "$(screen | tail -n 5)"
tm send-keys -t t C-u Up C-k C-k
ok "C-u and C-k delete the rest" wait_screen "4096 left" 3 || diag "$(screen | tail -n 5)"
esc

# --- an internal note: never sent ---------------------------------------
tm send-keys -t t p
ok "p opens the composer for an internal note" wait_screen "Internal note, never sent" 3
tm send-keys -t t -l 'VIP : déjà remboursée en mars'
tm send-keys -t t C-s
ok "C-s adds the note" wait_screen "note added \\(never sent\\)" 5 || diag "$(screen | tail -n 2)"
ok "the thread shows it as an internal note" \
    wait_screen $'\\(internal note\\)\n  VIP : déjà remboursée en mars' 5
like "stored tagged ombre/note" "$("$OMBRE" show --json "$conv" | grep 'VIP : déjà')" '"ombre/note"'
sleep 2	# the syncer's outbox scan runs every second
unlike "and never sent to Telegram" "$(sent_texts)" 'VIP'
esc
esc

# --- the 24-hour window ------------------------------------------------
tm send-keys -t t / 'Channel:whatsapp' Enter
wait_screen "/Channel:whatsapp +2 conversations" 5
tm send-keys -t t r
ok "WhatsApp, an hour after the customer: the window's time left shows" \
    wait_screen "Reply on whatsapp  4096 left  window 23h left" 5 || diag "$(screen | grep Reply)"
tm send-keys -t t -l 'Yes, tomorrow'
tm send-keys -t t C-s
ok "inside the window a reply is queued" wait_screen "reply queued" 5
esc
tm send-keys -t t j r
ok "30 hours after the customer: WINDOW CLOSED" wait_screen "WINDOW CLOSED: approved templates only" 5 ||
    diag "$(screen | grep Reply)"
tm send-keys -t t -l 'Sorry for the wait'
tm send-keys -t t C-s
ok "free text is refused with the reason" \
    wait_screen "not sent: the 24-hour reply window of whatsapp closed 6h ago \\(the customer last wrote 2026-11-19T04:00:00Z\\)" 3 ||
    diag "$(screen | tail -n 1)"
unlike "and nothing was stored" "$("$OMBRE" show --json wa-late 2>&1)" 'Sorry for the wait'

# console_pid: the console running in pane t.
console_pid() { pgrep -P "$(tm display-message -p -t t '#{pane_pid}')" -x ombre; }
# reopen_late: a new console, its composer on the WhatsApp conversation
# whose window closed (the second of the view).
reopen_late() {
	tm kill-session -t t 2>/dev/null
	tmux_start 170 30 "'$OMBRE'; sleep 60"
	wait_screen "draft recovered" 10
	tm send-keys -t t / 'Channel:whatsapp' Enter
	wait_screen "/Channel:whatsapp +2 conversations" 5
	tm send-keys -t t j r
}

# --- SIGHUP mid-reply: the draft is recovered ---------------------------
tm send-keys -t t -l ' - draft line'
tm kill-session -t t	# SIGHUP, as a dropped ssh connection
for ((i = 0; i < 50; i++)); do pgrep -f "^$OMBRE\$" >/dev/null || break; sleep 0.1; done
tmux_start 170 30 "'$OMBRE'; sleep 60"
ok "on start the console names the recovered draft" \
    wait_screen "draft recovered: [^ ]" 10 || diag "$(screen | tail -n 1)"
tm send-keys -t t / 'Channel:whatsapp' Enter
wait_screen "/Channel:whatsapp +2 conversations" 5
tm send-keys -t t j r
ok "a draft cut off by SIGHUP is restored on reopening, to the last key" \
    wait_screen "Sorry for the wait - draft line" 5 || diag "$(screen | tail -n 4)"

# --- SIGKILL: at most a second lost --------------------------------------
tm send-keys -t t -l ' and more'
sleep 1.5
kill -KILL "$(console_pid)"
sleep 0.3
reopen_late
ok "after SIGKILL the draft has what was typed a second before" \
    wait_screen "draft line and more" 5 || diag "$(screen | tail -n 4)"

# --- SIGTERM: saved on the way out, to the last key -----------------------
tm send-keys -t t -l ' then TERM'
settle
kill -TERM "$(console_pid)"
sleep 0.5
reopen_late
ok "after SIGTERM the draft has every key typed" \
    wait_screen "draft line and more then TERM" 5 || diag "$(screen | tail -n 4)"
tm send-keys -t t C-u

# --- an approved template once the window closed -------------------------
tm send-keys -t t C-t
wait_screen "Template: _" 3
tm send-keys -t t -l 'rf'
tm send-keys -t t Enter
ok "C-t's picker puts a template in the composer, its variables filled in" \
    wait_screen $'Hello [^ ]+, your refund is on its way.\n[a-z]+' 3 || diag "$(screen | tail -n 4)"
ok "an approved one may go once the window closed: the composer says so" \
    wait_screen "window closed: approved template refund_confirmed" 3 || diag "$(screen | grep Reply)"
tm send-keys -t t -l '!'
ok "edited, it is free text again" wait_screen "WINDOW CLOSED: approved templates only" 3
tm send-keys -t t BSpace
wait_screen "window closed: approved template refund_confirmed" 3
tm send-keys -t t C-s
ok "sent whole, it is queued" wait_screen "reply queued" 5 || diag "$(screen | tail -n 1)"
like "stored as the approved template (property ombre.template)" \
    "$(nm search --output=messages 'property:ombre.template=refund_confirmed' | wc -l)" '^1$'
out=$("$OMBRE" reply wa-late --template nudge 2>&1)
like "ombre reply --template: a template not approved is refused once the window closed" \
    "$out" 'reply window of whatsapp closed .*only an approved template can be sent: nothing stored'
out=$("$OMBRE" reply wa-late --template refund 2>&1)
like "an approved one is queued" "$out" '^out\.[0-9a-f-]{36} queued$'
out=$("$OMBRE" reply "$conv" --template refund 2>&1)
like "a template for other channels is refused on Telegram" "$out" \
    'template refund is not for telegram \(channels: whatsapp messenger\): nothing stored'
out=$("$OMBRE" reply "$conv" --template nope 2>&1)
like "an unknown template is named" "$out" 'no template nope in .*/templates'
sleep 0.5
esc

# --- two agents on one conversation -------------------------------------
tm send-keys -t t / 'Channel:telegram' Enter
wait_screen "/Channel:telegram +3 conversations" 5
tm new-session -d -s u -x 170 -y 30 "USER=bob '$OMBRE'; sleep 60"
wait_pane u "Inbox +5 conversations" || diag "$(screen u)"
tm send-keys -t u / 'Channel:telegram' Enter
wait_pane u "/Channel:telegram +3 conversations" || diag "$(screen u)"
tm send-keys -t u r
wait_pane u "Reply on telegram" || diag "$(screen u)"
tm send-keys -t u -l 'Je'
ok "the list shows the other agent typing in a conversation" \
    wait_screen "bob is typing" 5 || diag "$(screen | head -n 5)"
tm send-keys -t t Enter
ok "so does the conversation's status line" \
    wait_screen "conversation  Esc back  bob is typing" 5 || diag "$(screen | tail -n 1)"
tm send-keys -t t r
ok "and the composer" wait_screen "Reply on telegram .* bob is typing" 5 || diag "$(screen | grep Reply)"
tm send-keys -t t -l 'Je regarde votre commande'
tm send-keys -t u -l " m'en occupe"
tm send-keys -t u C-s
wait_state "$conv" "Je m'en occupe" queued || wait_state "$conv" "Je m'en occupe" sent
tm send-keys -t t C-s
ok "the second reply is held: bob answered since the draft began" \
    wait_screen $'Held: the conversation moved since you began:\nbob replied: "Je m\'en occupe"' 5 ||
    diag "$(screen | tail -n 6)"
ok "with the choices" wait_screen "y send anyway  e edit  d discard" 1
sleep 1
unlike "nothing of it was stored" "$("$OMBRE" show --json "$conv")" 'Je regarde votre commande'
tm send-keys -t t d
ok "d discards it" wait_screen "reply discarded" 3
sleep 2
unlike "and it never reaches Telegram" "$(sent_texts)" 'Je regarde'
like "bob's does" "$(sent_texts)" "Je m'en occupe"
tm kill-session -t u

# --- a reply of unknown delivery: the agent decides -----------------------
ctl "$TG" faults '[{"match": "sendMessage", "kind": "reset"}]' >/dev/null
tm send-keys -t t r
wait_screen "Reply on telegram" 3
tm send-keys -t t -l 'Vous êtes là ?'
tm send-keys -t t C-s
ok "a send cut off after the request left shows DELIVERY UNKNOWN" \
    wait_screen "\\[DELIVERY UNKNOWN\\]" 10 || diag "$(screen | tail -n 6)"
ok "with the keys to decide" wait_screen "it may have gone out: R resend, M mark sent, D discard" 1
tm send-keys -t t M
ok "M marks it sent" wait_screen "marked sent" 5 || diag "$(screen | tail -n 2)"
is "its state is sent" "$(state_of "$conv" 'Vous êtes là ?')" sent
sleep 1.5
is "and it was never sent again" \
    "$(ctl "$TG" sent | jq_py 'len([m for m in j if m["text"] == "Vous êtes là ?"])')" 1
tm send-keys -t t q
test_done
