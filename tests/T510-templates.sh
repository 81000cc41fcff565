#!/usr/bin/env bash
# T510-templates.sh: canned replies from the shell (issue 17). The
# examples shipped in contrib/templates pass `ombre templates check`;
# list and show them; a variant is chosen by the customer's language,
# else by `set template.language`; a fallback stands in for a name the
# customer does not have (an SMS number is no first name), and without
# one the template is refused with the reason, never "Bonjour +336...";
# check names every problem of a directory as file:line and exits 1.
. "$top_srcdir/tests/lib.sh"
test_init

mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
{
	printf 'channel tg telegram account=bot1\n'
	printf 'channel sms twilio account=+33700000000 account-sid=AC1 token=x from=+33700000000\n'
	printf 'set template.language en\n'
} >"$CONFIG"
chmod 600 "$CONFIG"
TPL=$XDG_CONFIG_HOME/ombre/templates

# msg CHANNEL ACCOUNT CONV ID DATE NAME TEXT [LANG]
msg() {
	local lang=""
	[ -n "${8:-}" ] && lang=",\"lang\":\"$8\""
	printf '{"channel":"%s","account":"%s","conversation":{"id":"%s","title":"%s"},"id":"%s","date":"%s","from":{"id":"%s","name":"%s","kind":"customer"%s},"text":"%s"}\n' \
	    "$1" "$2" "$3" "$6" "$4" "$5" "$3" "$6" "$lang" "$7"
}
{
	msg telegram bot1 424242 t1 2026-11-20T09:40:00Z "Amélie Martin" "Je veux être remboursée" fr-FR
	msg telegram bot1 555 t2 2026-11-20T09:50:00Z "Bob Smith" "refund?"
	msg sms +33700000000 +33683422787 s1 2026-11-20T09:30:00Z "+33683422787" "Toujours rien"
} | "$OMBRE" ingest >/dev/null
id() { "$OMBRE" list "property:\"ombre.conv-id=$1\"" | awk '{ print $1 }'; }
AMELIE=$(id 424242)
BOB=$(id 555)
SMS=$(id +33683422787)
ok "three conversations" test -n "$AMELIE" -a -n "$BOB" -a -n "$SMS"

# --- the examples -----------------------------------------------------------
out=$("$OMBRE" templates check "$top_srcdir/contrib/templates")
rc=$?
is "the shipped examples pass check (exit 0)" "$rc" 0
like "... sixteen of them, eight in French and English" "$out" \
    '^16 templates in .*contrib/templates: no problem$'
mkdir -p "$TPL"
cp "$top_srcdir"/contrib/templates/* "$TPL/"
is "check with no directory: the user's" "$("$OMBRE" templates check; echo "rc=$?")" \
    "16 templates in $TPL: no problem
rc=0"

out=$("$OMBRE" templates list)
is "list: one row a template" "$(printf '%s\n' "$out" | wc -l)" 16
like "... name, shortcut, language, channels, text" "$out" \
    $'\nrefund-policy\\.fr +;refund +fr +all +Vous pouvez nous retour'
like "list --json: one object a line, with the shortcut and language" \
    "$("$OMBRE" templates list --json | grep '"refund-policy.en"')" \
    '"shortcut":"refund","language":"en","channels":null'
is "list --json: sixteen lines of JSON" \
    "$("$OMBRE" templates list --json | "$PYTHON" -S -c 'import json,sys; print(sum(1 for l in sys.stdin if json.loads(l)["name"]))')" 16

like "templates --help" "$("$OMBRE" templates --help)" \
    '^usage: ombre templates list \[--json\]'
like "templates check --help" "$("$OMBRE" templates check --help; echo "rc=$?")" \
    $'ombre templates check \\[DIR\\]\nrc=0$'
"$OMBRE" templates frob 2>/dev/null
is "an unknown subcommand: usage, exit 2" "$?" 2

# --- variants: the customer's language, else template.language -------------
out=$("$OMBRE" templates show refund --conversation "$AMELIE")
like "show NAME --conversation: Amélie writes in French (her shortcut's French variant)" \
    "$out" $'name: refund-policy.fr\n.*\n\nVous pouvez nous retourner un article'
out=$("$OMBRE" templates show greeting --conversation "$BOB")
like "Bob's language is unknown: set template.language en" "$out" \
    $'name: greeting.en\n.*\n\nHello Bob! I am tester from customer support'
like "show without a conversation: the text as written" \
    "$("$OMBRE" templates show greeting.fr)" \
    'Bonjour \{\{customer.first_name \| "et bienvenue"\}\} !'

# --- fallbacks, and no phone number as a first name -------------------------
out=$("$OMBRE" templates show greeting --conversation "$SMS")
like "an SMS customer known by his number: the fallback, not the number" \
    "$out" $'\n\nHello and welcome! I am tester'
unlike "... never Hello +33683422787" "$out" 'Hello \+33'
printf 'channels: sms telegram\n\nBonjour {{customer.first_name}} !\n' >"$TPL/hi"
out=$("$OMBRE" reply "$SMS" --template hi 2>&1)
rc=$?
is "no value and no fallback: reply --template refuses (exit 1)" "$rc" 1
is "... with the reason" "$out" \
    'ombre: reply: template hi: no {{customer.first_name}} here ("+33683422787" is not a name) and no fallback: nothing stored'
unlike "... and nothing is stored" "$("$OMBRE" show "$SMS")" 'Bonjour'
out=$("$OMBRE" templates show hi --conversation "$SMS" 2>&1)
is "show --conversation says the same (exit 1)" "$out rc=$?" \
    'ombre: templates: template hi: no {{customer.first_name}} here ("+33683422787" is not a name) and no fallback rc=1'
"$OMBRE" reply "$BOB" --template hi >/dev/null
like "Bob has a first name: it is used" "$("$OMBRE" show "$BOB")" 'Bonjour Bob !'
"$OMBRE" reply "$AMELIE" --template refund >/dev/null
like "reply --template SHORTCUT: Amélie's French variant is stored" \
    "$("$OMBRE" show "$AMELIE")" 'Vous pouvez nous retourner un article'
"$OMBRE" reply "$BOB" --template closing >/dev/null
like "reply --template STEM: the variant of template.language (Bob's unknown)" \
    "$("$OMBRE" show "$BOB")" 'Glad I could help, Bob!'
out=$("$OMBRE" templates show nope 2>&1)
is "an unknown template (exit 1)" "$out rc=$?" \
    "ombre: templates: no template nope in $TPL rc=1"

# --- check: every problem, file:line ----------------------------------------
BAD=$TEST_DIR/bad
mkdir -p "$BAD"
printf 'shortcut: hello\nchannels: whatsapp telegramm\n\nHi {{customer.firstname}},\nit is {{agent.name | cher}}\n{{channel}} {{oops\n' >"$BAD/a.en"
printf 'colour: red\n\nHello\n' >"$BAD/b"
printf 'shortcut: hello\n\nHello\n' >"$BAD/c"
printf 'name: c\n\nHi\n' >"$BAD/d"
out=$("$OMBRE" templates check "$BAD" 2>"$TEST_DIR/err")
rc=$?
is "check: exit 1 on a problem" "$rc" 1
is "check: every problem as file:line: message, in file order" "$out" \
"$BAD/a.en:2: unknown channel telegramm
$BAD/a.en:4: unknown variable {{customer.firstname}} (customer.name, customer.first_name, agent.name, channel)
$BAD/a.en:5: bad fallback for {{agent.name}}: write {{agent.name | \"text\"}}
$BAD/a.en:6: {{ without }}
$BAD/b:1: unknown key or bad value \"colour\"
$BAD/c:1: shortcut hello is also a.en's
$BAD/d:1: name c is also c's"
is "... and how many on stderr" "$(cat "$TEST_DIR/err")" "ombre: templates: 7 problems in $BAD"

# Hostile bytes in a template stay text.
HOSTILE=$TEST_DIR/hostile
mkdir -p "$HOSTILE"
printf 'shortcut: x\n\nHi \033]0;owned\007{{customer.\033[31m}}\n' >"$HOSTILE/evil"
out=$("$OMBRE" templates check "$HOSTILE" 2>&1)
like "check names the bad variable, its escape as a placeholder" "$out" 'evil:3: unknown variable \{\{customer\.\^\[\[31m\}\}'
unlike "... with no escape reaching the terminal" "$out" $'\e'
cp "$HOSTILE/evil" "$TPL/evil"
unlike "list: no escape either" "$("$OMBRE" templates list 2>&1)" $'\e'
unlike "show: no escape either" "$("$OMBRE" templates show evil 2>&1)" $'\e'
test_done
