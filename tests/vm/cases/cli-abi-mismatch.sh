# SPDX-License-Identifier: GPL-2.0
# models: one
# A colinux built for another ABI refuses the module with a clear message.
. tests/vm/lib.sh

out=$($CO_BUILD/daemon/colinux-abi-skew version 2>&1) && fail "mismatched ABI accepted: $out"
expect_in "$out" "ABI mismatch" "the error"
expect_in "$out" "speaks ABI 9999" "the error"
echo "$out"
