# SPDX-License-Identifier: GPL-2.0
# models: one
# 'colinux version' reports its own and the module's release and ABI.
. tests/vm/lib.sh

out=$($COLINUX version 2>&1) || fail "colinux version failed: $out"
release=$(cat VERSION)
abi=$(sed -n 's/^#define CO_ABI_VERSION[[:space:]]*//p' include/colinux/abi.h)
expect_in "$out" "colinux $release (ABI $abi)" "colinux version output"
expect_in "$out" "module  $release (ABI $abi)" "colinux version output"
echo "$out"
