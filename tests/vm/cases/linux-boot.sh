# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# Linux boots as the guest with the project's busybox initramfs, and from
# its own output: uname is the guest kernel, /proc/meminfo shows the RAM
# given, sleep 2 takes 2 s of host time, date advances and matches the
# host's clock, fork/exec/signals/FPU work, every kernel log line reached
# the console, and poweroff ends colinux with status 0.
. tests/vm/lib.sh

out=/tmp/linux-boot.out
run_linux $out mem=256 colinux.test=boot
rc=$?
cut -d' ' -f2- $out | grep -v -e '^dmesg' | tail -40
[ $rc -eq 0 ] || fail "colinux exited with $rc after the guest powered off"

release=$(cat $CO_BUILD/guest/obj/include/config/kernel.release)
expect_in "$(cat $out)" "uname: $release" "the guest's uname -r"
kb=$(sed -n 's/.*MemTotal: *\([0-9]*\) kB/\1/p' $out)
[ "${kb:-0}" -gt $((256 * 1024 * 85 / 100)) ] && [ "$kb" -le $((256 * 1024)) ] ||
	fail "MemTotal ${kb:-?} kB for 256 MiB of guest RAM"

slept=$(( $(line_time $out sleep-end) - $(line_time $out sleep-begin) ))
echo "sleep 2 took $slept ms of host time"
within $slept 2000 15 || fail "sleep 2 took $slept ms of host time"

host_s=$(( $(line_time $out date1:) / 1000 ))
date1=$(sed -n 's/.*date1: //p' $out)
date2=$(sed -n 's/.*date2: //p' $out)
echo "guest date $date1 vs host $host_s; then $date2"
[ $(( date1 - host_s )) -le 2 ] && [ $(( host_s - date1 )) -le 2 ] ||
	fail "the guest's date $date1 is not the host's $host_s"
[ "$date2" -ge $((date1 + 2)) ] || fail "the guest's date did not advance"

for check in fork+exec signals fpu; do
	expect_in "$(cat $out)" "selftest: $check ok" "the self-test"
done

# No lost lines: everything the guest's log holds at a level the console
# shows (all but debug, <7>) reached the console.
sed -n '/ dmesg-begin$/,/ dmesg-end$/p' $out | cut -d' ' -f2- | sed '1d;$d' |
	grep -v '^<7>' > /tmp/dmesg
console=$(sed -n '1,/ dmesg-begin$/p' $out | cut -d' ' -f2-)
lost=0
while IFS= read -r line; do
	text=${line#<*>}
	text=${text#\[*\] }
	case "$console" in *"$text"*) ;; *) lost=$((lost + 1)); echo "lost: $line" ;; esac
done < /tmp/dmesg
echo "$(wc -l < /tmp/dmesg) kernel log lines, $lost missing from the console"
[ $lost -eq 0 ] || fail "$lost kernel log lines never reached the console"
expect_in "$console" "Linux version $release" "the console"
