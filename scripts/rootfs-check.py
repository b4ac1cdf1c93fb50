#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make rootfs works from nothing, and a second run keeps the image.

Builds the Debian image into an empty directory (no package cache), then
checks the image: e2fsck -fn clean, systemd, apt, bash and vim in it, the
fstab and hostname the guest needs, root without a password; a second run
must say the image is up to date and leave it unchanged.  Needs root and
Debian's mirror.  Prints what is wrong and exits 1, or exits 0.
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def build(out):
    env = dict(os.environ, ROOTFS_OUT=out)
    env.pop("ROOTFS_EXTRA", None)
    env.pop("ROOTFS_SIZE", None)
    proc = subprocess.run([os.path.join(ROOT, "scripts/rootfs.sh")], env=env,
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def debugfs(image, request):
    proc = subprocess.run(["debugfs", "-R", request, image], capture_output=True, text=True)
    return proc.stdout


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    out = tempfile.mkdtemp(prefix="rootfs-check.", dir=os.path.join(ROOT, "build"))
    problems = []
    try:
        rc, log = build(out)
        image = os.path.join(out, "debian-12.img")
        if rc != 0 or not os.path.exists(image):
            print("make rootfs failed (status %d):\n%s" % (rc, log[-3000:]))
            return 1
        fsck = subprocess.run(["e2fsck", "-fn", image], capture_output=True, text=True)
        if fsck.returncode != 0:
            problems.append("e2fsck -fn is not clean:\n" + fsck.stdout + fsck.stderr)
        for path in ("/usr/lib/systemd/systemd", "/usr/bin/apt-get", "/usr/bin/bash",
                     "/usr/bin/vim.tiny", "/usr/bin/ip", "/usr/bin/ssh", "/usr/bin/ps"):
            if "Inode:" not in debugfs(image, "stat " + path):
                problems.append("%s is not in the image" % path)
        if "/dev/vda" not in debugfs(image, "cat /etc/fstab"):
            problems.append("/etc/fstab does not mount /dev/vda (cobd0) as root")
        if "DHCP=yes" not in debugfs(image, "cat /etc/systemd/network/80-colinux-dhcp.network"):
            problems.append("no DHCP for conet interfaces in /etc/systemd/network")
        for unit, target in (("systemd-networkd.service", "multi-user"),
                             ("systemd-resolved.service", "sysinit")):
            wants = "/etc/systemd/system/%s.target.wants/%s" % (target, unit)
            if "Inode:" not in debugfs(image, "stat " + wants):
                problems.append("%s is not enabled (no %s)" % (unit, wants))
        if debugfs(image, "cat /etc/hostname").strip() != "colinux":
            problems.append("the hostname is not colinux")
        shadow = [l for l in debugfs(image, "cat /etc/shadow").splitlines() if l.startswith("root:")]
        if not shadow or shadow[0].split(":")[1] != "":
            problems.append("root has a password or no entry: %s" % shadow)
        before = digest(image)
        rc, log2 = build(out)
        if rc != 0 or "up to date" not in log2:
            problems.append("the second run did not keep the image (status %d):\n%s" % (rc, log2[-2000:]))
        elif digest(image) != before:
            problems.append("the second run changed the image")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
