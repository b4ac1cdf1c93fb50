# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-idle: nothing runs for 7 s.
echo "idle-begin"
sleep 7
echo "idle-end"
