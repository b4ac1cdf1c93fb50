# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/disk-poll: O_DIRECT reads and writes on cobd0 (diskbench,
# 1 s a figure), whose 4 KiB reads at queue depth 1 keep the vCPU going
# idle for a moment while each one is served.
diskbench /dev/vda 1
