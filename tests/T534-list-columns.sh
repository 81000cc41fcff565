#!/usr/bin/env bash
#
# ombre list through a pipe (issue 17): $COLUMNS honoured, 80 columns
# without it, as ombre(1) says; a snippet's line breaks, tabs and other
# controls as spaces, never ^J.

. "$top_srcdir/tests/lib.sh"
test_init

{
	json_line telegram 70 c1 m1 2026-11-20T09:00:00Z u1 customer \
	    $'Première ligne\nDeuxième ligne\tavec tab\r\nTroisième\x1b[31m rouge'
	json_line telegram 70 c2 m2 2026-11-20T09:10:00Z u2 customer \
	    "Une phrase assez longue pour dépasser quatre-vingts colonnes dans la liste des conversations"
} | "$OMBRE" ingest >/dev/null || { echo "Bail out! ingest failed"; exit 1; }

out=$(COLUMNS=60 "$OMBRE" list | cat)
is "two rows" "$(wc -l <<<"$out")" 2
ok "COLUMNS=60: no row wider than 60 columns" test "$(wc -L <<<"$out")" -le 60
out=$(env -u COLUMNS "$OMBRE" list | cat)
ok "without COLUMNS: 80 columns at most" test "$(wc -L <<<"$out")" -le 80
like "the long snippet is cut with an ellipsis" "$out" "Une phrase assez lo…"
out=$(COLUMNS=200 "$OMBRE" list | cat)
like "COLUMNS=200: line breaks and tabs as single spaces" "$out" \
    "Première ligne Deuxième ligne avec tab Troisième"
unlike "never ^J or ^M in a snippet" "$out" '\^J|\^M'
ok "no escape character reaches the pipe" bash -c "! grep -q $'\e' <<<\"\$1\"" _ "$out"
like "what followed the escape character is plain text" "$out" "Troisième \[31m rouge"
test_done
