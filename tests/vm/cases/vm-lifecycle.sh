# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 600
# Named VMs in the background (busybox guest): start from a config file,
# list, attach the console on a pty, detach, attach again and see the
# earlier output (scrollback) and the pty's size in the guest, a second
# attach refused while one is attached, pause and
# resume (the guest's clock right afterwards), two VMs at once, kill -9 of
# one daemon (list forgets it, the other lives, its name starts again),
# stop by the power button (the guest's shutdown in the console log), kill.
. tests/vm/lib.sh

export COLINUX_CONFIG_DIR=/tmp/lc/etc COLINUX_RUN_DIR=/tmp/lc/run COLINUX_LOG_DIR=/tmp/lc/log
rm -rf /tmp/lc
mkdir -p $COLINUX_CONFIG_DIR
attach="python3 tests/vm/console-attach.py /tmp/lc/attach.log"
for name in bb bb2; do
	cat > $COLINUX_CONFIG_DIR/$name.conf <<-CONF
	# the busybox guest of make run
	kernel = $GUEST_KERNEL
	initrd = $GUEST_INITRD
	mem = 256
	cmdline = "colinux.lc=$name"
	CONF
done

# A failed step must not leave a VM holding the module.
trap 'for p in $(awk -F= "/^pid=/ { print \$2 }" $COLINUX_RUN_DIR/*.state 2>/dev/null); do kill -9 $p; done' EXIT

state_of() {
	$COLINUX list | awk -v n="$1" '$1 == n { print $2 }'
}
pid_of() {
	$COLINUX list | awk -v n="$1" '$1 == n { print $3 }'
}

out=$($COLINUX start bb 2>&1) || fail "start bb: $out"
echo "$out"
expect_in "$out" "bb runs (pid" "start's message"
wait_for $COLINUX_LOG_DIR/bb.log "userland up" 120
$COLINUX list
[ "$(state_of bb)" = running ] || fail "list does not show bb running"
out=$($COLINUX start bb 2>&1) && fail "a second start bb worked: $out"
expect_in "$out" "bb is already running (pid $(pid_of bb))" "the second start's error"

# First attach: a command and its output; then detach.
$attach 'expect:userland up' 'send:\r' 'expect:# ' \
	'send:echo first-$((6*7))-attach\r' 'expect:first-42-attach' \
	'send:cat /proc/cmdline\r' 'expect:colinux.lc=bb' detach \
	-- $COLINUX console bb || fail "the first attach"
[ "$(state_of bb)" = running ] || fail "bb stopped when the console detached"
# Second attach: the earlier output is shown again; the pty's size is the guest's.
$attach 'expect:first-42-attach' 'send:stty size\r' 'expect:30 100' \
	'send:echo second-$((7*7))\r' 'expect:second-49' detach \
	-- $COLINUX console bb || fail "the second attach"
expect_in "$(cat $COLINUX_LOG_DIR/bb.log)" "second-49" "the console log"
# While one terminal is attached, a second attach is refused and says why;
# the first goes on.
python3 tests/vm/console-attach.py /tmp/lc/holder.log 'send:\r' 'expect:# ' \
	'send:sleep 8; echo holder-$((8*8))\r' 'expect:holder-64' detach \
	-- $COLINUX console bb > /tmp/lc/holder.out 2>&1 &
holder=$!
wait_for /tmp/lc/holder.log "sleep 8" 60
python3 tests/vm/console-attach.py /tmp/lc/second.log \
	"expect:bb: its console is attached elsewhere: one 'colinux console bb' at a time" 'exit:1' \
	-- $COLINUX console bb || fail "a second attach was not refused: $(cat /tmp/lc/second.log)"
tr -d "\r" < /tmp/lc/second.log
wait $holder || fail "the first attach did not go on: $(cat /tmp/lc/holder.out /tmp/lc/holder.log)"

# Paused: no CPU time goes by, the state says so; resumed, the guest's clock is right.
$COLINUX pause bb || fail "pause"
[ "$(state_of bb)" = paused ] || fail "list does not show bb paused: $($COLINUX list)"
sleep 4
$COLINUX resume bb || fail "resume"
[ "$(state_of bb)" = running ] || fail "list does not show bb running again"
host_before=$(date +%s)
$attach 'send:echo guest-clock-$(date +%s)-end\r' 'expect:guest-clock-\d+-end' detach \
	-- $COLINUX console bb || fail "the clock attach"
host_after=$(date +%s)
guest=$(grep -o 'guest-clock-[0-9]*-end' /tmp/lc/attach.log | tail -1 | tr -dc 0-9)
echo "clock after a 4 s pause: host $host_before..$host_after, guest $guest"
[ "$guest" -ge $((host_before - 2)) ] && [ "$guest" -le $((host_after + 2)) ] ||
	fail "the guest's clock is off after the pause: $guest vs $host_before..$host_after"

# Two VMs; kill -9 of one daemon.
$COLINUX start bb2 || fail "start bb2"
wait_for $COLINUX_LOG_DIR/bb2.log "userland up" 120
$COLINUX list
pid2=$(pid_of bb2)
kill -9 "$pid2"
for i in $(seq 100); do
	[ -d /proc/$pid2 ] || break
	sleep 0.1
done
$COLINUX list
[ -z "$(state_of bb2)" ] || fail "list still shows bb2 after kill -9"
[ ! -e $COLINUX_RUN_DIR/bb2.state ] || fail "bb2's stale state file is still there"
[ "$(state_of bb)" = running ] || fail "bb died with bb2"
: > $COLINUX_LOG_DIR/bb2.log
$COLINUX start bb2 || fail "bb2 does not start again after kill -9"
wait_for $COLINUX_LOG_DIR/bb2.log "userland up" 120
$COLINUX kill bb2 || fail "kill bb2"
[ -z "$(state_of bb2)" ] || fail "bb2 runs after colinux kill"

# stop: the power button; the guest shuts down in order.
out=$($COLINUX stop bb --timeout 120 2>&1) || fail "stop bb: $out"
echo "$out"
[ -z "$(state_of bb)" ] || fail "bb still runs after stop"
log=$(cat $COLINUX_LOG_DIR/bb.log)
expect_in "$log" "power button: shutting down" "bb's log"
expect_in "$log" "reboot: Power down" "bb's log"
expect_in "$log" "bb: stopped with status 0" "bb's log"
out=$($COLINUX stop bb 2>&1) && fail "stop of a stopped VM worked"
expect_in "$out" "bb is not running" "stop's error"
echo "lifecycle: ok"
