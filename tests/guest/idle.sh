# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-idle: nothing runs for 6 s.
echo "idle-begin"
sleep 6
echo "idle-end"
