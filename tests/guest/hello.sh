# Guest side of vm/linux-boot: facts the host side checks.
echo "uname: $(uname -r)"
grep MemTotal /proc/meminfo
echo "date: $(date +%s)"
