# SPDX-License-Identifier: GPL-2.0
# models: one
# Only root may open /dev/colinux, even when the node's mode is relaxed.
. tests/vm/lib.sh

out=$(as_nobody $COLINUX version 2>&1) && fail "a non-root user opened /dev/colinux"
expect_in "$out" "needs root" "the error for a non-root user"
echo "$out"

# Mode 0666 must not let a non-root user in: open() also checks CAP_SYS_ADMIN.
chmod 0666 /dev/colinux
out=$(as_nobody $PROGS/open-device /dev/colinux 2>&1)
rc=$?
chmod 0600 /dev/colinux
[ $rc -ne 0 ] || fail "open succeeded for nobody with mode 0666: $out"
expect_in "$out" "Operation not permitted" "open as nobody with mode 0666"
echo "$out"
