# SPDX-License-Identifier: GPL-2.0
# Guest side of vm/linux-panic.
echo "panicking on purpose"
echo c > /proc/sysrq-trigger
echo "still running after the panic"
