# SPDX-License-Identifier: GPL-2.0
# models: max EPYC
# memory: 4G
# timeout: 360
# (Both host paging depths, 5-level on max and 4-level on EPYC; Skylake's
# page-table isolation does not touch how guest RAM is held and mapped.)
# The same guest boots with 128 MiB and with 2 GiB of RAM, and sees it.
. tests/vm/lib.sh

for mib in 128 2048; do
	out=/tmp/linux-ram-$mib.out
	run_linux $out mem=$mib colinux.test=boot
	rc=$?
	grep MemTotal $out
	[ $rc -eq 0 ] || fail "mem=$mib: colinux exited with $rc: $(tail -5 $out)"
	kb=$(sed -n 's/.*MemTotal: *\([0-9]*\) kB/\1/p' $out)
	[ "${kb:-0}" -gt $((mib * 1024 * 85 / 100)) ] && [ "$kb" -le $((mib * 1024)) ] ||
		fail "MemTotal ${kb:-?} kB for $mib MiB"
done
