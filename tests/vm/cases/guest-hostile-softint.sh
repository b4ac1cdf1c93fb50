# SPDX-License-Identifier: GPL-2.0
# timeout: 400
# A guest "int $n" on a vector the passage owns (2, 18 and 32..255: the
# host's NMI, machine check, device, IPI and system vectors, the reboot
# vector 0xf8 among them, and 0x80 while the guest has no gate of its own
# there) looks like a host event.  Each one must stop the guest with a
# report naming the vector, replay nothing into the host, and leave every
# host CPU online.  Odd vectors run with an IDT of the guest's own (which
# does not change who owns those vectors).  Two guests at a time, one per
# CPU.  Every vector with CO_SWEEP=full (make check-long, first model); else
# a sample: the NMI, #MC, the first device vectors, 0x80, the local
# timer, every system vector 0xf0-0xff, and every eighth vector between.
. tests/vm/lib.sh

one() {
	v=$1
	hex=$(printf '%x' $v)
	out=$($COLINUX run kernel=$TESTGUEST mem=128 test=softint vector=$v idt=$((v % 2)) 2>&1)
	rc=$?
	if [ $rc -ne 125 ] || ! echo "$out" | grep -q "int \$0x$hex)"; then
		echo "$out"
		echo "BAD int \$0x$hex: status $rc, expected 125 and a report naming the vector"
	else
		echo "ok $v"
	fi
}
export -f one
export COLINUX TESTGUEST
if [ "${CO_SWEEP:-full}" = full ]; then
	vectors="2 18 $(seq 32 255)"
else
	vectors=$(printf '%s\n' 2 18 49 63 128 236 $(seq 32 8 255) $(seq 240 255) | sort -nu)
fi
total=$(echo $vectors | wc -w)
results=$(printf '%s\n' $vectors | xargs -P 2 -I{} bash -c 'one {}')
echo "$results" | grep -v '^ok ' 
ok=$(echo "$results" | grep -c '^ok ')
echo "$ok of $total vectors stopped the guest with a report"
[ "$ok" = "$total" ] || fail "some guest software interrupts were not stopped"
[ "$(cat /sys/devices/system/cpu/online)" = "0-1" ] || fail "a host CPU went offline"
if dmesg | grep -E "NMI received for unknown reason|Uhhuh|reboot|spurious"; then
	fail "a guest int reached a host handler"
fi
true
