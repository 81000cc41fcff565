#!/usr/bin/env bash
# T550-i18n.sh: the French interface (issue 17). The check first: no
# user-visible string of the files po/POTFILES lists is left unmarked
# (tests/i18n-scan.py), and po/fr.po translates every marked one, with
# nothing fuzzy and format directives msgfmt -c accepts. Then the program
# under LANG=fr_FR.UTF-8, its catalogs taken from the build tree through
# OMBRE_LOCALEDIR and the locale built with localedef when the system has
# none: --help, an error, a claim's "il y a", ages and day names are
# French; under LANG=C the same are English; an event's text stored by a
# French process keeps English dates; `-e list-keys`, show --json and
# report --csv are the same bytes in both languages.
. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
command -v msgfmt >/dev/null && command -v xgettext >/dev/null &&
    command -v msgcmp >/dev/null || skip_all "gettext's tools are not installed"

potfiles=$(grep -v '^#' "$top_srcdir/po/POTFILES" | grep .)

# --- the check: every user-visible string marked...
out=$(cd "$top_srcdir" && "$PYTHON" -S tests/i18n-scan.py $potfiles 2>&1)
is "no unmarked user-visible string in po/POTFILES's files" "$?:$out" "0:"
# ...the scanner sees one (it would pass anything if it were broken)...
cat >unmarked.c <<'EOF'
static void
f(void)
{
	log_warn("cannot open the store: %s", why);
	printf(_("already yours\n"));
	printf("{\"id\":\"%s\"}\n", id);
	log_warn("%s: %s", a, b);
}
EOF
out=$("$PYTHON" -S "$top_srcdir/tests/i18n-scan.py" unmarked.c)
is "the scanner names an unmarked message, not JSON or a bare format" "$?:$out" \
    '1:unmarked.c:4: "cannot open the store: %s"'
# ...and translated into French, nothing missing, nothing fuzzy.
(cd "$top_srcdir" && xgettext --from-code=UTF-8 --language=C --keyword=_ \
    --keyword=N_ --keyword=ngettext:1,2 --files-from=po/POTFILES \
    -o "$TEST_DIR/ombre.pot")
ok "the marked strings extract" test -s ombre.pot
out=$(msgcmp "$top_srcdir/po/fr.po" ombre.pot 2>&1)
is "po/fr.po has every marked string (make update-po, then translate)" "$?:$out" "0:"
stats=$(LC_ALL=C msgfmt -c --statistics -o /dev/null "$top_srcdir/po/fr.po" 2>&1)
like "po/fr.po: all translated, none fuzzy, directives valid" "$stats" \
    '^[0-9]+ translated messages\.$'

# --- French at run time.
french_init || skip_all "no French locale: localedef and /usr/share/i18n/locales/fr_FR are needed"
ok "the build tree has the French catalog" test -s "$OMBRE_LOCALEDIR/fr/LC_MESSAGES/ombre.mo"
out=$(in_french "$OMBRE" --help)
like "ombre --help is French" "$out" $'^utilisation : ombre .*\nOptions globales :.*\nCommandes :'
out=$(LANG=C LC_ALL=C "$OMBRE" --help)
like "and English under LANG=C" "$out" $'^usage: ombre .*\nGlobal options:'
out=$(in_french "$OMBRE" --bogus 2>&1)
is "an error is French, with its exit status" "$?:$out" \
    "2:ombre: option inconnue --bogus (voir ombre --help)"
out=$(env -u LC_ALL LANG=C "$OMBRE" --bogus 2>&1)
is "and English under LANG=C" "$?:$out" "2:ombre: unknown option --bogus (see ombre --help)"
out=$(in_french "$OMBRE" tag 2>&1)
is "a subcommand's usage is French" "$?:$out" \
    "2:ombre: utilisation : ombre tag CONV|REQUÊTE +ÉTIQUETTE|-ÉTIQUETTE..."

# A conversation from 3 days ago, claimed by bob 5 minutes ago.
{
	json_line telegram bot1 c1 1 2026-11-17T09:10:00Z u1 customer "Bonjour, ma commande ?"
} >corpus.jsonl
"$OMBRE" ingest <corpus.jsonl >/dev/null 2>&1 || { echo "Bail out! ingest failed"; exit 1; }
id=$("$OMBRE" list --json | "$PYTHON" -S -c 'import json,sys; print(json.loads(sys.stdin.readline())["id"])')
OMBRE_NOW=2026-11-20T09:55:00Z "$OMBRE" claim "$id" --agent bob >/dev/null
out=$(in_french "$OMBRE" claim "$id" --agent ana)
is "a duration is French: il y a 5 min" "$?:$out" "1:bob l'a prise il y a 5 min"
out=$("$OMBRE" claim "$id" --agent ana)
is "and English in C" "$?:$out" "1:bob took it 5 min ago"
out=$(in_french "$OMBRE" list)
like "an age in days is French (3j) in list" "$out" " 3j "
out=$("$OMBRE" list)
like "and English in C (3d)" "$out" " 3d "

# The list's fixed columns keep their width in French: 12 unread
# messages of 11 weeks ago are "12 nv" and "11S" (not "12 nouv",
# "11sem", which pushed the snippet right).
for i in 10 11 12 13 14 15 16 17 18 19 20 21; do
	json_line telegram bot1 c2 "m$i" "2026-09-01T10:$i:00Z" u2 customer "Colis perdu $i"
done | "$OMBRE" ingest >/dev/null 2>&1
snippet_col() {
	"$PYTHON" -S -c 'import sys
for l in sys.stdin:
    if "Colis perdu" in l: print(l.index("Colis perdu"))'
}
fr=$(in_french "$OMBRE" list)
like "an age in weeks and a count of new messages are French" "$fr" \
    " 11S [^ ]+ +12 nv +11S Colis perdu"
is "the French list's columns line up with the English" \
    "$(snippet_col <<<"$fr")" "$("$OMBRE" list | snippet_col)"

out=$(in_french "$OMBRE" show "$id")
like "the day separator's names are French" "$out" "mar\. 17 nov\. 2026"
like "who wrote, in French: (client)" "$out" " \(client\)"
out=$("$OMBRE" show "$id")
like "and English in C" "$out" "Tue 17 Nov 2026"
like "and (customer)" "$out" " \(customer\)"

# Text stored in the Maildir stays in English whoever wrote it: an
# event's date is not "sam. 21 nov.".
in_french "$OMBRE" snooze "$id" "2026-11-21 09:00" --agent ana >/dev/null
out=$("$OMBRE" show "$id")
like "a snooze made in French is stored with English day names" "$out" \
    "snoozed until Sat 21 Nov 09:00 by ana"

# Machine output does not change with the language: keys, JSON, CSV.
en=$("$OMBRE" -e list-keys)
fr=$(in_french "$OMBRE" -e list-keys)
ok "list-keys is not empty" test -n "$en"
is "ombre -e list-keys is the same in French" "$fr" "$en"
en=$("$OMBRE" show --json "$id")
fr=$(in_french "$OMBRE" show --json "$id")
is "show --json is the same in French" "$fr" "$en"
en=$("$OMBRE" report --since 7d --csv)
fr=$(in_french "$OMBRE" report --since 7d --csv)
is "report --csv (numbers with a '.') is the same in French" "$fr" "$en"

test_done
