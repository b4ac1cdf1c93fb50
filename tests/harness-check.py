#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The harness notices a hung test host in minutes, not at the end of the
boot's whole budget (the sum of every pending case's limit, hours): a CI
run once spent its hour waiting on one.

Checks tests/run.py's stalled() against a fake run directory (no case
started long after the boot; a case past its limit; a case still inside
it; a finished one), and Boot.run() with a stand-in for QEMU that never
ends: hung() must stop it at once and leave the reason in boot.hung.
Prints what is wrong and exits 1, or exits 0.
"""
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run  # noqa: E402
import testhost  # noqa: E402


class FakeBoot:
    def __init__(self, out):
        self.out = out


def touch(path, age):
    with open(path, "w"):
        pass
    then = time.time() - age
    os.utime(path, (then, then))


def check_stalled(problems):
    with tempfile.TemporaryDirectory() as out:
        boot = FakeBoot(out)
        hung = run.stalled(["a", "b"], lambda case: {"a": 100, "b": 200}[case])
        touch(os.path.join(out, "plan.env"), 10)
        if hung(boot):
            problems.append("a boot 10 s old was called hung: %s" % hung(boot))
        touch(os.path.join(out, "plan.env"), 3 * run.BOOT_SECONDS + 10)
        if not hung(boot):
            problems.append("no case started long after the boot, and it was not called hung")
        touch(os.path.join(out, "a.started"), 150)
        if hung(boot):
            problems.append("case a 150 s in (limit 100 + 60) was called hung: %s" % hung(boot))
        touch(os.path.join(out, "a.started"), 170)
        reason = hung(boot)
        if not reason or "a has run" not in reason:
            problems.append("case a 170 s in (limit 100 + 60) was not called hung: %r" % reason)
        touch(os.path.join(out, "a.result"), 1)
        touch(os.path.join(out, "b.started"), 250)
        if hung(boot):
            problems.append("case b 250 s in (limit 200 + 60) was called hung: %s" % hung(boot))
        touch(os.path.join(out, "b.result"), 1)
        touch(os.path.join(out, "b.started"), 1000)
        if hung(boot):
            problems.append("a finished case was called hung: %s" % hung(boot))


def check_boot_run(problems):
    with tempfile.TemporaryDirectory() as runs:
        os.environ["CO_RUNS_DIR"] = runs
        boot = testhost.Boot("harness-check")
        boot.command = lambda interactive=False: ["sleep", "600"]
        asked = []

        def hung(b):
            asked.append(time.monotonic())
            return "stand-in hang"
        start = time.monotonic()
        boot.run("tests/vm/runner.sh", {}, timeout=600, hung=hung)
        took = time.monotonic() - start
        if boot.hung != "stand-in hang" or not boot.timed_out:
            problems.append("Boot.run did not stop on hung(): hung=%r timed_out=%r" % (boot.hung, boot.timed_out))
        if took > 30:
            problems.append("Boot.run took %.0f s to stop a hung test host" % took)


def main():
    problems = []
    check_stalled(problems)
    check_boot_run(problems)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
