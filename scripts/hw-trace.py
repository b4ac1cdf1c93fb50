#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Which devices did the test host's CPUs touch inside a marked window?

Reads a QEMU trace of memory_region_ops_read/write (every port and MMIO
access the emulated CPUs made), finds the window between the lines
"AUDIT-BEGIN" and "AUDIT-END" written to the serial port (writes to the
'serial' region rebuild the text), and counts the accesses per device
region inside it.  Used by the guest audit: while a cooperative guest boots
and runs, the CPUs may touch only what the host itself uses.
"""

import collections
import re
import sys

EVENT = re.compile(r"^memory_region_ops_(read|write) cpu (-?\d+) mr \S+ addr (0x[0-9a-f]+) "
                   r"value (0x[0-9a-f]+) size \d+ name '([^']*)'")


def window_counts(path, begin="AUDIT-BEGIN", end="AUDIT-END"):
    events = []
    serial = []          # (index in events, character)
    with open(path, errors="replace") as f:
        for line in f:
            m = EVENT.match(line)
            if not m:
                continue
            kind, cpu, addr, value, name = m.groups()
            events.append((kind, int(cpu), int(addr, 16), name))
            if kind == "write" and name == "serial" and int(addr, 16) == 0x3f8:
                serial.append((len(events) - 1, chr(int(value, 16) & 0xff)))
    text = "".join(c for _, c in serial)
    b, e = text.find(begin), text.find(end)
    if b < 0 or e < 0 or e < b:
        return None
    first = serial[b + len(begin)][0]
    last = serial[e][0]
    counts = collections.Counter()
    for kind, cpu, addr, name in events[first:last]:
        if cpu >= 0:        # -1: QEMU itself (DMA, MSI), not a CPU
            counts[(name, kind)] += 1
    return counts


def main():
    counts = window_counts(sys.argv[1])
    if counts is None:
        print("hw-trace: no AUDIT-BEGIN ... AUDIT-END window in %s" % sys.argv[1])
        return 2
    for (name, kind), n in sorted(counts.items()):
        print("%8d %-5s %s" % (n, kind, name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
