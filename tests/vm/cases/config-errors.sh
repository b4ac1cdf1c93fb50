# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 120
# A bad config file is one line of error naming the file and the line,
# exit status 2, and nothing started: an unknown key, a bad value, a disk
# given twice, a line that is no key=value, a missing file, bad network
# interfaces and forwards, and colinux start of a VM with no config.
. tests/vm/lib.sh

export COLINUX_CONFIG_DIR=/tmp/ce/etc COLINUX_RUN_DIR=/tmp/ce/run COLINUX_LOG_DIR=/tmp/ce/log
rm -rf /tmp/ce && mkdir -p $COLINUX_CONFIG_DIR
good="kernel=$GUEST_KERNEL
initrd=$GUEST_INITRD"

# check NAME EXPECTED LINE...: the config NAME.conf of these lines fails so.
check() {
	local name=$1 expected=$2 out rc
	shift 2
	printf '%s\n' "$@" > $COLINUX_CONFIG_DIR/$name.conf
	for how in run start; do
		if [ $how = run ]; then
			out=$($COLINUX run -c $COLINUX_CONFIG_DIR/$name.conf 2>&1)
		else
			out=$($COLINUX start $name 2>&1)
		fi
		rc=$?
		echo "$how $name: $out (status $rc)"
		[ $rc -eq 2 ] || fail "$how $name: status $rc, expected 2"
		[ "$(echo "$out" | wc -l)" -eq 1 ] || fail "$how $name: not one line"
		expect_in "$out" "$expected" "the error of $how $name"
		[ -z "$(ls $COLINUX_RUN_DIR 2>/dev/null)" ] || fail "$how $name left $(ls $COLINUX_RUN_DIR)"
	done
	[ "$(cat /sys/module/colinux/refcnt)" = 0 ] || fail "$name: a VM was created"
}

conf=$COLINUX_CONFIG_DIR
check unknown "$conf/unknown.conf:4: unknown key 'colour'" "$good" "# comment" "colour=blue"
check badmem "$conf/badmem.conf:3: mem=lots: not a number of MiB" "$good" "mem = lots"
check twice "$conf/twice.conf:4: cobd0 is given twice (first on line 3)" "$good" \
	"cobd0=/tmp/a.img" "cobd0=/tmp/b.img"
check nokv "$conf/nokv.conf:2: expected key=value, found \"just words\"" \
	"kernel=$GUEST_KERNEL" "just words"
check net "$conf/net.conf:3: eth0=tuntap: expected eth0=tap[,ifname=NAME]" "$good" "eth0=tuntap"
check netnat "$conf/netnat.conf:3: eth1: hostfwd=tcp:1.2.3:2222-:22: expected hostfwd=tcp:ADDR:PORT-:PORT" \
	"$good" "eth1=nat,hostfwd=tcp:1.2.3:2222-:22"
check natopt "$conf/natopt.conf:3: eth1: ifname=x: expected hostfwd=RULE or mac=MAC" "$good" \
	"eth1=nat,ifname=x"
check netmac "$conf/netmac.conf:3: eth0: mac=01:00:00:00:00:01: expected a unicast address" "$good" \
	"eth0=tap,mac=01:00:00:00:00:01"
check netopt "$conf/netopt.conf:3: eth0: speed=10: expected ifname=NAME" "$good" "eth0=tap,speed=10"
check netnum "$conf/netnum.conf:3: eth8: network interfaces are eth0 to eth7" "$good" "eth8=tap"
check nettwice "$conf/nettwice.conf:4: eth2 is given twice (first on line 3)" "$good" \
	"eth2=tap" "eth02=tap,ifname=x"
check cpus "$conf/cpus.conf:3: cpus=0: expected cpus=1 to cpus=" "$good" "cpus=0"
check onoops "$conf/onoops.conf:3: on-oops=maybe: expected on-oops=panic or continue" "$good" "on-oops=maybe"

out=$($COLINUX run -c /tmp/ce/none.conf 2>&1)
[ $? -eq 2 ] || fail "a missing file: not status 2"
expect_in "$out" "/tmp/ce/none.conf: cannot read the config file: No such file or directory" "the error"
out=$($COLINUX start nosuch 2>&1)
[ $? -eq 2 ] || fail "start of a VM with no config: not status 2"
expect_in "$out" "$conf/nosuch.conf: no config file for VM nosuch" "the error"
out=$($COLINUX start ../etc 2>&1)
[ $? -eq 2 ] || fail "start of a bad name: not status 2"
expect_in "$out" "'../etc' is not a VM name" "the error"
# A missing kernel in a good file: the start fails before it detaches.
printf 'kernel=/tmp/ce/no-vmlinux\n' > $conf/nokernel.conf
out=$($COLINUX start nokernel 2>&1)
rc=$?
echo "start nokernel: $out (status $rc)"
[ $rc -eq 2 ] || fail "start of a missing kernel: status $rc, expected 2"
expect_in "$out" "/tmp/ce/no-vmlinux" "the error"
[ -z "$(ls $COLINUX_RUN_DIR)" ] || fail "the failed start left $(ls $COLINUX_RUN_DIR)"
