#!/usr/bin/env bash
#
# The receiver killed between a payload's fsync and its 200 (issue 13):
# the shim (tests/helpers/enospc.c, OMBRE_KILL_AFTER_SPOOL) SIGKILLs
# `ombre webhook` just after its Nth payload reached the spool, N random
# from a seed, 200 times. As Meta does, what got no 200 is POSTed again,
# and answered ones are redelivered too, in shuffled order. Then the
# syncer takes the spool: every message stored once, none lost, the
# spool empty. OMBRE_SEED replays a run; OMBRE_KILL_RUNS changes the
# count.

. "$top_srcdir/tests/lib.sh"
test_init
command -v "$PYTHON" >/dev/null || skip_all "python3 is not installed"
SHIM=$top_builddir/tests/helpers/enospc.so
[ -f "$SHIM" ] || skip_all "the shim tests/helpers/enospc.so is not built"

DATA=$XDG_DATA_HOME/ombre
mkdir -p "$XDG_CONFIG_HOME/ombre"
CONFIG=$XDG_CONFIG_HOME/ombre/config
cat >"$CONFIG" <<'CONF'
channel shop whatsapp phone-number-id=106540352242922 token=wa-T0KEN app-secret=s3cr3t api-url=http://127.0.0.1:9
CONF
chmod 600 "$CONFIG"
SEED=${OMBRE_SEED:-$RANDOM}
RUNS=${OMBRE_KILL_RUNS:-200}
diag "seed $SEED, $RUNS kills (OMBRE_SEED=$SEED replays it)"

cat >kill.py <<'PY'
import hashlib, hmac, http.client, json, os, random, socket, subprocess, sys, time
ombre, shim, data, seed, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
PHONE = "106540352242922"

def payload(ids):
    msgs = [{"from": "1631555%04d" % (i % 7), "id": "wamid.K%05d" % i,
             "timestamp": str(1767225600 + i), "type": "text",
             "text": {"body": "message %d" % i}} for i in ids]
    contacts = [{"profile": {"name": "Customer %d" % (i % 7)},
                 "wa_id": "1631555%04d" % (i % 7)} for i in ids]
    return json.dumps({"object": "whatsapp_business_account", "entry": [{
        "id": "102290129340398", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "15550783881",
                         "phone_number_id": PHONE},
            "contacts": contacts, "messages": msgs}}]}]}).encode()

# 60 payloads: most carry one message, every fifth two (batched).
bodies, expected, n = [], set(), 0
for p in range(60):
    ids = [n, n + 1] if p % 5 == 0 else [n]
    n += len(ids)
    bodies.append(payload(ids))
    expected.update("wamid.K%05d" % i for i in ids)

def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close()
    return port

def start(kill_at):
    port = free_port()
    env = dict(os.environ, LD_PRELOAD=shim, OMBRE_ENOSPC_DIR=data,
               OMBRE_KILL_AFTER_SPOOL=str(kill_at),
               ASAN_OPTIONS="verify_asan_link_order=0:" + os.environ.get("ASAN_OPTIONS", ""))
    log = open("webhook.log", "ab")
    proc = subprocess.Popen([ombre, "webhook", "--listen", "127.0.0.1:%d" % port],
                            env=env, stderr=log, stdout=subprocess.DEVNULL)
    for _ in range(250):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.02)
    proc.kill(); proc.wait()
    return None, None

def post(port, body):
    sig = "sha256=" + hmac.new(b"s3cr3t", body, hashlib.sha256).hexdigest()
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        c.request("POST", "/webhook/shop", body=body, headers={
            "Content-Type": "application/json", "X-Hub-Signature-256": sig})
        return c.getresponse().status
    except (OSError, http.client.HTTPException):
        return None
    finally:
        c.close()

pending = set(range(len(bodies)))
kills = posts = 0
for run in range(runs):
    # What is pending, and some already answered (redeliveries), shuffled.
    order = list(pending) + rng.sample(range(len(bodies)), 3)
    rng.shuffle(order)
    proc, port = start(rng.randint(1, min(4, len(order))))
    if proc is None:
        print("# the receiver did not start"); sys.exit(1)
    for i in order:
        posts += 1
        status = post(port, bodies[i])
        if status == 200:
            pending.discard(i)
        elif status is None:
            break
        else:
            print("# unexpected status %s" % status); sys.exit(1)
    if proc.poll() is None:
        proc.kill()
    if proc.wait() == -9 and posts > 0:
        kills += 1
# What is still pending goes to a receiver that is not killed.
proc, port = start(10 ** 9)
for i in sorted(pending):
    if post(port, bodies[i]) != 200:
        print("# a last delivery failed"); sys.exit(1)
proc.terminate(); proc.wait()
print(kills, posts)
with open("expected", "w") as f:
    f.write("\n".join(sorted(expected)) + "\n")
PY

out=$("$PYTHON" -S kill.py "$OMBRE" "$SHIM" "$DATA" "$SEED" "$RUNS")
read -r kills posts <<<"$out"
ok "killed after storing a payload in every one of $RUNS runs ($kills kills, $posts POSTs)" \
    test "${kills:-0}" -eq "$RUNS"
spooled=$(find "$DATA/webhook/spool" -type f | wc -l)
ok "the spool holds every payload at least once ($spooled files for 60 payloads)" \
    test "$spooled" -ge 60

"$OMBRE" sync --once >sync.out 2>sync.err
ok "ombre sync --once takes the spool and exits 0" test $? -eq 0
is "the spool is empty afterwards" "$(find "$DATA/webhook/spool" -type f | wc -l)" 0
nm search --output=messages 'property:ombre.kind=customer' >ids
is "72 messages stored, no duplicate" "$(wc -l <ids) $(sort -u ids | wc -l)" "72 72"
# id:wa.ACCOUNT.CONV.ID@ombre, ID's dots written =2E: the wamid back.
"$PYTHON" -S -c '
import re, sys
for line in sys.stdin:
    native = line.strip().rsplit("@", 1)[0].split(".")[-1]
    print(re.sub("=([0-9A-F]{2})", lambda m: chr(int(m.group(1), 16)), native))' <ids | sort >got
is "none lost: every wamid of the 60 payloads is there" \
    "$(comm -3 expected got | head -3)" ""
is "nothing quarantined" "$(find "$DATA/sync/quarantine" -type f 2>/dev/null | wc -l)" 0

test_done
