# SPDX-License-Identifier: GPL-2.0
# models: one
# kernel: debian
# The colinux.ko that the colinux-dkms package's DKMS build made (kept by
# the packaging/deb check) loads, and the packaged colinux runs a guest on it.
# module: dkms/colinux
. tests/vm/lib.sh

kept=$CO_BUILD/tests/modules/$CO_KREL/dkms
[ -x "$kept/colinux" ] || fail "no packaged colinux in $kept: run python3 tests/run.py --only packaging/deb first"
grep -q "^colinux " /proc/modules || fail "the DKMS module is not loaded"
out=$("$kept/colinux" version 2>&1) || fail "colinux version failed: $out"
release=$(cat VERSION)
expect_in "$out" "module  $release (ABI" "colinux version output"
echo "$out"
out=$("$kept/colinux" run kernel=$TESTGUEST test=hello status=7 2>&1)
rc=$?
echo "$out"
[ $rc -eq 7 ] || fail "exit status $rc, expected 7 (the guest's power-off status)"
expect_in "$out" "hello from the cooperative test guest" "the guest's output"
