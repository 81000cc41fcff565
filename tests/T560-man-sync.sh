#!/usr/bin/env bash
#
# The manual pages against the program, both ways (a name missing from a
# page fails, and so does a name a page has that the program does not),
# where T110 checks only one way or not at all:
# - the subcommands of `ombre --help` and the subcommand entries of
#   ombre(1) COMMANDS, and the ombre NAME lines of its SYNOPSIS;
# - each subcommand's own options, read from its option table in
#   src/cli (struct cli_opt), and those of its entry in COMMANDS and of
#   its SYNOPSIS lines;
# - the global options of `ombre --help`, of the first SYNOPSIS line
#   and of OPTIONS;
# - the keys of the default key tables (`ombre -e list-keys`) and the
#   keys listed under CONSOLE;
# - the exit statuses src/cli and log.c define or return and the values
#   of EXIT STATUS;
# - the variables read by getenv() in src/ and those of ENVIRONMENT;
# - no sentence left over from before the console was built.

. "$top_srcdir/tests/lib.sh"
test_init
. "$top_srcdir/tests/man-lib.sh"
src=$top_srcdir/src

# The tag lines of the .TP entries of section $2 (all with no $2), as
# "LINENO<TAB>TEXT", macro and double quotes removed. A tag continued
# with a trailing backslash is joined to its next line.
tp_tags() {
	roff_text "$1" | awk -v section="${2:-}" '
		/^\.SH[ \t]/ {
			name = $0
			sub(/^\.SH[ \t]+/, "", name)
			gsub(/"/, "", name)
			in_section = (section == "" || name == section)
		}
		tag != "" {
			tag = tag " " $0
			if (tag !~ /[ \t]$/ || $0 == "") {
				print tagline "\t" tag
				tag = ""
			} else
				next
		}
		prev ~ /^\.T[PQ]([ \t]|$)/ && in_section {
			line = $0
			sub(/^\.[A-Za-z]+[ \t]+/, "", line)
			gsub(/"/, "", line)
			tagline = NR
			if (line ~ / $/)
				tag = line
			else
				print NR "\t" line
		}
		{ prev = $0 }
		BEGIN { in_section = (section == "") }'
}

# The lines of section $2 of page $1 (roff escapes removed).
section_text() {
	roff_text "$1" | awk -v section="$2" '
		/^\.SH[ \t]/ {
			name = $0
			sub(/^\.SH[ \t]+/, "", name)
			gsub(/"/, "", name)
			inside = (name == section)
			next
		}
		inside'
}

# Every --long or -x option of standard input, one a line, sorted: the
# words between blanks, brackets, bars, commas, quotes and '=' (so that
# +TAG|-TAG is no option).
options_of() {
	tr -s ' \t[](){}|,"=' '\n' | grep -xE -- '--[a-z][a-z0-9-]*|-[A-Za-z]' |
	    sort -u
}

# A result that passes when the list $2 of what is wrong is empty.
none() {
	test_result "$([ -z "$2" ]; echo $?)" "$1" ||
	    diag "$(tr '\n' ' ' <<<"$2")"
}

help=$("$OMBRE" --help 2>stderr)
test_result $? "ombre --help runs" || diag "$(cat stderr)"

# ------------------------------------------------------------ subcommands
subcommands=$(help_section "Commands:" | grep -E '^  [a-z]' |
    awk '{ print $1 }' | sort -u)
n=$(grep -c . <<<"$subcommands")
ok "--help lists subcommands ($n)" test "$n" -gt 5

# The subcommand entries of COMMANDS, as "LINENO<TAB>NAME": the tags
# outside any .RS block (a subcommand's options, and the words of a
# subcommand such as contact's, are entries inside its .RS ... .RE).
top_lines=$(roff_text "$man1" | awk '
	/^\.SH[ \t]/ { inside = ($0 ~ /^\.SH[ \t]+COMMANDS/); depth = 0 }
	/^\.RS/ { depth++ }
	/^\.RE/ { depth-- }
	inside && depth == 0 && prev ~ /^\.TP/ { print NR }
	{ prev = $0 }')
entries=$(tp_tags "$man1" COMMANDS | awk -F '\t' -v lines="$top_lines" '
	BEGIN { n = split(lines, l, "\n"); for (i = 1; i <= n; i++) top[l[i]] = 1 }
	$1 in top { split($2, w, /[ \t]+/); print $1 "\t" w[1] }')
none "every subcommand entry of ombre(1) COMMANDS is a subcommand" \
    "$(missing "$(cut -f2 <<<"$entries" | sort -u)" "$subcommands")"
none "every subcommand has its entry in ombre(1) COMMANDS" \
    "$(missing "$subcommands" "$(cut -f2 <<<"$entries")")"

# The SYNOPSIS: ".B ombre NAME" lines, NAME a subcommand.
synopsis=$(section_text "$man1" SYNOPSIS)
syn_names=$(grep -E '^\.B ombre [a-z]' <<<"$synopsis" | awk '{ print $3 }' |
    sort -u)
none "every ombre NAME line of the SYNOPSIS is a subcommand" \
    "$(missing "$syn_names" "$subcommands")"
none "every subcommand has its line in the SYNOPSIS" \
    "$(missing "$subcommands" "$syn_names")"

# ----------------------------------------------- the subcommands' options
# The option tables of src/cli: for each file, the subcommands whose
# cli_NAME(struct cli *, int, char **) it defines, and the options of
# every struct cli_opt table in it (--name, and -x for a short name);
# --help is every subcommand's and is left out.
table_entries() {
	awk '
		/struct cli_opt[ \t].*\[\][ \t]*=/ { inside = 1; next }
		inside && /};/ { inside = 0 }
		inside && match($0, /\{ *"[a-z][a-z0-9-]*", *('"'"'.'"'"'|0)/) {
			s = substr($0, RSTART, RLENGTH)
			split(s, f, /"/)
			if (f[2] == "help")
				next
			line = "--" f[2]
			if (match(s, /'"'"'.'"'"'/))
				line = line " -" substr(s, RSTART + 1, 1)
			print line
		}' "$1" | sort -u
}

# The entries of table_entries as one spelling a line.
table_options() {
	table_entries "$1" | tr ' ' '\n'
}

# Print the options of entries $1 ("--verbose -v" a line) of which no
# spelling is in list $2.
missing_any() {
	local line o found
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		found=0
		for o in $line; do
			[[ $'\n'$2$'\n' == *$'\n'"$o"$'\n'* ]] && found=1
		done
		[ "$found" = 1 ] || printf '%s\n' "${line%% *}"
	done <<<"$1"
}

file_subcommands() {
	grep -oE '^cli_[a-z_]+\(struct cli \*cli, int argc, char \*\*argv\)' "$1" |
	    sed -E 's/^cli_([a-z_]+)\(.*/\1/' | tr _ - |
	    while IFS= read -r name; do
		grep -qxF -- "$name" <<<"$subcommands" && printf '%s\n' "$name"
	    done
}

# The option tags of subcommand $1's block in COMMANDS: its entry and the
# entries after it up to the next subcommand's.
block_options() {
	local start end
	start=$(awk -F '\t' -v n="$1" '$2 == n { print $1; exit }' <<<"$entries")
	[ -n "$start" ] || return 0
	end=$(awk -F '\t' -v s="$start" '$1 > s { print $1; exit }' <<<"$entries")
	awk -F '\t' -v s="$start" -v e="${end:-999999}" \
	    '$1 >= s && $1 < e { print $2 }' <<<"$commands_tags" | options_of
}

# The options of subcommand $1's SYNOPSIS lines: from ".B ombre NAME" to
# the next .br.
synopsis_options() {
	awk -v n="$1" '
		$1 == ".B" && $2 == "ombre" && $3 == n { inside = 1; next }
		/^\.br/ { inside = 0 }
		inside' <<<"$synopsis" | options_of
}

globals=$(help_section "Global options:" | sed -e 's/^ *//' -e 's/  .*//' |
    grep -E '^-' | options_of)

# Each file's and each subcommand's lists, read once.
commands_tags=$(tp_tags "$man1" COMMANDS)
declare -A names_of table_of block_of syn_of
for file in "$src"/cli/cli-*.c; do
	names_of[$file]=$(file_subcommands "$file")
	[ -n "${names_of[$file]}" ] || continue
	table_of[$file]=$(table_options "$file")
	for name in ${names_of[$file]}; do
		block_of[$name]=$(block_options "$name")
		syn_of[$name]=$(synopsis_options "$name")
	done
done

bad_block=""
bad_synopsis=""
n_tables=0
for file in "$src"/cli/cli-*.c; do
	names=${names_of[$file]}
	[ -n "$names" ] || continue
	table=${table_of[$file]}
	table_spellings=$(table_entries "$file")
	[ -n "$table" ] && n_tables=$((n_tables + 1))
	# Documented: the union over the subcommands of the file (one
	# table may serve several, such as cli-triage.c's).
	documented=""
	for name in $names; do
		documented+=${block_of[$name]}$'\n'
	done
	for o in $(missing_any "$table_spellings" "$documented"); do
		bad_block+="${file##*/}:$o missing "
	done
	for name in $names; do
		for o in $(missing "${block_of[$name]}" "$table"$'\n'"$globals"); do
			bad_block+="$name:$o extra "
		done
		syn=${syn_of[$name]}
		for o in $(missing "$syn" "$table"); do
			bad_synopsis+="$name:$o extra "
		done
	done
	syn_all=""
	for name in $names; do
		syn_all+=${syn_of[$name]}$'\n'
	done
	for o in $(missing_any "$table_spellings" "$syn_all"); do
		bad_synopsis+="${file##*/}:$o missing "
	done
done
# What --help says of a subcommand: its line under "Commands:" and the
# lines indented under it.
help_options() {
	help_section "Commands:" | awk -v n="$1" '
		/^  [a-z]/ { inside = ($1 == n) }
		inside' | options_of
}
bad_help=""
for file in "$src"/cli/cli-*.c; do
	for name in ${names_of[$file]}; do
		for o in $(missing "$(help_options "$name")" "${table_of[$file]}"); do
			bad_help+="$name:$o "
		done
	done
done
none "every option --help gives a subcommand is in its option table" \
    "$bad_help"
ok "option tables read in src/cli ($n_tables)" test "$n_tables" -gt 10
none "each subcommand's options in its COMMANDS entries, no more, no less" \
    "$bad_block"
none "each subcommand's options in its SYNOPSIS lines, no more, no less" \
    "$bad_synopsis"

# ------------------------------------------------------- global options
n=$(grep -c . <<<"$globals")
ok "--help lists global options ($n)" test "$n" -gt 5
# The SYNOPSIS's global options: its first line and its last (-h, -V).
syn_globals=$({
	awk '/^\.B ombre$/ { n++ } n { print } /^\.PP/ && n { exit }' <<<"$synopsis"
	awk '/^\.B ombre$/ { last = "" } { last = last "\n" $0 } END { print last }' \
	    <<<"$synopsis"
} | options_of)
# Each line of "Global options:" is one option in several spellings
# ("-c, --config FILE"): one of them is enough where a page is short.
bad=""
while IFS= read -r line; do
	spellings=$(options_of <<<"$line")
	[ -n "$spellings" ] || continue
	[ -n "$(missing "$spellings" "$syn_globals")" ] &&
	    [ "$(missing "$spellings" "$syn_globals")" = "$spellings" ] &&
	    bad+="$(head -1 <<<"$spellings") missing "
done < <(help_section "Global options:" | sed -e 's/^ *//' -e 's/  .*//' |
    grep -E '^-')
for o in $(missing "$syn_globals" "$globals"); do
	bad+="$o extra "
done
none "the SYNOPSIS's global options are those of --help" "$bad"

opts1=$(tp_tags "$man1" OPTIONS | cut -f2 | options_of)
none "every global option has its entry in OPTIONS" \
    "$(missing "$globals" "$opts1")"
none "every option of OPTIONS is a global option of --help" \
    "$(missing "$opts1" "$globals")"

# ----------------------------------------------------------------- keys
bindings=$("$OMBRE" -e list-keys 2>stderr)
# The list's, the thread's and both's (root) keys have a .TP entry each
# under CONSOLE; a table of its own (a pane's, such as the composer's) is
# described in its subsection, where each of its keys must be named.
keys=$(awk '$1 == "bind" && $3 ~ /^(root|list|thread)$/ { print $4 }' \
    <<<"$bindings" | sort -u)
other_keys=$(awk '$1 == "bind" && $3 !~ /^(root|list|thread)$/ { print $4 }' \
    <<<"$bindings" | sort -u)
n=$(grep -c . <<<"$keys")
ok "list-keys prints the default keys ($n)" test "$n" -gt 20
# The CONSOLE section's keys, up to .SS Composer: a tag is keys joined
# by ", " and " / ", "1 .. 9" a range.
console_keys=$(roff_text "$man1" | awk '
	/^\.SH[ \t]/ { inside = ($0 ~ /^\.SH[ \t]+CONSOLE/); next }
	/^\.SS/ { inside = 0 }
	inside && prev ~ /^\.TP/ {
		line = $0
		sub(/^\.[A-Za-z]+[ \t]+/, "", line)
		gsub(/"/, "", line)
		print line
	}
	{ prev = $0 }' | sed -e 's| / |\n|g' -e 's|, |\n|g' |
    sed -e 's/^ *//' -e 's/ *$//' |
    awk '/^[0-9] +\.\. +[0-9]$/ { for (i = $1; i <= $3; i++) print i; next }
	{ print }' | sort -u)
none "every default key has its entry under CONSOLE" \
    "$(missing "$keys" "$console_keys")"
none "every key under CONSOLE is a default key" \
    "$(missing "$console_keys" "$keys")"
console_text=$(section_text "$man1" CONSOLE)
bad=""
for k in $other_keys; do
	grep -qE -- "(^|[^A-Za-z0-9-])$(sed 's/[][\.*^$+?(){}|/]/\\&/g' <<<"$k")([^A-Za-z0-9-]|\$)" \
	    <<<"$console_text" || bad+="$k "
done
none "every key of the other key tables is named under CONSOLE" "$bad"

# ---------------------------------------------------------- exit status
# The exit statuses the program defines (cli.h's, a subcommand's own
# such as claim's, fatal()'s in log.c), and the numbers the subcommands
# set or return (reply --base's 3).
codes=$({
	printf '0\n1\n'
	cat "$src"/cli/*.c "$src"/cli/*.h "$src/base/log.c" |
	    sed -nE 's/^#define[ \t]+(LOG_)?EXIT_[A-Z_]+[ \t]+([0-9]+).*/\2/p'
	grep -hoE '\brc = [0-9]+;|return [0-9]+;' "$src"/cli/cli-*.c |
	    tr -dc '0-9\n'
} | grep . | sort -u)
documented=$(tp_tags "$man1" "EXIT STATUS" | cut -f2 | tr ',' '\n' |
    grep -oE '^ *[0-9]+' | tr -d ' ' | sort -u)
none "every exit status of cli.h and src/cli is in EXIT STATUS" \
    "$(missing "$codes" "$documented")"
none "every value of EXIT STATUS is one ombre returns" \
    "$(missing "$documented" "$codes")"
# Each value has its own .TP entry (not a tag left in a paragraph).
stray=$(section_text "$man1" "EXIT STATUS" | awk '
	/^\.B [0-9]/ && prev !~ /^\.TP/ { print }
	{ prev = $0 }')
none "every value of EXIT STATUS is a .TP entry" "$stray"

# ---------------------------------------------------------- environment
env_read=$(grep -rhoE 'getenv\("[A-Za-z0-9_]+"\)' "$src" --include='*.c' \
    --include='*.h' | sed -E 's/getenv\("(.*)"\)/\1/' | sort -u)
n=$(grep -c . <<<"$env_read")
ok "getenv() calls found in src ($n)" test "$n" -gt 5
env_doc=$(tp_tags "$man1" ENVIRONMENT | cut -f2 |
    grep -oE '\b[A-Z][A-Z0-9_]+\b' | sort -u)
# Read by the C library and gettext, not by a getenv() of ours.
libc_env=$(printf '%s\n' LANG LANGUAGE LC_ALL LC_MESSAGES LC_CTYPE LC_TIME TERM)
none "every variable getenv() reads is in ENVIRONMENT" \
    "$(missing "$env_read" "$env_doc")"
none "every variable of ENVIRONMENT is read by ombre" \
    "$(missing "$env_doc" "$env_read"$'\n'"$libc_env")"

# -------------------------------------------- options' defaults, ranges
# Each option of ombre.conf(5) OPTIONS says its default as show-options
# prints it ("default empty" for an empty string), and a number its
# range as the option table (src/core/options.c) has it.
shown=$("$OMBRE" -e show-options 2>stderr)
test_result $? "ombre -e show-options runs" || diag "$(cat stderr)"
# One line per entry of the section: "NAME<TAB>TEXT", the entry's
# paragraph joined, macros removed.
option_texts=$(roff_text "$man5" | awk '
	/^\.SH[ \t]/ { inside = ($0 ~ /^\.SH[ \t]+OPTIONS/); next }
	!inside { next }
	/^\.TP/ { if (name != "") print name "\t" text; name = ""; tp = 1; next }
	/^\.S[SH]|^\.PP/ { if (name != "") print name "\t" text; name = ""; next }
	{
		line = $0
		sub(/^\.[A-Za-z]+[ \t]*/, "", line)
		gsub(/"/, "", line)
		if (tp) { name = line; text = ""; tp = 0; next }
		text = text " " line
	}
	END { if (name != "") print name "\t" text }')
ranges=$(awk '
	/\.name = "/ { split($0, f, /"/); name = f[2]; min = ""; max = ""; type = "" }
	/\.type = / { type = $3; sub(/,$/, "", type) }
	/\.min = / { min = $3; sub(/,$/, "", min) }
	/\.max = / { max = $3; sub(/,$/, "", max) }
	/\.help = / && type == "OPTION_NUMBER" { print name "\t" min "\t" max }' \
    "$src/core/options.c")
bad=""
while read -r name value; do
	[ -n "$name" ] || continue
	[ "$value" = "''" ] && value=empty
	text=$(awk -F '\t' -v n="$name" '$1 == n { print $2 }' <<<"$option_texts")
	text=$(tr -s ' ' <<<"$text")
	grep -qF -- "default $value" <<<"$text" || bad+="$name:default($value) "
done <<<"$shown"
while IFS=$'\t' read -r name min max; do
	[ -n "$name" ] || continue
	text=$(awk -F '\t' -v n="$name" '$1 == n { print $2 }' <<<"$option_texts")
	grep -qF -- "from $min to $max" <<<"$(tr -s ' ' <<<"$text")" ||
	    bad+="$name:range($min-$max) "
done <<<"$ranges"
n=$(grep -c . <<<"$ranges")
ok "the option table's numbers read ($n)" test "$n" -gt 5
none "each option's default and range in OPTIONS are the program's" "$bad"

# ---------------------------------------------------------------- roles
# The roles of ombre.conf(5) STYLES ("The roles:" to the paragraph's
# end, the bold words) and those show-styles prints.
roles=$("$OMBRE" -e show-styles 2>stderr | awk '$1 == "style" { print $2 }' |
    sort -u)
n=$(grep -c . <<<"$roles")
ok "show-styles prints roles ($n)" test "$n" -gt 5
roles_doc=$(section_text "$man5" STYLES | awk '
	/^The roles:/ { inside = 1; next }
	inside && /^\.(PP|TP|SS)/ { exit }
	inside && /^\.BR? / { sub(/[,.]$/, "", $2); print $2 }' | sort -u)
none "every role of show-styles is in STYLES" "$(missing "$roles" "$roles_doc")"
none "every role of STYLES is one show-styles prints" \
    "$(missing "$roles_doc" "$roles")"

# -------------------------------------------------------------- .RS/.RE
# An .RS left open shifts every later entry of the section to the right
# (and makes a subcommand look like an option of the one before).
bad=""
for page in "$man1" "$man5"; do
	bad+=$(roff_text "$page" | awk -v page="${page##*/}" '
		/^\.S[HS][ \t]/ {
			if (depth != 0)
				printf "%s: %d .RS open before line %d\n", page, depth, NR
			depth = 0
		}
		/^\.RS/ { depth++ }
		/^\.RE/ {
			if (--depth < 0) {
				printf "%s: .RE without .RS at line %d\n", page, NR
				depth = 0
			}
		}
		END { if (depth != 0) printf "%s: .RS open at the end\n", page }')
done
none "every .RS of the pages is closed within its section" "$bad"

# ------------------------------------------------------------ leftovers
stale=$(grep -nE 'is being built|console to come|come next|to come\b|macros will run|later at its prompt' \
    "$man1" "$man5")
none "no page speaks of the console as yet to be built" "$stale"

# The Tags list of ombre(1) STORE names each tag once.
dups=$(roff_text "$man1" | awk '
	/^\.SS[ \t]+Tags/ { inside = 1; next }
	/^\.S[SH]/ { inside = 0 }
	inside && prev ~ /^\.TP/ { print }
	{ prev = $0 }' | sort | uniq -d)
none "every Tags entry of ombre(1) is written once" "$dups"

test_done
