# SPDX-License-Identifier: GPL-2.0
"""The QEMU test host.

Debian's own kernel (linux-image-amd64) boots under TCG with a busybox
initramfs; the build machine's root filesystem is shared read-only over 9p
so that the test host has every binary, and a second, writable 9p share
("out") carries the plan in and the results back.  Nothing here ever loads
colinux.ko into the kernel of the machine running this script.
"""

import glob
import gzip
import os
import re
import shutil
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
CPU_MODELS = ("max", "Skylake-Client", "EPYC")

# Loaded by the initramfs before the 9p root can be mounted, in this order.
MODULES = [
    "drivers/virtio/virtio_ring.ko",
    "drivers/virtio/virtio.ko",
    "drivers/virtio/virtio_pci_modern_dev.ko",
    "drivers/virtio/virtio_pci_legacy_dev.ko",
    "drivers/virtio/virtio_pci.ko",
    "fs/netfs/netfs.ko",
    "fs/fscache/fscache.ko",
    "net/9p/9pnet.ko",
    "net/9p/9pnet_virtio.ko",
    "fs/9p/9p.ko",
]


class TestHostError(Exception):
    pass


def _version_key(release):
    return [int(x) if x.isdigit() else x for x in re.split(r"[.-]", release)]


# make check-debug's kernel (tests/debug-kernel/build.sh), chosen with
# CO_TESTHOST_KERNEL=debug: everything the test host needs built in.
DEBUG_KERNEL = os.path.join(BUILD, "debug-host")
DEBUG_SUFFIX = "-colinux-debug"


def kernel_release():
    """The test host's kernel: the debug one if CO_TESTHOST_KERNEL=debug,
    else the newest Debian amd64 kernel that has both an image and headers."""
    if os.environ.get("CO_TESTHOST_KERNEL") == "debug":
        try:
            with open(os.path.join(DEBUG_KERNEL, "release")) as f:
                return f.read().strip()
        except OSError:
            raise TestHostError("no debug kernel built: tests/debug-kernel/build.sh %s" % DEBUG_KERNEL)
    found = []
    for image in glob.glob("/boot/vmlinuz-*-amd64"):
        release = image[len("/boot/vmlinuz-"):]
        if os.path.exists(headers_dir(release) + "/Makefile"):
            found.append(release)
    if not found:
        raise TestHostError(
            "no Debian kernel for the test host: apt-get install "
            "linux-image-amd64 linux-headers-amd64 (make check installs them)")
    return max(found, key=_version_key)


def headers_dir(release):
    """Where external modules for release are built (KDIR)."""
    if release.endswith(DEBUG_SUFFIX):
        return os.path.join(DEBUG_KERNEL, "obj")
    return "/usr/src/linux-headers-" + release


def kernel_image(release):
    if release.endswith(DEBUG_SUFFIX):
        return os.path.join(DEBUG_KERNEL, "obj/arch/x86/boot/bzImage")
    return "/boot/vmlinuz-" + release


def _newer(target, sources):
    if not os.path.exists(target):
        return False
    mtime = os.path.getmtime(target)
    return all(os.path.getmtime(s) <= mtime for s in sources)


def initramfs(release):
    """Builds (or reuses) the test host's initramfs for a kernel release."""
    busybox = shutil.which("busybox", path="/bin:/usr/bin")
    if not busybox or "statically linked" not in subprocess.run(
            ["file", "-L", busybox], capture_output=True, text=True).stdout:
        raise TestHostError("busybox-static is missing: apt-get install busybox-static")
    init = os.path.join(ROOT, "tests/vm/init.sh")
    moddir = "/lib/modules/%s/kernel" % release
    # The debug kernel has them built in.
    modules = [] if release.endswith(DEBUG_SUFFIX) else [os.path.join(moddir, m) for m in MODULES]
    missing = [m for m in modules if not os.path.exists(m)]
    if missing:
        raise TestHostError("kernel modules missing for the test host: %s" % missing)
    out = os.path.join(BUILD, "testhost", "initramfs-%s.cpio.gz" % release)
    if _newer(out, [init, busybox] + modules):
        return out
    stage = os.path.join(BUILD, "testhost", "initramfs-" + release)
    shutil.rmtree(stage, ignore_errors=True)
    for d in ("bin", "lib/modules", "dev", "proc", "sys", "host", "out"):
        os.makedirs(os.path.join(stage, d))
    shutil.copy(busybox, os.path.join(stage, "bin/busybox"))
    shutil.copy(init, os.path.join(stage, "init"))
    os.chmod(os.path.join(stage, "init"), 0o755)
    for m in modules:
        shutil.copy(m, os.path.join(stage, "lib/modules"))
    cpio = subprocess.run("find . | cpio -o -H newc --quiet", shell=True,
                          cwd=stage, capture_output=True, check=True).stdout
    with gzip.open(out + ".tmp", "wb", compresslevel=1) as f:
        f.write(cpio)
    os.replace(out + ".tmp", out)
    return out


class Boot:
    """One boot of the test host running a plan (a script in tests/vm/)."""

    def __init__(self, name, cpu="max", memory="2G", smp=2, qemu_extra="", cmdline_extra=""):
        self.name = name
        self.cpu = cpu
        self.memory = memory
        self.smp = smp
        self.release = kernel_release()
        # CO_RUNS_DIR: another directory for the runs' output, so that two
        # runs at once (two checkouts' worth of work) do not share one.
        self.out = os.path.join(os.environ.get("CO_RUNS_DIR") or os.path.join(BUILD, "testhost", "runs"),
                                name)
        self.console = os.path.join(self.out, "console.log")
        self.timed_out = False
        self.hung = None
        self.seconds = 0.0
        self.qemu_extra = qemu_extra.replace("{out}", self.out).split()
        # Extra words for the test host's kernel command line (a case's "# cmdline:").
        self.cmdline_extra = cmdline_extra

    def _prepare(self, plan, env):
        shutil.rmtree(self.out, ignore_errors=True)
        os.makedirs(self.out)
        values = {
            "CO_ROOT": ROOT,
            "CO_BUILD": BUILD,
            "CO_KREL": self.release,
            "CO_PLAN": plan,
            "CO_CPU": self.cpu,
        }
        values.update(env or {})
        with open(os.path.join(self.out, "plan.env"), "w") as f:
            for key, value in values.items():
                f.write("%s='%s'\n" % (key, value))

    def command(self, interactive=False):
        # A soft lockup shows every CPU's stack, not only the stuck one's.
        # Freed and allocated pages keep their old contents, as on a host
        # that does not clear them: what the module must not hand over
        # (guest RAM holding host data, or the other way) shows.
        cmdline = ("console=ttyS0 panic=-1 loglevel=7 softlockup_all_cpu_backtrace=1 "
                   "init_on_alloc=0 init_on_free=0 " +
                   self.cmdline_extra).strip()
        cmd = [
            "qemu-system-x86_64", "-accel", "tcg", "-cpu", self.cpu,
            "-smp", str(self.smp), "-m", self.memory, "-nodefaults",
            # All of the test host's RAM touched before it boots: where this
            # machine is itself a VM whose memory arrives on first touch,
            # a case that is first to write some page (a guest's RAM being
            # cleared) stalled there for seconds, and the test host saw a
            # soft lockup that was not its own.
            "-mem-prealloc",
            "-no-reboot", "-display", "none", "-monitor", "none",
            "-kernel", kernel_image(self.release),
            "-initrd", initramfs(self.release), "-append", cmdline,
            "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,"
            "readonly=on,multidevs=remap",
            "-virtfs", "local,path=%s,mount_tag=out,security_model=none" % self.out,
            # The project on its own, so it is there even when it lives under
            # /tmp, which the test host covers with a tmpfs.
            "-virtfs", "local,path=%s,mount_tag=project,security_model=none,"
            "readonly=on,multidevs=remap" % ROOT,
        ]
        # Extra QEMU options for debugging, e.g. "-d int,cpu_reset -D /tmp/q.log".
        cmd += self.qemu_extra + os.environ.get("CO_QEMU_EXTRA", "").split()
        if interactive:
            cmd += ["-serial", "mon:stdio"]
        else:
            cmd += ["-serial", "file:" + self.console]
        return cmd

    def run(self, plan, env=None, timeout=600, hung=None):
        """Boots, runs the plan, and returns when the test host powers off
        or the time limit passes (then QEMU is killed).  hung(self), asked
        every few seconds, may say sooner that the test host stopped making
        progress (a hung host kernel): QEMU is killed then, with the reason
        kept in self.hung."""
        if not shutil.which("qemu-system-x86_64"):
            raise TestHostError("qemu-system-x86_64 is missing: apt-get install qemu-system-x86")
        self._prepare(plan, env)
        start = time.monotonic()
        self.hung = None
        with open(os.path.join(self.out, "qemu.stderr"), "w") as err:
            proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL,
                                    stdout=err, stderr=err)
            while True:
                left = timeout - (time.monotonic() - start)
                try:
                    proc.wait(timeout=max(0.0, min(5.0, left)))
                    break
                except subprocess.TimeoutExpired:
                    self.hung = hung(self) if hung else None
                    if left > 5.0 and not self.hung:
                        continue
                    self.timed_out = True
                    proc.kill()
                    proc.wait()
                    break
        self.seconds = time.monotonic() - start
        return self

    def interactive(self, plan, env=None):
        self._prepare(plan, env)
        return subprocess.call(self.command(interactive=True))

    def file(self, name):
        path = os.path.join(self.out, name)
        if not os.path.exists(path):
            return None
        with open(path, errors="replace") as f:
            return f.read()

    def console_tail(self, lines=60):
        text = self.file("console.log") or ""
        return "\n".join(text.splitlines()[-lines:])


if __name__ == "__main__":
    import sys
    if sys.argv[1:] in (["--release"], ["--kdir"]):
        try:
            release = kernel_release()
        except TestHostError as e:
            sys.exit("testhost: %s" % e)
        print(release if sys.argv[1] == "--release" else headers_dir(release))
    else:
        sys.exit("usage: testhost.py --release | --kdir")
