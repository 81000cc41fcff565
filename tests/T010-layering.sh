#!/usr/bin/env bash
#
# The layering of style.md and design.md, checked on the #include lines of
# src/: each external library's header has one owner, and a layer includes
# nothing from the layers above it:
#
#	base < core < store, net, demo < chan, web < sync < ui < main.c, src/cli/
#
# src/web (the webhook receiver) sits above store and may use base, core
# and store; only src/cli/ and main.c include it.
#
# The rules are first run on a planted tree with one violation of each, so
# that a rule that can no longer see anything fails here instead of
# passing for ever. Then each layer's archive must have a link test: a
# check program of Makefile.am linked with it and the layers under it
# only, so that a call to a layer above fails at link time.

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
    never '^src/base/' '^(core|demo|store|net|chan|sync|ui)/'
rule "src/core/ includes nothing from demo/, store/, net/, chan/, sync/, ui/" \
    never '^src/core/' '^(demo|store|net|chan|sync|ui)/'
rule "src/store/ includes nothing from net/, chan/, sync/, ui/" \
    never '^src/store/' '^(net|chan|sync|ui)/'
rule "src/net/ includes nothing from core/, store/, chan/, sync/, ui/" \
    never '^src/net/' '^(core|store|chan|sync|ui)/'
rule "src/chan/ includes nothing from sync/ (an adapter knows its host as struct chan_host only)" \
    never '^src/chan/' '^sync/'
rule "src/chan/ includes nothing from ui/" \
    never '^src/chan/' '^ui/'
rule "src/sync/ includes nothing from ui/" \
    never '^src/sync/' '^ui/'
rule "src/demo/ (the demo generator, above core) includes nothing from store/, net/, chan/, sync/, ui/" \
    never '^src/demo/' '^(store|net|chan|sync|ui)/'
rule "only src/web/web-http.c includes microhttpd.h" \
    only '^microhttpd\.h$' '^src/web/web-http\.c$'
rule "only src/web/web-sign.c includes openssl" \
    only '^openssl/' '^src/web/web-sign\.c$'
rule "src/web/ includes nothing from net/, demo/, chan/, sync/, ui/" \
    never '^src/web/' '^(net|demo|chan|sync|ui)/'
rule "only src/web/, src/cli/ and main.c include web/" \
    only '^web/' '^src/(web/|cli/|main\.c$)'

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
plant chan/n.c '#include "../sync/sync.h"'
plant sync/o.c '#include "ui/ui-private.h"'
plant sync/p.c '#include "chan/chan.h"'
plant demo/q.c '#include "store/store.h"'
plant demo/r.c '#include "core/core.h"'
plant web/s.c '#include <microhttpd.h>'
plant web/web-http.c '#include <microhttpd.h>'
plant web/web-http.c '#include <openssl/hmac.h>'
plant web/web-sign.c '#include <openssl/hmac.h>'
plant web/t.c '#include "chan/chan.h"'
plant web/u.c '#include "store/store.h"'
plant sync/v.c '#include "web/web.h"'
plant cli/w.c '#include "web/web.h"'

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
src/chan/n.c:1: #include \"../sync/sync.h\"
src/chan/l.c:1: #include \"ui/ui.h\"
src/sync/o.c:1: #include \"ui/ui-private.h\"
src/demo/q.c:1: #include \"store/store.h\"
src/web/s.c:1: #include <microhttpd.h>
src/web/web-http.c:2: #include <openssl/hmac.h>
src/web/t.c:1: #include \"chan/chan.h\"
src/sync/v.c:1: #include \"web/web.h\""
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

# libcurl's one owner is src/net, and of the programs only ombre-sync
# links it: ombre execs it for what needs the network.
ok "src/ombre links no libcurl" bash -c "! ldd '$OMBRE' | grep -q libcurl"
ok "src/ombre-sync does" bash -c "ldd '$top_builddir/src/ombre-sync' | grep -q libcurl"
# Nor libmicrohttpd (GnuTLS and more behind it): ombre-sync runs ombre
# webhook.
ok "src/ombre links no libmicrohttpd" bash -c "! ldd '$OMBRE' | grep -q libmicrohttpd"
ok "src/ombre-sync does" bash -c "ldd '$top_builddir/src/ombre-sync' | grep -q libmicrohttpd"

# The link tests. Each layer's rank: an archive may only be linked with
# the ones of a lower rank (store, net and demo share one, and link none
# of the others).
declare -A rank=([base]=0 [core]=1 [store]=2 [net]=2 [demo]=2 [chan]=3 [web]=3 [sync]=4 [ui]=5)
# Makefile.am's variables, continuation lines joined: NAME<tab>VALUE.
awk '/\\$/ { sub(/\\$/, ""); line = line $0 " "; next }
    { line = line $0; if (match(line, /^[A-Za-z_]+[ \t]*\+?=/)) {
	name = line; sub(/[ \t]*\+?=.*/, "", name);
	value = line; sub(/^[^=]*=[ \t]*/, "", value);
	print name "\t" value } line = "" }' \
    "$top_srcdir/Makefile.am" >make.vars
# The archives a program's LDADD names, variables of Makefile.am expanded.
archives() {
	local value
	value=$(awk -F'\t' -v n="$1" '$1 == n { print $2 }' make.vars)
	while [[ $value =~ \$\(([A-Za-z_]+)\) ]]; do
		value=${value/"${BASH_REMATCH[0]}"/$(awk -F'\t' \
		    -v n="${BASH_REMATCH[1]}" '$1 == n { print $2 }' make.vars)}
	done
	grep -oE 'src/[a-z]+/lib[a-z]+\.a' <<<"$value" | sed 's|.*/lib||; s|\.a$||'
}
# Each test program's archives, read once (NAME<tab>"lib lib...").
declare -A libs_of
unit_vars=$(awk -F'\t' '$1 ~ /^tests_unit_.*_LDADD$/ { print $1 }' make.vars)
for var in $unit_vars; do
	libs_of[$var]=$(archives "$var" | tr '\n' ' ')
done
for layer in base core store net demo chan web sync ui; do
	found=""
	for var in $unit_vars; do
		libs=${libs_of[$var]}
		[[ " $libs" == *" $layer "* ]] || continue
		above=0
		for lib in $libs; do
			[ "$lib" = "$layer" ] ||
			    [ "${rank[$lib]}" -lt "${rank[$layer]}" ] || above=1
		done
		[ $above = 1 ] || found=${var%_LDADD}
	done
	test_result "$([ -n "$found" ]; echo $?)" \
	    "lib$layer.a has a link test${found:+ ($found)}"
done

test_done
