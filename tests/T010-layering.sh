#!/usr/bin/env bash
#
# The layering of style.md, checked on the #include lines of src/: each
# external library's header has one owner, and a layer includes nothing
# from the layers above it. The rules are first run on a planted tree with
# one violation of each, so that a rule that can no longer see anything
# fails here instead of passing for ever.

. "$top_srcdir/tests/lib.sh"
test_init

# The rules: "only TARGET FILES" (a header matching TARGET may only be
# included by FILES) or "never FILES TARGET" (FILES include no TARGET).
# FILES are paths from the top of the tree; TARGET is what the #include
# names, project headers as seen from src/ ("store/store.h", whatever the
# spelling in the source).
rule_desc=() rule_kind=() rule_a=() rule_b=()
rule() {
	rule_desc+=("$1") rule_kind+=("$2") rule_a+=("$3") rule_b+=("$4")
}
rule "only src/store/ includes notmuch.h" \
    only '^notmuch\.h$' '^src/store/'
rule "only src/net/ includes curl" \
    only '^curl(/.*|\.h)$' '^src/net/'
rule "only src/ui/ui-screen.c includes curses (output)" \
    only '^(n?curses\.h|ncursesw?/.*|term\.h)$' '^src/ui/ui-screen\.c$'
rule "only src/ui/ui-input.c includes termkey (all keyboard input)" \
    only '^termkey\.h$' '^src/ui/ui-input\.c$'
rule "only src/core/json.c and src/chan/ include jansson.h" \
    only '^jansson\.h$' '^src/(core/json\.c|chan/)'
rule "src/base/ includes nothing from the layers above it" \
    never '^src/base/' '^(core|demo|store|net|chan|ui)/'
rule "src/core/ includes nothing from demo/, store/, net/, chan/, ui/" \
    never '^src/core/' '^(demo|store|net|chan|ui)/'
rule "src/store/ includes nothing from net/, chan/, ui/" \
    never '^src/store/' '^(net|chan|ui)/'
rule "src/net/ includes nothing from core/, store/, chan/, ui/" \
    never '^src/net/' '^(core|store|chan|ui)/'
rule "src/chan/ includes nothing from ui/" \
    never '^src/chan/' '^ui/'
rule "src/demo/ (the demo generator, above core) includes nothing from store/, net/, chan/, ui/" \
    never '^src/demo/' '^(store|net|chan|ui)/'

# Print "FILE<tab>LINE<tab>TARGET<tab>TEXT" for each #include of the C
# files under ROOT/src. A quoted name is resolved as the compiler does
# (next to the including file first, then from src/), so that a project
# header is known by its layer and is not taken for a library's.
scan_includes() {
	local root=$1 file line text target dir
	(cd "$root" && grep -rnE --include='*.c' --include='*.h' \
	    '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]' src) |
	while IFS=: read -r file line text; do
		target=${text#*[<\"]}
		target=${target%%[>\"]*}
		dir=${file%/*}
		case $text:$target in
		*\"*:../*|*\"*:./*)
			target=$(realpath -m --relative-to="$root/src" \
			    "$root/$dir/$target") ;;
		*\"*)
			[ ! -e "$root/$dir/$target" ] ||
			    target=${dir#src}/$target
			target=${target#/} ;;
		esac
		printf '%s\t%s\t%s\t%s\n' "$file" "$line" "$target" "$text"
	done
}

# Print the includes of the list on stdin that break rule number $1, as
# "FILE:LINE: TEXT".
violations() {
	local kind=${rule_kind[$1]} a=${rule_a[$1]} b=${rule_b[$1]}
	local file line target text bad
	while IFS=$'\t' read -r file line target text; do
		if [ "$kind" = only ]; then
			[[ $target =~ $a && ! $file =~ $b ]] && bad=1 || bad=0
		else
			[[ $file =~ $a && $target =~ $b ]] && bad=1 || bad=0
		fi
		[ $bad = 0 ] || printf '%s:%s: %s\n' "$file" "$line" "$text"
	done
}

# The planted tree: one violation per rule, in rule order, and includes
# that are allowed.
plant() {
	mkdir -p "planted/src/$(dirname "$1")"
	printf '%s\n' "$2" >>"planted/src/$1"
}
plant core/a.c '#include <notmuch.h>'
plant chan/b.c '#include <curl/curl.h>'
plant store/c.c '#include <termkey.h>'
plant core/d.c '#include <jansson.h>'
plant base/e.c '#include "core/core.h"'
plant core/f.c '  #  include "../store/store.h"'
plant store/g.c '#include "ui/ui.h"'
plant store/store.h '#include <notmuch.h>'
plant net/net.c '#include <curl/curl.h>'
plant ui/ui.h '#include <ncursesw/curses.h>'
plant ui/ui-screen.c '#include <ncurses.h>'
plant ui/ui-input.c '#include <termkey.h>'
plant core/json.c '#include <jansson.h>'
plant chan/chan.c '#include <jansson.h>'
plant core/term.h '#include "base/base.h"'
plant core/core.h '#include "term.h"'
plant store/h.c '#include "core/core.h"'
plant ui/i.c '#include "store/store.h"'
plant net/j.c '#include "store/store.h"'
plant net/k.c '#include "base/base.h"'
plant chan/l.c '#include "ui/ui.h"'
plant chan/m.c '#include "store/store.h"'
plant demo/n.c '#include "store/store.h"'
plant demo/o.c '#include "core/core.h"'

scan_includes planted >planted.list
expected="src/core/a.c:1: #include <notmuch.h>
src/chan/b.c:1: #include <curl/curl.h>
src/ui/ui.h:1: #include <ncursesw/curses.h>
src/store/c.c:1: #include <termkey.h>
src/core/d.c:1: #include <jansson.h>
src/base/e.c:1: #include \"core/core.h\"
src/core/f.c:1:   #  include \"../store/store.h\"
src/store/g.c:1: #include \"ui/ui.h\"
src/net/j.c:1: #include \"store/store.h\"
src/chan/l.c:1: #include \"ui/ui.h\"
src/demo/n.c:1: #include \"store/store.h\""
got=""
for i in "${!rule_desc[@]}"; do
	got+=$(violations "$i" <planted.list)$'\n'
done
is "each rule finds its planted violation and only that" "${got%$'\n'}" "$expected"

scan_includes "$top_srcdir" >src.list
n=$(cut -f1 src.list | sort -u | wc -l)
ok "src/ has files that include headers ($n)" test "$n" -gt 0

for i in "${!rule_desc[@]}"; do
	bad=$(violations "$i" <src.list)
	test_result "$([ -z "$bad" ]; echo $?)" "${rule_desc[$i]}" || diag "$bad"
done

test_done
