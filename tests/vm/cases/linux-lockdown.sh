# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 300
# Root in the guest cannot reach ring 0 by default: the guest boots in
# lockdown (integrity) mode and takes only modules signed with the build's
# key; lockdown=off (for kernel developers) takes unsigned ones; a bad
# lockdown= value is refused before the guest starts.
. tests/vm/lib.sh

mods=$CO_BUILD/tests/guest-modules
img=/tmp/lockdown-modules.img
tree=/tmp/lockdown-modules.tree
out=/tmp/linux-lockdown.out
rm -rf $img $tree
mkdir -p $tree
cp $mods/colinux_hello-signed.ko $mods/colinux_hello-unsigned.ko $mods/colinux_hello-foreign.ko $tree/ ||
	fail "the guest test modules are not built (make -C tests guest-modules)"
truncate -s 16M $img
mkfs.ext4 -q -F -d $tree $img || fail "mkfs.ext4 -d failed"

run_linux $out colinux.test=lockdown cobd0=$img,ro
rc=$?
grep -e 'lockdown\|colinux_hello\|signature' $out | cut -d' ' -f2-
[ $rc -eq 0 ] || fail "default: colinux exited with $rc"
text=$(cat $out)
expect_in "$text" "lockdown: level none [integrity] confidentiality" "the default guest"
expect_in "$text" "lockdown: debugfs write refused" "the default guest"
expect_in "$text" "lockdown: signed module loaded" "the default guest"
expect_in "$text" "colinux_hello: loaded" "the default guest's kernel log"
expect_in "$text" "lockdown: unsigned module refused" "the default guest"
expect_in "$text" "lockdown: foreign module refused" "the default guest"
grep -q "/dev/mem exists" $out && fail "the guest has /dev/mem"

run_linux $out colinux.test=lockdown cobd0=$img,ro lockdown=off
rc=$?
grep -e 'lockdown' $out | cut -d' ' -f2-
[ $rc -eq 0 ] || fail "lockdown=off: colinux exited with $rc"
text=$(cat $out)
expect_in "$text" "lockdown: level [none] integrity confidentiality" "the lockdown=off guest"
expect_in "$text" "lockdown: signed module loaded" "the lockdown=off guest"
expect_in "$text" "lockdown: unsigned module loaded" "the lockdown=off guest"

msg=$($COLINUX run kernel=$GUEST_KERNEL lockdown=none 2>&1)
rc=$?
[ $rc -eq 2 ] || fail "lockdown=none: colinux exited with $rc, expected 2: $msg"
expect_in "$msg" "lockdown=none: expected lockdown=integrity" "the error for lockdown=none"
true
