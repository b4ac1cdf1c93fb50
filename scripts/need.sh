#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# need.sh TOOL:PACKAGE ... : one clear message naming what to install.
missing=""
for pair in "$@"; do
	tool=${pair%%:*}
	command -v "$tool" >/dev/null 2>&1 || missing="$missing ${pair#*:}"
done
[ -z "$missing" ] && exit 0
echo "missing tools; install them with: apt-get install$missing (or run 'make check', which installs what it needs)" >&2
exit 1
