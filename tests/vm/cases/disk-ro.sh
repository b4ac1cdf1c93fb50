# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# A disk given with ,ro is read-only in the guest: writes to it fail, a
# read-write mount ends up read-only, and the image stays byte-identical.
. tests/vm/lib.sh

img=/tmp/disk-ro.img
out=/tmp/disk-ro.out
rm -rf $img /tmp/disk-ro.tree
mkdir -p /tmp/disk-ro.tree
echo "hello from the host" > /tmp/disk-ro.tree/hello
truncate -s 32M $img
mkfs.ext4 -q -F -d /tmp/disk-ro.tree $img || fail "mkfs.ext4 failed"
sum=$(sha256sum < $img)
run_linux $out mem=256 cobd0=$img,ro colinux.test=disk-ro
rc=$?
cut -d' ' -f2- $out | grep -e 'disk-ro\|hello' | tail
[ $rc -eq 0 ] || fail "colinux exited with $rc"
text=$(cat $out)
expect_in "$text" "disk-ro: getro 1" "the guest's output"
expect_in "$text" "disk-ro: a write to /dev/vda failed" "the guest's output"
expect_in "$text" "disk-ro: mounted ro" "the guest's output"
expect_in "$text" "hello from the host" "the guest's output"
case "$text" in *"mounted rw"*|*"created a file"*|*"write to /dev/vda succeeded"*)
	fail "the guest wrote to a read-only disk" ;;
esac
[ "$(sha256sum < $img)" = "$sum" ] || fail "the read-only image changed"
