# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 300
# colinux@.service's own lines, run as systemd would run them for
# colinux@svc (the test host has no systemd): the condition holds for
# svc's config file, ExecStart is the VM's main process itself (Type=simple:
# it must not fork away), ExecStop presses the power button and returns
# once the guest is down, and the main process then ends with a status in
# SuccessExitStatus, before TimeoutStopSec.  The config directory is the
# test's own (COLINUX_CONFIG_DIR), /etc/colinux on a real host.
. tests/vm/lib.sh

unit=packaging/colinux@.service
name=svc
export COLINUX_CONFIG_DIR=/tmp/su/etc COLINUX_RUN_DIR=/tmp/su/run COLINUX_LOG_DIR=/tmp/su/log
rm -rf /tmp/su && mkdir -p $COLINUX_CONFIG_DIR
cat > $COLINUX_CONFIG_DIR/$name.conf <<CONF
kernel = $GUEST_KERNEL
initrd = $GUEST_INITRD
mem = 256
CONF
trap 'kill -9 $main 2>/dev/null' EXIT

# KEY's value in the unit, for colinux@svc, with this build's colinux.
line() {
	sed -n "s/^$1=//p" $unit | sed "s/%i/$name/g; s|/usr/bin/colinux|$COLINUX|; s|/etc/colinux|$COLINUX_CONFIG_DIR|"
}
[ "$(line Type)" = simple ] || fail "the unit is not Type=simple: '$(line Type)'"
cond=$(line ConditionPathExists)
[ -e "$cond" ] || fail "ConditionPathExists=$cond does not hold for $name"
# ExecStartPre's leading '-': its failure is ignored (the module is loaded here).
pre=$(line ExecStartPre)
case "$pre" in -*) ${pre#-} || echo "ExecStartPre failed (ignored, as systemd would)" ;; *) $pre || fail "ExecStartPre failed" ;; esac
start=$(line ExecStart)
echo "ExecStart: $start"
$start > /tmp/su/main.out 2>&1 &
main=$!
wait_for $COLINUX_LOG_DIR/$name.log "userland up" 120
listed=$($COLINUX list | awk -v n=$name '$1 == n { print $2, $3 }')
echo "list: $listed"
[ "$listed" = "running $main" ] ||
	fail "list says '$listed': the VM is not ExecStart's process $main (running)"

stop=$(line ExecStop)
echo "ExecStop: $stop"
t0=$(date +%s)
out=$($stop 2>&1) || fail "ExecStop failed: $out"
echo "$out"
for i in $(seq 50); do
	kill -0 $main 2>/dev/null || break
	sleep 0.1
done
kill -0 $main 2>/dev/null && fail "the main process lives on after ExecStop returned"
wait $main
rc=$?
echo "main process: status $rc after $(( $(date +%s) - t0 )) s"
limit=$(line TimeoutStopSec)
[ $(( $(date +%s) - t0 )) -lt "$limit" ] || fail "the stop took longer than TimeoutStopSec=$limit"
case " $(line SuccessExitStatus) " in
*" $rc "*) ;;
*) fail "the main process ended with $rc, not in SuccessExitStatus=$(line SuccessExitStatus)" ;;
esac
log=$(cat $COLINUX_LOG_DIR/$name.log)
expect_in "$log" "power button: shutting down" "the VM's console log"
expect_in "$log" "reboot: Power down" "the VM's console log"
[ -z "$($COLINUX list | awk -v n=$name '$1 == n')" ] || fail "list still shows $name"
