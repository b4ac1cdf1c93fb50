# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 300
# The guest mounts an ext4 image as cobd0, writes a 64 MiB known pattern
# into a file, syncs, unmounts and powers off: the file on the host has
# exactly those bytes and e2fsck -fn finds the filesystem clean.
. tests/vm/lib.sh

img=/tmp/disk-ext4.img
out=/tmp/disk-ext4.out
rm -f $img
truncate -s 128M $img
mkfs.ext4 -q -F $img || fail "mkfs.ext4 failed"
run_linux $out mem=256 cobd0=$img colinux.test=disk-ext4
rc=$?
cut -d' ' -f2- $out | grep -e 'disk-ext4\|pattern\|cobd\|vda\|colinux:' | tail -20
[ $rc -eq 0 ] || fail "colinux exited with $rc"
expect_in "$(cat $out)" "pattern: /mnt/pattern 64 MiB written" "the guest's output"
expect_in "$(cat $out)" "disk-ext4: unmounted" "the guest's output"
e2fsck -fn $img || fail "e2fsck -fn found problems in the image the guest wrote"
rm -f /tmp/disk-ext4.pattern
debugfs -R "dump /pattern /tmp/disk-ext4.pattern" $img 2>/dev/null
$PATTERN check /tmp/disk-ext4.pattern 64 7 || fail "the file's bytes are not the pattern"
size=$(stat -c %s /tmp/disk-ext4.pattern)
[ "$size" -eq $((64 << 20)) ] || fail "the file has $size bytes, not 64 MiB"
