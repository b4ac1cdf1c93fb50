# SPDX-License-Identifier: GPL-2.0
# Guest side of make bench: the same programs the host runs.
getpid-loop 200000
forkexec-loop 200
cpu-job
