#!/usr/bin/env bash
#
# Hostile text on screen: names, titles and bodies carrying terminal
# escape sequences (CSI, OSC title, clipboard and hyperlink, DCS queries),
# C1 controls and bidi overrides. Every byte the console writes to the
# terminal is recorded from the first frame on; none of the injected
# sequences may be there, and the screen shows placeholders instead.

. "$top_srcdir/tests/lib.sh"
test_init
tmux_init hostile
export LC_ALL=C.UTF-8 TZ=UTC OMBRE_NOW=2026-11-20T10:00:00Z

# The injections, each as the JSON escape that puts it in a message.
python3 - >hostile.jsonl <<'PY'
import json
bad = {
    "csi": "\x1b[2J\x1b[31mCLEARED",
    "title": "\x1b]0;owned title\x07",
    "clip": "\x1b]52;c;cm0gLXJmIH4=\x07",
    "link": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "dcs": "\x1bP$qm\x1b\\",
    "c1": "\u009b2J",
    "bidi": "\u202egnp.exe",
}
n = 0
for key, text in bad.items():
    n += 1
    line = {"channel": "telegram", "account": "bot1",
            "conversation": {"id": "h%d" % n, "title": "title " + text},
            "id": "m%d" % n, "date": "2026-11-20T09:%02d:00Z" % n,
            "from": {"id": "u%d" % n, "name": key + " " + text,
                     "kind": "customer"},
            "text": "body " + key + " " + text + " end"}
    print(json.dumps(line))
PY
"$OMBRE" --data-dir store ingest <hostile.jsonl
ok "seven hostile conversations stored" test "$("$OMBRE" --data-dir store list | wc -l)" -eq 7

tmux_start 100 30 "'$OMBRE' --data-dir '$TEST_DIR/store'; sleep 60"
wait_screen 'Inbox.*7 conversations' 5
# Open every conversation, so every body is drawn too.
for ((k = 0; k < 7; k++)); do
	tm send-keys -t t Enter
	sleep 0.3
	tm send-keys -t t Escape
	sleep 0.3
	tm send-keys -t t j
done
tm send-keys -t t q
sleep 0.5

raw=terminal.raw
ok "the console drew the list" grep -qa 'conversations' "$raw"
ok "no CSI from a message (clear screen, colour)" \
    bash -c "! grep -qa -e \$'\\e\\[2J\\e\\[31m' -e \$'\\e\\[31mCLEARED' $raw"
ok "no OSC title sequence" bash -c "! grep -qa \$'\\e]0;owned' $raw"
ok "no OSC 52 clipboard write" bash -c "! grep -qa \$'\\e]52' $raw"
ok "no OSC 8 hyperlink" bash -c "! grep -qa \$'\\e]8;' $raw"
ok "no DCS query" bash -c "! grep -qa \$'\\eP' $raw"
ok "no C1 CSI (U+009B)" bash -c "! grep -qa \$'\\xc2\\x9b' $raw"
ok "no bidi override (U+202E)" bash -c "! grep -qa \$'\\xe2\\x80\\xae' $raw"
ok "the bodies were drawn" grep -qa 'body' "$raw"
ok "with visible placeholders where the escapes were" grep -qa '\^\[' "$raw"
ok "and the bidi override shown as <U+202E>" grep -qa '<U+202E>' "$raw"
test_done
