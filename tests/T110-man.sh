#!/usr/bin/env bash
#
# The manual pages against the program's own tables: every command that
# `ombre -e list-commands` prints and every option that `ombre -e
# show-options` prints has its .TP entry in ombre.conf(5), and nothing is
# documented there that the tables no longer have; every subcommand,
# subcommand option and global option of `ombre --help` has its .TP entry
# in ombre(1); both pages render without a groff warning.
#
# Names are compared on the pages' text with roff's escapes removed (the
# pages write '-' as '\-', and fonts as \fB...\fR), so a change of
# typography never fails this test and a missing entry always does.

. "$top_srcdir/tests/lib.sh"
test_init
. "$top_srcdir/tests/man-lib.sh"

# Print the tag line of every .TP entry of a page (the line after .TP),
# without its macro (.B, .BR, .BI...) and without double quotes. With a
# section name as $2, only the entries of that section (.SH NAME).
tp_entries() {
	roff_text "$1" | awk -v section="${2:-}" '
		/^\.SH[ \t]/ {
			name = $0
			sub(/^\.SH[ \t]+/, "", name)
			gsub(/"/, "", name)
			in_section = (section == "" || name == section)
		}
		prev ~ /^\.TP([ \t]|$)/ && in_section {
			line = $0
			sub(/^\.[A-Za-z]+[ \t]+/, "", line)
			gsub(/"/, "", line)
			print line
		}
		{ prev = $0 }
		BEGIN { in_section = (section == "") }'
}

# The first word of each line.
first_words() {
	awk 'NF > 0 { print $1 }'
}

# Print the options of list $1 (one a line) that no line of $2 has as a
# whole word (an option is never a part of a longer one: --data is not
# found in --data-dir).
missing_words() {
	local name
	while IFS= read -r name; do
		[ -n "$name" ] || continue
		grep -qE -- "(^|[^A-Za-z0-9-])$name([^A-Za-z0-9-]|\$)" <<<"$2" ||
		    printf '%s\n' "$name"
	done <<<"$1"
}

# A test that passes when the list of missing names is empty.
none_missing() {
	test_result "$([ -z "$2" ]; echo $?)" "$1" ||
	    diag "missing: $(tr '\n' ' ' <<<"$2")"
}

ok "man/ombre.1 exists" test -s "$man1"
ok "man/ombre.conf.5 exists" test -s "$man5"

# ---------------------------------------------------------- ombre.conf.5
entries5=$(tp_entries "$man5" | first_words)

out=$("$OMBRE" -e list-commands 2>stderr)
test_result $? "ombre -e list-commands runs" || diag "$(cat stderr)"
commands=$(first_words <<<"$out")
n=$(grep -c . <<<"$commands")
ok "list-commands prints commands ($n)" test "$n" -gt 0
none_missing "every command has its .TP entry in ombre.conf.5" \
    "$(missing "$commands" "$entries5")"
none_missing "every command entry of ombre.conf.5 COMMANDS is a command" \
    "$(missing "$(tp_entries "$man5" COMMANDS | first_words)" "$commands")"

out=$("$OMBRE" -e show-options 2>stderr)
test_result $? "ombre -e show-options runs" || diag "$(cat stderr)"
options=$(first_words <<<"$out")
n=$(grep -c . <<<"$options")
ok "show-options prints options ($n)" test "$n" -gt 0
none_missing "every option has its .TP entry in ombre.conf.5" \
    "$(missing "$options" "$entries5")"
none_missing "every option entry of ombre.conf.5 OPTIONS is an option" \
    "$(missing "$(tp_entries "$man5" OPTIONS | first_words)" "$options")"

# --------------------------------------------------------------- ombre.1
entries1=$(tp_entries "$man1")

help=$("$OMBRE" --help 2>stderr)
test_result $? "ombre --help runs" || diag "$(cat stderr)"

# Subcommands: the lines of "Commands:" indented by two spaces and
# starting with a name (continuation lines are indented further).
subcommands=$(help_section "Commands:" | grep -E '^  [a-z]' | first_words)
n=$(grep -c . <<<"$subcommands")
ok "--help lists subcommands ($n)" test "$n" -gt 0
none_missing "every subcommand has its .TP entry in ombre.1" \
    "$(missing "$subcommands" "$(first_words <<<"$entries1")")"

# Subcommand options: every -x or --name in the Commands section.
sub_options=$(help_section "Commands:" |
    grep -oE -- '(^|[[ ])--?[A-Za-z][A-Za-z0-9-]*' | tr -d '[ ' | sort -u)
n=$(grep -c . <<<"$sub_options")
ok "--help lists subcommand options ($n)" test "$n" -gt 0
none_missing "every subcommand option has its .TP entry in ombre.1" \
    "$(missing_words "$sub_options" "$entries1")"

# Global options: the left column of "Global options:", the text before
# the first run of two spaces ("-c, --config FILE").
global_options=$(help_section "Global options:" |
    sed -e 's/^ *//' -e 's/  .*//' | grep -E '^-' |
    grep -oE -- '--?[A-Za-z][A-Za-z0-9-]*' | sort -u)
n=$(grep -c . <<<"$global_options")
ok "--help lists global options ($n)" test "$n" -gt 0
none_missing "every global option has its .TP entry in ombre.1" \
    "$(missing_words "$global_options" "$entries1")"

# -------------------------------------------------------------- rendering
if command -v groff >/dev/null 2>&1; then
	for page in "$man1" "$man5"; do
		warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
		rc=$?
		test_result "$([ $rc -eq 0 ] && [ -z "$warnings" ]; echo $?)" \
		    "${page##*/} renders without groff warnings" ||
		    diag "$warnings"
	done
else
	skip "ombre.1 renders without groff warnings" "groff is not installed"
	skip "ombre.conf.5 renders without groff warnings" "groff is not installed"
fi

test_done
