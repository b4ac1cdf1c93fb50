#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The test runner behind 'make check'.

1. Unit tests: every cmocka binary in build/tests/unit, read as TAP, and
   checkpatch.pl over the code that runs in a kernel.
2. VM tests: every case in tests/vm/cases, run inside the QEMU test host on
   each CPU model.  A case passes only if its script exits 0, the module
   loads and unloads, the host's kernel log has no warning, BUG, Oops,
   lockup or RCU stall, and no taint appeared beyond the out-of-tree and
   unsigned-module flags.  A case headed '# long:' (a soak: seconds of
   load, or many runs of what shorter cases already cover on every model)
   runs on the first model only, except with --sweep full (make
   check-long): make check has to stay well inside CI's hour.
3. Harness self-tests: a deliberately broken module must make a case fail.

The last line of output is the summary, "N passed, N failed", alone.
"""

import argparse
import glob
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testhost  # noqa: E402

sys.path.insert(0, os.path.join(ROOT_DIR := os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "scripts"))
import importlib  # noqa: E402
hw_trace = importlib.import_module("hw-trace")  # noqa: E402

ROOT = testhost.ROOT
BUILD = testhost.BUILD
CASES_DIR = os.path.join(ROOT, "tests/vm/cases")

BAD_LOG = re.compile(
    r"WARNING:|BUG:|Oops|general protection fault|Kernel panic|kernel BUG|"
    r"soft lockup|hard LOCKUP|detected stall|self-detected stall|rcu: INFO:|"
    r"Call Trace:|UBSAN:|KASAN:|double fault|blocked for more than|"
    r"watchdog: BUG|KFENCE:|ODEBUG:")
TAINT_ALLOWED = (1 << 12) | (1 << 13)   # O: out-of-tree, E: unsigned module
# CO_TIME_SCALE: how many times slower the test host runs (make check-debug's
# kernel, with KASAN and lockdep, is): the time limits grow with it.
TIME_SCALE = int(os.environ.get("CO_TIME_SCALE", "1"))
BOOT_SECONDS = 90 * TIME_SCALE


class Result:
    def __init__(self, name, ok, details="", seconds=0.0):
        self.name = name
        self.ok = ok
        self.details = details
        self.seconds = seconds


class Report:
    def __init__(self, verbose=True):
        self.results = []
        self.verbose = verbose

    def add(self, result):
        self.results.append(result)
        if not self.verbose:
            return
        mark = "PASS" if result.ok else "FAIL"
        print("%s %s (%.1fs)" % (mark, result.name, result.seconds), flush=True)
        if not result.ok and result.details:
            for line in result.details.rstrip().splitlines():
                print("    " + line)
            sys.stdout.flush()

    def summary(self):
        passed = sum(1 for r in self.results if r.ok)
        return "%d passed, %d failed" % (passed, len(self.results) - passed)


# --------------------------------------------------------------------------
# Unit tests
# --------------------------------------------------------------------------

def run_unit(report, pattern):
    binaries = sorted(glob.glob(os.path.join(BUILD, "tests/unit/test-*")))
    binaries = [b for b in binaries if os.access(b, os.X_OK) and not b.endswith(".d")]
    if not binaries:
        report.add(Result("unit/(none)", False, "no unit test binaries in build/tests/unit: run make tests"))
        return
    for binary in binaries:
        name = os.path.basename(binary)
        if pattern and not re.search(pattern, "unit/" + name):
            continue
        start = time.monotonic()
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="TAP")
        try:
            proc = subprocess.run([binary], capture_output=True, text=True,
                                  env=env, timeout=120)
            out, code = proc.stdout + proc.stderr, proc.returncode
        except subprocess.TimeoutExpired as e:
            out, code = (e.stdout or b"").decode(errors="replace") + "\n(timed out)", -1
        seconds = time.monotonic() - start
        cases = re.findall(r"^(ok|not ok) \d+ - (.*)$", out, re.M)
        if not cases:
            report.add(Result("unit/%s" % name, False, out, seconds))
            continue
        for status, case in cases:
            ok = status == "ok"
            details = "" if ok else _tap_details(out, case)
            report.add(Result("unit/%s/%s" % (name, case.strip()), ok, details,
                              seconds / len(cases)))
        if code != 0 and all(s == "ok" for s, _ in cases):
            report.add(Result("unit/%s" % name, False,
                              "exit status %d with every case ok:\n%s" % (code, out)))


def _tap_details(out, case):
    lines = out.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("not ok") and line.endswith(case):
            return "\n".join(lines[max(0, i - 15):i + 1])
    return out


def run_style(report, pattern):
    """Kernel code must pass checkpatch.pl (Linux coding style)."""
    if pattern and not re.search(pattern, "style/checkpatch"):
        return
    start = time.monotonic()
    proc = subprocess.run([os.path.join(ROOT, "scripts/checkpatch.sh")],
                          capture_output=True, text=True, cwd=ROOT)
    out = (proc.stdout + proc.stderr).strip()
    report.add(Result("style/checkpatch", proc.returncode == 0 and not out, out,
                      time.monotonic() - start))


def run_script_check(report, pattern, name, script):
    """A check script of scripts/ (or a command, as a list): passes when it
    exits 0."""
    if pattern and not re.search(pattern, name):
        return
    start = time.monotonic()
    if isinstance(script, list):
        command = script
    else:
        path = os.path.join(ROOT, script)
        command = [sys.executable, path] if script.endswith(".py") else [path]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    out = (proc.stdout + proc.stderr).strip()
    report.add(Result(name, proc.returncode == 0, out, time.monotonic() - start))


# --------------------------------------------------------------------------
# VM tests
# --------------------------------------------------------------------------

def case_header(case, key, default=None):
    with open(os.path.join(CASES_DIR, case + ".sh")) as f:
        for line in f:
            m = re.match(r"# %s: *(.*)$" % key, line)
            if m:
                return m.group(1).strip()
    return default


def time_limit(case):
    return int(case_header(case, "timeout", "120")) * TIME_SCALE


def list_cases(pattern, harness=False):
    cases = sorted(os.path.basename(p)[:-3] for p in glob.glob(os.path.join(CASES_DIR, "*.sh")))
    cases = [c for c in cases if (case_header(c, "harness") is not None) == harness]
    # '# kernel: debian': the case needs Debian's kernel packages (headers
    # for DKMS), which make check-debug's kernel has not; '# kernel: debug':
    # it needs the debug kernel's checkers.
    kernel = "debug" if os.environ.get("CO_TESTHOST_KERNEL") == "debug" else "debian"
    cases = [c for c in cases if case_header(c, "kernel", kernel) == kernel]
    if pattern:
        cases = [c for c in cases if re.search(pattern, "vm/" + c)]
    # '# target: NAME': a long run of its own (make NAME), asked for by name.
    return [c for c in cases if case_header(c, "target") is None or pattern]


def runs_on(case, cpu, cpus):
    """Whether case runs on the CPU model cpu in a run over cpus.  '# models:
    one': what it tests does not depend on the CPU (the daemon, its devices,
    the CLI): the first model of the run only.  '# models: A B': those
    models of the run (what it tests depends on the paging depth, not on
    the rest of the model), or the first if the run has none of them."""
    models = case_header(case, "models")
    if models is None:
        return True
    if models == "one":
        return cpu == cpus[0]
    wanted = [m for m in models.split() if m in cpus]
    return cpu in wanted if wanted else cpu == cpus[0]


def judge_hw_trace(boot, case, problems):
    """For cases with '# hw-allowed:': the devices the CPUs touched in the
    case's AUDIT window must all be in the allowed list."""
    allowed = case_header(case, "hw-allowed")
    if allowed is None:
        return ""
    counts = hw_trace.window_counts(os.path.join(boot.out, "trace.log"))
    if counts is None:
        problems.append("no AUDIT-BEGIN ... AUDIT-END window in the QEMU trace")
        return ""
    allowed = set(allowed.split())
    seen = "\n".join("%8d %-5s %s" % (n, kind, name) for (name, kind), n in sorted(counts.items()))
    bad = sorted({name for name, _ in counts if name not in allowed})
    if bad:
        problems.append("the CPUs touched devices in the audit window: %s" % ", ".join(bad))
    return "--- device accesses in the audit window ---\n" + seen


def call_traces(dmesg, most=3):
    """The kernel log's first call traces, each on one line and named by
    its CPU: a CI summary that keeps only the first lines of a failure
    still shows where the host was, and, for a lockup, what the other CPU
    was doing meanwhile (softlockup_all_cpu_backtrace)."""
    lines = dmesg.splitlines()
    traces = []
    cpu = "?"
    for i, line in enumerate(lines):
        m = re.search(r"NMI backtrace for cpu (\d+)|\bCPU: (\d+) PID:", line)
        if m:
            cpu = m.group(1) or m.group(2)
        if "Call Trace:" not in line:
            continue
        names = []
        for frame in lines[i + 1:i + 40]:
            # "? name" frames are stale words on the stack: left out.
            m = re.search(r"\]\s+([A-Za-z_][\w.]*)\+0x", frame)
            if m:
                names.append(m.group(1))
            elif names and "</TASK>" in frame:
                break
        traces.append("CPU %s: %s" % (cpu, " < ".join(names[:16])))
        if len(traces) == most:
            break
    return traces


def judge_case(boot, case):
    """Reads what the in-VM runner left for one case; returns (ok, details)."""
    result = boot.file(case + ".result")
    log = boot.file(case + ".log") or ""
    if result is None:
        why = "the test host timed out" if boot.timed_out else "the test host died"
        if boot.hung:
            why = "the test host stopped (%s)" % boot.hung
        return False, "%s during this case.\n--- case output ---\n%s\n--- console (last lines) ---\n%s" % (
            why, log, boot.console_tail()), 0.0
    fields = dict(line.split("=", 1) for line in result.split() if "=" in line)
    dmesg = boot.file(case + ".dmesg") or ""
    problems = []
    if fields.get("rc") != "0":
        problems.append("the case exited with status %s%s" % (
            fields.get("rc"), " (time limit)" if fields.get("rc") == "124" else ""))
    if fields.get("insmod_rc") != "0":
        problems.append("loading the module failed: %s" % (boot.file(case + ".insmod") or "").strip())
    if fields.get("rmmod_rc") != "0":
        problems.append("unloading the module failed: %s" % (boot.file(case + ".insmod") or "").strip())
    bad = [line for line in dmesg.splitlines() if BAD_LOG.search(line)]
    if bad:
        problems.append("the host's kernel log is not clean: %s" % bad[0].strip())
        for trace in call_traces(dmesg):
            problems.append("call trace, %s" % trace)
    new_taint = int(fields.get("taint_after", "0")) & ~(int(fields.get("taint_before", "0")) | TAINT_ALLOWED)
    if new_taint:
        problems.append("the host kernel was tainted (flags 0x%x)" % new_taint)
    hw = judge_hw_trace(boot, case, problems)
    if hw:
        log = log.rstrip() + "\n" + hw
    seconds = int(fields.get("ms", "0")) / 1000.0
    if not problems:
        return True, "", seconds
    return False, "%s\n--- case output ---\n%s\n--- host kernel log ---\n%s" % (
        "\n".join(problems), log.rstrip(), dmesg.rstrip()), seconds


def stalled(cases, limit_of):
    """For Boot.run: whether the test host stopped making progress.  The
    in-VM runner ends a case at its time limit (timeout -k 5) and gives a
    killed guest 10 s to go, so a case with no result a minute past its
    limit, or no case started long after the boot, means a hung host
    kernel: better a failed case now than the whole boot's budget (hours)
    spent waiting."""
    def hung(boot):
        now = time.time()
        started = [c for c in cases if os.path.exists(os.path.join(boot.out, c + ".started"))]
        if not started:
            if now - os.path.getmtime(os.path.join(boot.out, "plan.env")) > 3 * BOOT_SECONDS:
                return "no case started %d s after the boot began" % (3 * BOOT_SECONDS)
            return None
        case = started[-1]
        if os.path.exists(os.path.join(boot.out, case + ".result")):
            return None
        ran = now - os.path.getmtime(os.path.join(boot.out, case + ".started"))
        if ran > limit_of(case) + 60:
            return "%s has run %d s, past its %d s limit: the test host is hung" % (
                case, ran, limit_of(case))
        return None
    return hung


def run_cases_on(report, cpu, cases, memory, tag="", qemu="", cmdline="", sweep="full", smp=2):
    """Runs cases in as few boots as possible; a crash costs one reboot.
    sweep (CO_SWEEP for the cases): "full" or "sample", for cases that
    sweep a range (every vector)."""
    pending = list(cases)
    attempt = 0
    verdicts = {}
    while pending:
        attempt += 1
        limit = BOOT_SECONDS + sum(time_limit(c) + 15 for c in pending)
        boot = testhost.Boot("%s%s-%d" % (tag, cpu, attempt), cpu=cpu, memory=memory, smp=smp,
                             qemu_extra=qemu, cmdline_extra=cmdline)
        env = {"CO_CASES": " ".join(pending), "CO_SWEEP": sweep, "CO_TIME_SCALE": str(TIME_SCALE)}
        # make fuzz's long ioctl-fuzz run, make faults' counts, make soak's
        # length (the cases ioctl-fuzz, fault-injection and soak say which).
        env.update((k, v) for k, v in os.environ.items() if k.startswith(("IOCTL_FUZZ_", "FAULT_", "SOAK_")))
        boot.run("tests/vm/runner.sh", env, timeout=limit,
                 hung=stalled(pending, time_limit))
        done = []
        for case in pending:
            started = boot.file(case + ".started") is not None
            if not started:
                break
            ok, details, seconds = judge_case(boot, case)
            verdicts[case] = (ok, details)
            done.append(case)
            where = cpu if smp == 2 else "%s, -smp %d" % (cpu, smp)
            report.add(Result("vm/%s [%s]" % (case, where), ok, details, seconds))
        if not done:
            for case in pending:
                details = "the test host never reached this case.\n--- console ---\n%s" % boot.console_tail()
                verdicts[case] = (False, details)
                report.add(Result("vm/%s [%s]" % (case, cpu if smp == 2 else "%s, -smp %d" % (cpu, smp)),
                                  False, details))
            break
        pending = pending[len(done):]
    return verdicts


def run_harness_selftests(report, pattern):
    """A module that WARNs on load must make its case fail, with the log."""
    for case in list_cases(pattern, harness=True):
        expect = case_header(case, "harness")
        start = time.monotonic()
        verdicts = run_cases_on(Report(verbose=False), "max", [case], "2G", tag="harness-",
                                qemu=case_header(case, "qemu", ""))
        ok, details = verdicts.get(case, (True, ""))
        needle = expect.split("must-fail-with:", 1)[-1].strip()
        good = (not ok) and needle in details
        report.add(Result("harness/%s" % case, good,
                          "" if good else "the harness did not catch it (verdict ok=%s):\n%s" % (ok, details),
                          time.monotonic() - start))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cpu", action="append",
                        help="CPU model for VM tests (repeatable; default: %s)" % ", ".join(testhost.CPU_MODELS))
    parser.add_argument("--only", help="run only tests whose name matches this regex")
    parser.add_argument("--memory", default="3G",
                        help="test host memory (default 3G: the Debian guest's image in tmpfs and its RAM)")
    parser.add_argument("--no-unit", action="store_true")
    parser.add_argument("--no-vm", action="store_true")
    parser.add_argument("--sweep", choices=("sample", "full"), default="sample",
                        help="'full': cases that sweep a range (every host vector) sweep all of it "
                             "on the first model (make check-long); default: a sample everywhere")
    args = parser.parse_args()
    cpus = args.cpu or os.environ.get("CO_CPUS", "").split() or list(testhost.CPU_MODELS)

    report = Report()
    start = time.monotonic()
    if not args.no_unit:
        run_unit(report, args.only)
        run_style(report, args.only)
        # docs/abi.md keeps up with the ABI header; the guest's static audit.
        run_script_check(report, args.only, "docs/abi", "scripts/abi-doc-check.py")
        # A hung test host is cut short, not waited on for hours.
        run_script_check(report, args.only, "harness/hang-detection", "tests/harness-check.py")
        # Every input of the device fuzzers' corpus, crashes found included.
        run_script_check(report, args.only, "fuzz/regress", ["make", "-s", "-C", "tests/fuzz", "regress"])
        run_script_check(report, args.only, "audit/guest-static", "scripts/guest-audit.py")
        run_script_check(report, args.only, "packaging/files", "scripts/packaging-check.py")
        # dpkg-buildpackage, lintian, install and purge in a scratch root;
        # keeps the DKMS-built module for vm/dkms-module.
        run_script_check(report, args.only, "packaging/deb", "scripts/deb-check.sh")
        # make rootfs from nothing (Debian's mirror), and again.
        run_script_check(report, args.only, "rootfs/build", "scripts/rootfs-check.py")
    if not args.no_vm:
        try:
            cases = list_cases(args.only)
            groups = {}
            for case in cases:
                # '# smp: 2 4': also in a test host with 4 CPUs, on the
                # first model (make check) or on every model (check-long).
                for smp in sorted(int(n) for n in case_header(case, "smp", "2").split()):
                    key = (smp, case_header(case, "memory", args.memory), case_header(case, "qemu", ""),
                           case_header(case, "cmdline", ""))
                    groups.setdefault(key, []).append(case)
            for cpu in cpus:
                for (smp, memory, qemu, cmdline), all_of_group in sorted(groups.items()):
                    group = [c for c in all_of_group if runs_on(c, cpu, cpus) and
                             (args.sweep == "full" or cpu == cpus[0] or case_header(c, "long") is None)]
                    if smp != 2 and args.sweep != "full" and cpu != cpus[0]:
                        group = []
                    if not group:
                        continue
                    tag = ("" if memory == args.memory else "mem%s-" % memory) + \
                        ("" if smp == 2 else "smp%d-" % smp)
                    sweep = "full" if args.sweep == "full" and cpu == cpus[0] else "sample"
                    if qemu or cmdline:     # own QEMU options or kernel command line: boots alone
                        for case in group:
                            run_cases_on(report, cpu, [case], memory, tag="%s%s-" % (tag, case),
                                         qemu=qemu, cmdline=cmdline, sweep=sweep, smp=smp)
                    else:
                        run_cases_on(report, cpu, group, memory, tag=tag, sweep=sweep, smp=smp)
            run_harness_selftests(report, args.only)
        except testhost.TestHostError as e:
            report.add(Result("vm/test-host", False, str(e)))
    print("(%.0f s)" % (time.monotonic() - start))
    print(report.summary())
    return 0 if all(r.ok for r in report.results) else 1


if __name__ == "__main__":
    sys.exit(main())
