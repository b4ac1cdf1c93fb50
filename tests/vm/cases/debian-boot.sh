# SPDX-License-Identifier: GPL-2.0
# models: one
# timeout: 1500
# Debian 12 from make rootfs (the test image adds gcc and python3) boots
# from root=/dev/cobd0 with systemd to a login prompt on the console; root
# logs in (scripted), the system is up, the user's tools work (on two
# CPUs: make -j2 of a small C project), 32-bit programs and modify_ldt
# work, the kernel is locked down; a file written
# in the first boot is there in the second (a named VM in the background,
# from a config file, its console attached twice, stopped by its power
# button: systemd's shutdown is in its log), and the image is clean.
. tests/vm/lib.sh

img=/tmp/debian.img
progs=/tmp/debian-progs.img
# The consoles go to the run directory (/tmp/co-out), kept after the run.
log=/tmp/co-out/debian-boot
token=persist-$$-$RANDOM
session="python3 tests/vm/console-session.py"
cp --sparse=always $CO_BUILD/rootfs/debian-12-test.img $img ||
	fail "no test image: make tests builds build/rootfs/debian-12-test.img"
rm -rf /tmp/debian-progs.tree && mkdir /tmp/debian-progs.tree
cp $CO_BUILD/tests/debian-progs/* $CO_BUILD/tests/guest-modules/colinux_hello-*.ko /tmp/debian-progs.tree/
# A small C project for make -j2: four objects, one program.
mkdir /tmp/debian-progs.tree/proj
for i in 1 2 3 4; do
	printf 'int part%d(int x)\n{\n\treturn x * %d;\n}\n' $i $i > /tmp/debian-progs.tree/proj/part$i.c
done
cat > /tmp/debian-progs.tree/proj/main.c <<'C'
#include <stdio.h>
int part1(int), part2(int), part3(int), part4(int);
int main(void)
{
	printf("proj: %d\n", part1(1) + part2(1) + part3(1) + part4(1));
	return 0;
}
C
printf 'proj: main.o part1.o part2.o part3.o part4.o\n\t$(CC) -o $@ $^\n' > /tmp/debian-progs.tree/proj/Makefile
truncate -s 32M $progs
mkfs.ext4 -q -F -d /tmp/debian-progs.tree $progs || fail "mkfs.ext4 -d failed"

cat > $log.first <<CMDS
systemctl is-system-running --wait
systemctl --failed --no-legend --plain
stty size
@resize 40 120
stty size
systemd-analyze time
cat /sys/kernel/security/lockdown
apt-get --version | head -1
mount -o ro /dev/vdb /mnt
gcc -Wall -O2 -o /root/mqueue /mnt/mqueue.c && /root/mqueue
nproc
cp -r /mnt/proj /root/proj && make -C /root/proj -j2 && /root/proj/proj
python3 /mnt/hello.py
/mnt/hello32
/mnt/ldt
insmod /mnt/colinux_hello-signed.ko && grep -q '^colinux_hello ' /proc/modules && rmmod colinux_hello && echo signed-module-ok
insmod /mnt/colinux_hello-unsigned.ko
head -c 16 /dev/mem | od -x
python3 -c 'import ctypes, os; r = ctypes.CDLL(None, use_errno=True).syscall(246, 0, 0, 0, 0); print("kexec_load", "allowed" if r == 0 else "refused: " + os.strerror(ctypes.get_errno()))'
umount /mnt
echo $token > /root/persist && sync
CMDS
$session $log.first.log $log.first -- $COLINUX run kernel=$GUEST_KERNEL mem=512 cpus=2 \
	cobd0=$img cobd1=$progs,ro root=/dev/cobd0 rw
rc=$?
tr -d '\r' < $log.first.log > $log.first.out
grep -A3 -e '^co-prompt> ' $log.first.out | head -80
[ $rc -eq 0 ] || fail "first boot: colinux exited with $rc"
text=$(cat $log.first.out)
# Each command's output, then its status (console-session.py's marker).
expect_in "$text" "login: " "the console"
expect_in "$text" "$(printf 'running\nco-status=0')" "systemctl is-system-running"
# The console has the terminal's size (console-session.py starts at 50x200:
# the guest got it at boot, before getty opened hvc0) and follows its
# resize (SIGWINCH to colinux run).
expect_in "$text" "$(printf '50 200\nco-status=0')" "stty size at login"
expect_in "$text" "$(printf '40 120\nco-status=0')" "stty size after the terminal's resize"
expect_in "$text" "none [integrity] confidentiality" "the lockdown level"
expect_in "$text" "apt 2.6" "apt-get --version"
expect_in "$text" "$(printf "mqueue: received 'hello through /colinux-test'\nco-status=0")" "the C program"
expect_in "$text" "$(printf '2\nco-status=0')" "nproc with cpus=2"
expect_in "$text" "$(printf 'proj: 10\nco-status=0')" "make -j2 of the small C project"
expect_in "$text" "python3: 3.11" "the python3 script"
expect_in "$text" "sum of squares 1..100 = 338350" "the python3 script"
expect_in "$text" "$(printf 'hello32: int $0x80 works\nhello32: __kernel_vsyscall works\nco-status=32')" "the 32-bit program"
expect_in "$text" "%gs:0 reads 0xc011ab5e" "the modify_ldt program"
expect_in "$text" "signed-module-ok" "insmod of the signed module"
expect_in "$text" "colinux_hello-unsigned.ko: Operation not permitted" "insmod of the unsigned module"
expect_in "$text" "'/dev/mem' for reading: No such file or directory" "reading /dev/mem"
expect_in "$text" "kexec_load refused: " "kexec_load (syscall 246)"

# The second boot: a named VM from a config file, in the background; its
# console attached on a pty, detached, attached again; stopped with its
# power button, which systemd answers with an orderly shutdown.
export COLINUX_CONFIG_DIR=/tmp/deb/etc COLINUX_RUN_DIR=/tmp/deb/run COLINUX_LOG_DIR=/tmp/deb/log
rm -rf /tmp/deb && mkdir -p $COLINUX_CONFIG_DIR
trap 'for p in $(awk -F= "/^pid=/ { print \$2 }" $COLINUX_RUN_DIR/*.state 2>/dev/null); do kill -9 $p; done' EXIT
cat > $COLINUX_CONFIG_DIR/deb.conf <<CONF
# Debian 12 from make rootfs
kernel=$GUEST_KERNEL
mem=512
cobd0=$img
root=/dev/cobd0
cmdline=rw
CONF
attach="python3 tests/vm/console-attach.py $log.second.log"
$COLINUX start deb || fail "start deb"
wait_for $COLINUX_LOG_DIR/deb.log "login: " 600
$attach 'expect:login: ' 'send:root\r' 'expect:# ' 'send:cat /root/persist\r' \
	"expect:$token" detach -- $COLINUX console deb || fail "the first attach to deb"
$attach "expect:$token" 'send:systemctl is-system-running --wait\r' 'expect:running' detach \
	-- $COLINUX console deb || fail "the second attach to deb"
$COLINUX list
out=$($COLINUX stop deb --timeout 300 2>&1) || fail "stop deb: $out"
tr -d '\r' < $COLINUX_LOG_DIR/deb.log > $log.second.out
tail -15 $log.second.out
text=$(cat $log.second.out)
expect_in "$text" "power button: shutting down" "deb's console log"
expect_in "$text" "Reached target" "deb's console log"
expect_in "$text" "reboot: Power down" "deb's console log"
expect_in "$text" "deb: stopped with status 0" "deb's console log"
e2fsck -fn $img || fail "e2fsck -fn found problems in the image after two boots"
rm -f $img $progs
