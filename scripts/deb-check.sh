#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages build, pass lintian, install and remove cleanly.
#
# make deb builds colinux and colinux-dkms; lintian must report no error or
# warning.  They are installed with dpkg -i into a scratch root: this
# machine's root under a copy-on-write overlay in a private mount
# namespace, so that the maintainer scripts run for real (the DKMS build for
# every kernel that has headers) and nothing reaches the real root.  The
# installed files must work there: colinux --help, the systemd unit verified
# by systemd-analyze (its binary and man pages present), and DKMS must have
# built and installed colinux.ko for the test host's kernel.  That module is
# kept for vm/dkms-module, which loads it in the test host.  Then dpkg
# --purge must remove the module and the source.  Exits 1 with what failed.
set -e
cd "$(dirname "$0")/.."
top=$(pwd)
version=$(cat VERSION)
krel=$(python3 tests/testhost.py --release)
debs=$top/build/deb
work=$top/build/deb-check
kept=$top/build/tests/modules/$krel/dkms

fail() {
	echo "deb-check: $*" >&2
	exit 1
}

if [ "$1" != --inside ]; then
	scripts/deb-build.sh > /dev/null || fail "make deb failed"
	lint=$(lintian --tag-display-limit 0 "$debs"/*.changes 2>&1 | grep -E '^[EW]: ' || true)
	[ -z "$lint" ] || fail "lintian:
$lint"
	rm -rf "$work" "$kept"
	mkdir -p "$work/upper" "$work/work" "$work/root" "$kept"
	exec unshare --mount --propagation private "$0" --inside
fi

# In a private mount namespace from here: the mounts go away with it.
R=$work/root
mount -t overlay overlay -o "lowerdir=/,upperdir=$work/upper,workdir=$work/work" "$R"
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev"
mount --rbind /sys "$R/sys"
mount -t tmpfs tmpfs "$R/tmp"
mount -t tmpfs tmpfs "$R/run"
in_root() {
	chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C "$@"
}

in_root dpkg -s colinux > /dev/null 2>&1 && fail "colinux is already installed on this machine"
in_root dpkg -i "$debs/colinux-dkms_${version}_all.deb" "$debs/colinux_${version}_amd64.deb" \
	> "$work/install.log" 2>&1 || fail "dpkg -i failed:
$(tail -30 "$work/install.log")"

help=$(in_root colinux --help 2>&1) || fail "the installed colinux --help failed: $help"
case "$help" in *start*) ;; *) fail "the installed colinux --help lists no start: $help" ;; esac
verify=$(in_root systemd-analyze verify colinux@test.service 2>&1) ||
	fail "systemd-analyze verify colinux@test.service: $verify"
[ -z "$verify" ] || fail "systemd-analyze verify colinux@test.service: $verify"
[ -f "$R/usr/share/bash-completion/completions/colinux" ] || fail "no bash completion installed"
[ -d "$R/etc/colinux" ] || fail "no /etc/colinux"

status=$(in_root dkms status colinux 2>&1)
case "$status" in
*"colinux/$version, $krel, x86_64: installed"*) ;;
*) fail "DKMS did not install colinux for $krel: $status
$(tail -30 "$work/install.log")" ;;
esac
ko=$R/lib/modules/$krel/updates/dkms/colinux.ko
[ -f "$ko" ] || fail "no $ko"
modinfo -F version "$ko" > /dev/null
cp "$ko" "$kept/colinux.ko"
cp "$R/usr/bin/colinux" "$kept/colinux"

in_root dpkg --purge colinux colinux-dkms > "$work/purge.log" 2>&1 || fail "dpkg --purge failed:
$(tail -30 "$work/purge.log")"
[ ! -e "$ko" ] || fail "dpkg --purge left $ko"
[ ! -e "$R/usr/src/colinux-$version" ] || fail "dpkg --purge left /usr/src/colinux-$version"
[ ! -e "$R/usr/bin/colinux" ] || fail "dpkg --purge left /usr/bin/colinux"
left=$(in_root dkms status colinux 2>&1)
[ -z "$left" ] || fail "dkms status after the purge: $left"
echo "deb-check: built, installed (DKMS built colinux.ko for $krel), purged"
