# man-lib.sh: what T110 and T560 share to read the manual pages and
# ombre --help. Sourced after tests/lib.sh's test_init.

man1=$top_srcdir/man/ombre.1
man5=$top_srcdir/man/ombre.conf.5

# Print a page without roff escapes: font changes (\fB, \f(CW, \f[B]),
# named characters for quotes, \&, then every other backslash. Kept in a
# file a page: the checks read the pages hundreds of times.
roff_text() {
	local cache=$TEST_DIR/roff-text.${1##*/}

	[ -s "$cache" ] ||
	    sed -e 's/\\f\[[^]]*\]//g' -e 's/\\f([A-Za-z0-9][A-Za-z0-9]//g' \
	    -e 's/\\f[A-Za-z0-9]//g' -e 's/\\(aq/'"'"'/g' -e 's/\\(dq/"/g' \
	    -e 's/\\&//g' -e 's/\\//g' "$1" >"$cache"
	cat "$cache"
}

# Print the lines of list $1 (one a line) missing from list $2 (whole
# lines, matched in bash rather than by a grep a name).
missing() {
	local name
	while IFS= read -r name; do
		[ -n "$name" ] || continue
		[[ $'\n'$2$'\n' == *$'\n'"$name"$'\n'* ]] || printf '%s\n' "$name"
	done <<<"$1"
}

# The lines of one section of $help (ombre --help, which the test reads
# first): from the line "$1" to the next blank line.
help_section() {
	awk -v title="$1" '
		$0 == title { inside = 1; next }
		inside && NF == 0 { exit }
		inside { print }' <<<"$help"
}
