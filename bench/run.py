#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: benchmarks measured inside the QEMU test host, one run.

Prints one line per figure, "bench: NAME VALUE UNIT".  Ratios are computed
from figures taken in the same boot.  Under QEMU TCG every figure is an
emulation cost; only the ratios say something, and only roughly, about
real hardware.
"""

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))
import testhost  # noqa: E402


# tests/guest/bench.sh's figures: natively, in the guest, in UML.
MICRO = (("getpid", "ns"), ("forkexec", "us"), ("pipe_roundtrip", "ns"),
         ("pagefault", "ns"), ("file_cycle", "us"), ("cpu_job", "ms"))
TABLE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                     "build", "bench", "table.md")


# bench/switch-parts.sh's variants: what one repeat does, and how many
# times a plain round trip does it.
SWITCH_PARTS = (("msr", "rdmsr + wrmsr of the switched MSR list", 2),
                ("cr3", "two CR3 writes (T, G)", 2),
                ("pge", "setting and clearing CR4.PGE: two full TLB flushes; a round trip has "
                 "two or three flushing CR4 writes", 1),
                ("dt", "lgdt + lidt", 4),
                ("xcr0", "xsetbv", 2),
                ("fpu", "xsave + xrstor of the guest's FPU", 1),
                ("table", "refreshing T and the tables page", 1),
                ("dr", "writing DR0-3", 1))


def switch_breakdown(out):
    """The cost of each part from the variants: (difference from the plain
    round trips timed just before and after it) / repeats.  The plain
    round trip drifts in a run (QEMU's caches warm up), so each variant is
    set beside its neighbours, not beside the mean."""
    runs = [(n, int(rep), int(ns)) for n, rep, ns in
            re.findall(r"^bench: switch_part (\w+) (\d+) (\d+)", out, re.M)]
    plain = [ns for n, _, ns in runs if n == "none"]
    if not plain:
        return None, []
    parts = []
    for name, what, per_trip in SWITCH_PARTS:
        costs = []
        for i, (n, rep, ns) in enumerate(runs):
            near = [runs[j][2] for j in (i - 1, i + 1)
                    if 0 <= j < len(runs) and runs[j][0] == "none"]
            if n == name and rep and near:
                costs.append((ns - sum(near) / len(near)) / rep)
        if costs:
            parts.append((name, what, per_trip, sorted(costs)[len(costs) // 2]))
    return (sorted(plain)[len(plain) // 2], min(plain), max(plain)), parts


def write_table(figures, release, breakdown=None):
    """The performance table of docs/performance.md, from this run."""
    rows = ["| Figure | native | cooperative guest | UML | guest / native | UML / guest |",
            "|---|---|---|---|---|---|"]
    for name, unit in MICRO:
        host, guest, uml = (figures[side + "_" + name] for side in ("host", "guest", "uml"))
        rows.append("| %s | %g %s | %g %s | %g %s | %.2f | %.1f |" % (
            name, host, unit, guest, unit, uml, unit, guest / host, uml / guest))
    rows.append("| CPU job, one process per CPU (2 CPUs) | %g ms | %g ms | | %.2f | |" % (
        figures["host_smp_cpu_job"], figures["guest_smp_cpu_job"],
        figures["guest_smp_cpu_job"] / figures["host_smp_cpu_job"]))
    rows.append("| futex ping-pong across CPUs | %g ns | %g ns | | %.2f | |" % (
        figures["host_futex_pingpong"], figures["guest_futex_pingpong"],
        figures["guest_futex_pingpong"] / figures["host_futex_pingpong"]))
    guest, uml = figures["linux_boot_to_userland"], figures["uml_boot_to_userland"]
    rows.append("| boot to userland | | %g ms | %g ms | | %.1f |" % (guest, uml, uml / guest))
    if breakdown and breakdown[0]:
        (base, low, high), parts = breakdown
        rows += ["", "World switch round trip %.0f ns (median of the plain runs, %d-%d ns); each part's cost, the median of three runs of its variant:"
                 % (base, low, high), "",
                 "| Part | one repeat | times per round trip | share of the round trip |",
                 "|---|---|---|---|"]
        for name, what, per_trip, ns in parts:
            rows.append("| %s (%s) | %.0f ns | %d | %.0f%% |" % (
                name, what, ns, per_trip, 100.0 * ns * per_trip / base))
    os.makedirs(os.path.dirname(TABLE), exist_ok=True)
    with open(TABLE, "w") as f:
        f.write("make bench, %s, QEMU TCG test host (kernel %s)\n\n%s\n" % (
            time.strftime("%Y-%m-%d"), release, "\n".join(rows)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cpu", default="max", help="QEMU CPU model (default max)")
    args = parser.parse_args()
    # 4 GiB: Debian's image is copied into the test host's RAM.
    boot = testhost.Boot("bench-" + args.cpu, cpu=args.cpu, memory="4G")
    boot.run("bench/plan.sh", timeout=1200)
    out = boot.file("bench.out") or ""
    figures = dict((m.group(1), float(m.group(2)))
                   for m in re.finditer(r"^bench: (\w+) ([0-9.]+)", out, re.M))
    needed = ("world_switch_round_trip", "forwarded_interrupt", "linux_boot_to_userland",
              "uml_boot_to_userland", "debian_boot_to_login", "ipi_round_trip",
              "host_smp_cpu_job", "guest_smp_cpu_job", "host_futex_pingpong",
              "guest_futex_pingpong") + tuple(
                  side + "_" + name for side in ("host", "guest", "uml")
                  for name, _ in MICRO) + tuple(
                  side + "_disk_" + name for side in ("guest", "host")
                  for name in ("seqread", "seqwrite", "randread_qd1", "randread_qd32")) + tuple(
                  "%s_%s" % (side, way) for side in ("loopback", "tap", "nat")
                  for way in ("to_host" if side == "loopback" else "guest_to_host",
                              "from_host" if side == "loopback" else "host_to_guest",
                              "rtt"))
    missing = [k for k in needed if k not in figures]
    if missing or "not clean" in out:
        print(out + "\n" + boot.console_tail())
        print("bench: failed (missing: %s)" % ", ".join(missing))
        return 1
    print("bench: cpu_model %s (QEMU TCG, %s)" % (args.cpu, boot.release))
    print("bench: world_switch_round_trip %.0f ns" % figures["world_switch_round_trip"])
    print("bench: host_getpid %.0f ns" % figures["host_getpid"])
    print("bench: world_switch_vs_getpid %.1f x" %
          (figures["world_switch_round_trip"] / figures["host_getpid"]))
    breakdown = switch_breakdown(out)
    if breakdown[0]:
        for name, what, per_trip, ns in breakdown[1]:
            print("bench: switch_part_%s %.0f ns (%s; %d per round trip)" % (name, ns, what, per_trip))
    print("bench: forwarded_interrupt %.0f ns" % figures["forwarded_interrupt"])
    print("bench: linux_boot_to_userland %.0f ms" % figures["linux_boot_to_userland"])
    print("bench: uml_boot_to_userland %.0f ms" % figures["uml_boot_to_userland"])
    print("bench: boot_guest_vs_uml %.2f x" %
          (figures["linux_boot_to_userland"] / figures["uml_boot_to_userland"]))
    print("bench: debian_boot_to_login %.0f ms" % figures["debian_boot_to_login"])
    # Lower is better: guest / native (targets <= 1.1 for getpid, page
    # faults and the CPU job, <= 1.5 for fork+exec and pipes), UML / guest
    # (target >= 10 on the system-call-heavy ones).
    for name, unit in MICRO:
        host, guest, uml = (figures[side + "_" + name] for side in ("host", "guest", "uml"))
        print("bench: host_%s %g %s" % (name, host, unit))
        print("bench: guest_%s %g %s" % (name, guest, unit))
        print("bench: uml_%s %g %s" % (name, uml, unit))
        print("bench: %s_guest_vs_host %.2f x" % (name, guest / host))
        print("bench: %s_uml_vs_guest %.1f x" % (name, uml / guest))
    # Several CPUs: the job on every CPU at once as throughput, guest /
    # host (target >= 0.95); the futex ping-pong across CPUs, guest / host.
    for name, unit in (("smp_cpu_job", "ms"), ("futex_pingpong", "ns")):
        print("bench: host_%s %g %s" % (name, figures["host_" + name], unit))
        print("bench: guest_%s %g %s" % (name, figures["guest_" + name], unit))
    print("bench: smp_cpu_job_throughput_guest_vs_host %.2f x" %
          (figures["host_smp_cpu_job"] / figures["guest_smp_cpu_job"]))
    print("bench: futex_pingpong_guest_vs_host %.2f x" %
          (figures["guest_futex_pingpong"] / figures["host_futex_pingpong"]))
    print("bench: ipi_round_trip %.0f us (test guest, vCPU 0 to 1 and back)" % figures["ipi_round_trip"])
    # Disks: higher is better, so the ratio is guest / host (targets:
    # sequential >= 0.9, 4 KiB random >= 0.7).
    for name, unit in (("seqread", "MBps"), ("seqwrite", "MBps"),
                       ("randread_qd1", "IOPS"), ("randread_qd32", "IOPS")):
        guest, host = figures["guest_disk_" + name], figures["host_disk_" + name]
        print("bench: guest_disk_%s %g %s" % (name, guest, unit))
        print("bench: host_disk_%s %g %s" % (name, host, unit))
        print("bench: disk_%s_guest_vs_host %.2f x" % (name, guest / host))
    # Network (TCP, iperf3 and one-byte round trips), each side beside the
    # test host's loopback (targets: tap >= 0.6, nat >= 0.3 of loopback).
    for side in ("loopback", "tap", "nat"):
        for key in ("to_host", "from_host") if side == "loopback" else ("guest_to_host",
                                                                        "host_to_guest"):
            print("bench: net_%s_%s %.1f MBps" % (side, key, figures["%s_%s" % (side, key)]))
        print("bench: net_%s_rtt %.0f us" % (side, figures[side + "_rtt"]))
    for side in ("tap", "nat"):
        print("bench: net_%s_guest_to_host_vs_loopback %.2f x" %
              (side, figures[side + "_guest_to_host"] / figures["loopback_to_host"]))
        print("bench: net_%s_host_to_guest_vs_loopback %.2f x" %
              (side, figures[side + "_host_to_guest"] / figures["loopback_from_host"]))
        print("bench: net_%s_rtt_vs_loopback %.1f x" %
              (side, figures[side + "_rtt"] / figures["loopback_rtt"]))
    write_table(figures, boot.release, breakdown)
    print("bench: table written to %s" % os.path.relpath(TABLE))
    return 0


if __name__ == "__main__":
    sys.exit(main())
