# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-reboot.
echo "rebooting on purpose"
reboot -f
