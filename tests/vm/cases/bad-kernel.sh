# SPDX-License-Identifier: GPL-2.0
# models: one
# Kernel images that cannot work are refused with a message naming the
# problem, before anything runs.
. tests/vm/lib.sh

check() {
	out=$($COLINUX run "kernel=$1" 2>&1)
	rc=$?
	echo "$out"
	[ $rc -eq 2 ] || fail "kernel=$1: exit status $rc, expected 2"
	expect_in "$out" "$2" "the error for kernel=$1"
}

check /nonexistent/vmlinux "cannot open the kernel /nonexistent/vmlinux"
check /etc/passwd "is not an ELF file"
check /tmp "not a regular, non-empty file"
printf '\177ELF\001\001\001\000\000\000\000\000\000\000\000\000' > /tmp/elf32
check /tmp/elf32 "a 32-bit ELF"
check /bin/true "not an executable ELF"
out=$($COLINUX run 2>&1) && fail "run without a kernel worked"
expect_in "$out" "no kernel given" "the error"
