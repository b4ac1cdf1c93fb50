#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Audit the guest vmlinux for instructions that reach the host's hardware.

A cooperative guest runs in ring 0 on the host's CPU, so port I/O and MSR
writes cannot be trapped: they reach the host's devices and MSRs directly.
A lidt or ltr would take the CPU's IDT or TSS from the host's passage.  This
lists every function that contains one of them and checks each against
guest/audit-allowlist.txt, which says why it is unreachable or harmless.
"""

import collections
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INSN = re.compile(r"\t(rep )?(in|out|insb|insw|insl|outsb|outsw|outsl|wrmsr|lidt|ltr)(\s|$)")
FUNC = re.compile(r"^[0-9a-f]+ <(.*)>:$")


def sites(vmlinux):
    dump = subprocess.run(["objdump", "-d", "--no-show-raw-insn", vmlinux],
                          capture_output=True, text=True, check=True).stdout
    found = collections.defaultdict(collections.Counter)
    func = None
    for line in dump.splitlines():
        m = FUNC.match(line)
        if m:
            func = m.group(1)
            continue
        m = INSN.search(line)
        if m and func:
            found[func.split(".part.")[0].split(".isra.")[0].split(".constprop.")[0]][m.group(2)] += 1
    return found


def allowlist(path):
    allowed = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, reason = line.partition(" ")
                allowed[name] = reason.strip()
    return allowed


def main():
    vmlinux = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build/guest/vmlinux")
    allowed = allowlist(os.path.join(ROOT, "guest/audit-allowlist.txt"))
    found = sites(vmlinux)
    unlisted = sorted(f for f in found if f not in allowed)
    stale = sorted(f for f in allowed if f not in found)
    totals = collections.Counter()
    for counts in found.values():
        totals.update(counts)
    print("audit: %d functions with %s" % (len(found), ", ".join(
        "%d %s" % (n, insn) for insn, n in sorted(totals.items()))))
    for f in unlisted:
        print("audit: NOT ALLOWED: %s (%s)" % (f, ", ".join(
            "%d %s" % (n, i) for i, n in sorted(found[f].items()))))
    for f in stale:
        print("audit: stale allowlist entry (no such instruction any more): %s" % f)
    if unlisted or stale:
        print("audit: FAILED")
        return 1
    print("audit: every site is allowed (guest/audit-allowlist.txt)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
