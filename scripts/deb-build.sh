#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make deb: the Debian packages colinux (the tools) and colinux-dkms (the
# module's source), built by dpkg-buildpackage from a copy of the tree in
# build/deb, so that the tree itself stays as it is.  Prints the .deb paths.
set -e
cd "$(dirname "$0")/.."
top=$(pwd)
version=$(cat VERSION)
out=${DEB_OUT:-$top/build/deb}
src=$out/colinux-$version

for tool in dpkg-buildpackage dh dh_dkms fakeroot; do
	command -v $tool >/dev/null || {
		echo "deb: $tool is missing (apt-get install debhelper dh-dkms fakeroot)" >&2
		exit 1
	}
done

rm -rf "$out"
mkdir -p "$src"
# What git tracks and what is new but not ignored: the tree as it is now.
git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$src"
log=$out/dpkg-buildpackage.log
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) > "$log" 2>&1; then
	tail -40 "$log" >&2
	echo "deb: dpkg-buildpackage failed; the whole log is $log" >&2
	exit 1
fi
ls "$out"/*.deb
