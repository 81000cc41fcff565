#!/usr/bin/env bash
# T060-config.sh: the config file: run line by line, errors collected with
# file:line and not fatal, secrets refused in a readable file.
. "$top_srcdir/tests/lib.sh"
test_init

mkdir -p "$XDG_CONFIG_HOME/ombre"
cfg=$XDG_CONFIG_HOME/ombre/config
cat >"$cfg" <<'CFG'
# ombre config
set list.limit 12
set nonsense 1
view Refunds "tag:refund and tag:inbox"
agent "two words"
set theme light
CFG
out=$("$OMBRE" -e 'show-options list.limit; show-options theme; view Refunds' 2>err)
ok "the rest of the config runs after errors" test $? -eq 0
is "good lines took effect" "$out" $'list.limit 12\ntheme light\ntag:refund and tag:inbox'
like "an error names file and line" "$(cat err)" "config:3: .*nonsense"
like "each error is shown" "$(cat err)" "config:5: "
is "two errors, two lines" "$(wc -l <err)" 2

"$OMBRE" -c "$TEST_DIR/none" -e 'show-options list.limit' 2>err
like "a missing -c file is reported" "$(cat err)" "none"
printf 'set list.limit 5\n' >other.conf
is "-c FILE replaces the default" "$("$OMBRE" -c other.conf -e 'show-options list.limit' 2>/dev/null)" "list.limit 5"

printf 'set list.limit 6\nsource %s/more.conf\n' "$TEST_DIR" >"$cfg"
printf 'set theme mono\n' >more.conf
is "source runs another file" "$("$OMBRE" -e 'show-options theme')" "theme mono"

# A config defining a channel must not be readable by others.
printf 'channel support telegram token-command="pass show tg/support"\n' >"$cfg"
chmod 644 "$cfg"
"$OMBRE" list >out 2>err
ok "a readable config defining a channel is refused" test $? -ne 0
like "with the chmod to run" "$(cat err)" "chmod 600"
ok "the token command is never echoed" bash -c "! grep -q 'pass show' err"
chmod 600 "$cfg"
"$OMBRE" list >out 2>err
ok "the same file at 0600 is accepted" test $? -eq 0
like "show-channels hides secrets" "$("$OMBRE" -e show-channels)" "token-command=\(hidden\)"
printf 'channel support telegram token=123:ABC\n' >"$cfg"
chmod 640 "$cfg"
"$OMBRE" list 2>err
ok "group-readable is refused too" test $? -ne 0
ok "the token is never printed" bash -c "! grep -q '123:ABC' err"
test_done
