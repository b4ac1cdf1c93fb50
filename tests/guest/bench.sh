# SPDX-License-Identifier: GPL-2.0
# The micro-benchmarks of make bench, one list for every side: the
# cooperative guest runs it from its initramfs, the test host and User Mode
# Linux run this same file with the same static programs (bench/progs) on
# their PATH.  file-loop works in /tmp, a tmpfs of each system's own.
getpid-loop 200000
forkexec-loop 200
pipe-pingpong 20000
pagefault-loop 500
file-loop 2000 /tmp
cpu-job
