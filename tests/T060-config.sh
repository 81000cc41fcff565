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

# A file others can write is never run, secrets or not (ssh's StrictModes):
# net.ca-file or a `source` there would be anyone's.
printf 'set list.limit 7\n' >"$cfg"
chmod 646 "$cfg"
"$OMBRE" -e 'show-options list.limit' >out 2>err
ok "a world-writable config is refused" test $? -ne 0
like "naming the file and the chmod to run" "$(cat err)" "config is writable by other users.*chmod go-w '$cfg'"
is "and nothing of it ran" "$(cat out)" ""
chmod 664 "$cfg"
chgrp users "$cfg"
"$OMBRE" -e 'show-options list.limit' >out 2>err
ok "group-writable with a shared group is refused" test $? -ne 0
like "naming the group" "$(cat err)" "writable by its group"
chgrp "$(id -gn)" "$cfg"
is "group-writable with the owner's private group is accepted" \
    "$("$OMBRE" -e 'show-options list.limit' 2>&1)" "list.limit 7"
chmod 644 "$cfg"
chgrp users "$cfg"
is "a shared group that cannot write is fine" \
    "$("$OMBRE" -e 'show-options list.limit' 2>&1)" "list.limit 7"
printf 'source %s/more.conf\n' "$TEST_DIR" >"$cfg"
printf 'set net.ca-file /tmp/evil.pem\n' >more.conf
chmod 666 more.conf
"$OMBRE" -e 'show-options net.ca-file' >out 2>err
ok "a world-writable sourced file is refused" test $? -ne 0
like "naming that file" "$(cat err)" "more.conf is writable by other users"
unlike "its settings never applied" "$(cat out)" "evil"
test_done
