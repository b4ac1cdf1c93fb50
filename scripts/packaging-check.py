#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The files a package installs are sound: the man pages format without
warnings and name every subcommand of colinux --help and every config key
the daemon knows; the bash completion parses and completes subcommands
and keys; the systemd unit runs start --foreground and stop."""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.join(ROOT, "packaging")


def main():
    problems = []
    for page in ("colinux.1", "colinux.conf.5"):
        proc = subprocess.run(["man", "--warnings", "-l", os.path.join(PKG, page)],
                              capture_output=True, text=True,
                              env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING=""))
        if proc.returncode or proc.stderr.strip():
            problems.append("%s: man says: %s" % (page, proc.stderr.strip()))
    man1 = open(os.path.join(PKG, "colinux.1")).read()
    usage = subprocess.run([os.path.join(ROOT, "build/daemon/colinux"), "--help"],
                           capture_output=True, text=True).stdout
    commands = re.findall(r"^  (\w+) ", usage, re.M)
    if len(commands) < 8:
        problems.append("colinux --help lists only %s" % commands)
    for command in commands:
        if command not in man1:
            problems.append("colinux.1 does not describe '%s'" % command)
    man5 = open(os.path.join(PKG, "colinux.conf.5")).read()
    config = open(os.path.join(ROOT, "daemon/config.c")).read()
    for key in sorted(set(re.findall(r'strncmp\(arg, "([a-z-]+)=?"', config))):
        if key not in man5.replace("\\-", "-"):
            problems.append("colinux.conf.5 does not describe the key '%s'" % key)
    script = ('. %s; COMP_WORDS=(colinux st); COMP_CWORD=1; _colinux; echo "${COMPREPLY[*]}"; '
              'COMP_WORDS=(colinux run me); COMP_CWORD=2; _colinux; echo "${COMPREPLY[*]}"'
              % os.path.join(PKG, "colinux.bash-completion"))
    out = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
    if out.returncode or out.stdout.split("\n")[:2] != ["start stop", "mem="]:
        problems.append("bash completion: %r %r" % (out.stdout, out.stderr))
    unit = open(os.path.join(PKG, "colinux@.service")).read()
    for line in ("ExecStart=/usr/bin/colinux start %i --foreground",
                 "ExecStop=/usr/bin/colinux stop %i"):
        if line not in unit:
            problems.append("colinux@.service lacks %s" % line)
    for p in problems:
        print("packaging: " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
