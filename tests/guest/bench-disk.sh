# SPDX-License-Identifier: GPL-2.0
# Guest side of make bench's disk figures: diskbench on cobd0.
diskbench /dev/vda 2
