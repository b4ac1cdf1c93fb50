# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 240
# Data the guest wrote to cobd0 and fsync'd is on the host's disk: the
# daemon is killed with SIGKILL as soon as the guest reports the fsync
# done, and the image holds every byte.
. tests/vm/lib.sh

img=/tmp/disk-fsync.img
out=/tmp/disk-fsync.out
rm -f $img
truncate -s 64M $img
run_linux $out mem=256 cobd0=$img colinux.test=disk-fsync &
wait_for $out "pattern: fsync done" 180
pkill -KILL -x colinux
wait
echo "killed the daemon after: $(grep 'fsync done' $out)"
$PATTERN check $img 16 11 || fail "fsync'd data is missing from the image"
