#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""docs/abi.md must keep up with include/colinux/abi.h.

Checks that the doc states the header's CO_ABI_VERSION, names every
structure of the header, and lists every hypercall, exit reason, device
type and device operation with the number the header gives it.  Prints
what is missing and exits 1, or prints nothing and exits 0.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    header = open(os.path.join(ROOT, "include/colinux/abi.h")).read()
    doc = open(os.path.join(ROOT, "docs/abi.md")).read()
    problems = []

    version = re.search(r"#define CO_ABI_VERSION\s+(\d+)", header).group(1)
    if "Current version: **`CO_ABI_VERSION` %s**" % version not in doc:
        problems.append("the doc does not say it describes CO_ABI_VERSION %s" % version)

    for struct in sorted(set(re.findall(r"^struct (co_\w+) \{", header, re.M))):
        if "`struct %s`" % struct not in doc and "`%s`" % struct not in doc:
            problems.append("struct %s is not described" % struct)

    numbers = dict(re.findall(r"^#define (CO_(?:HC|EXIT|DEV|CONSOLE|POWER)_\w+)\s+(\d+)\b", header, re.M))
    for name, value in sorted(numbers.items()):
        if name in ("CO_HC_COUNT", "CO_CONSOLE_MAX"):
            continue
        short = name[len("CO_HC_"):] if name.startswith("CO_HC_") else name
        rows = [line for line in doc.splitlines() if line.startswith("|") and
                ("`%s`" % short in line or "`%s`" % name in line)]
        if not rows:
            problems.append("%s (%s) is not in any table of the doc" % (name, value))
        elif not any(re.search(r"(\| *%s *\|)|(\(%s\))" % (value, value), row) for row in rows):
            problems.append("%s is %s in the header, but the doc gives another number" % (name, value))
    for line in problems:
        print("docs/abi.md: " + line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
