#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Attach to a background VM's console on a terminal, as a user would.

    console-attach.py LOG STEP... -- colinux console NAME

runs the command on a pty (pexpect) of 30 rows and 100 columns and takes
the steps in order: "expect:REGEX" waits up to 120 s for the console to
show it, "send:TEXT" types TEXT (\\r and \\x1d as Python escapes),
"detach" types Ctrl-] d and waits for the command to say it detached,
"eof" waits for the command to end by itself (the VM stopped), "exit:N"
waits for it to end with status N.  Every byte goes to LOG.  Exits 0 when
every step happened, else 1 with the reason.
"""
import sys

import pexpect


def main():
    split = sys.argv.index("--")
    log_path, steps, argv = sys.argv[1], sys.argv[2:split], sys.argv[split + 1:]
    log = open(log_path, "a", encoding="utf-8", errors="replace")
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8",
                          codec_errors="replace", dimensions=(30, 100))
    child.logfile_read = log
    for s in steps:
        kind, _, arg = s.partition(":")
        try:
            if kind == "expect":
                child.expect(arg, timeout=120)
            elif kind == "send":
                child.send(arg.encode().decode("unicode_escape"))
            elif kind == "detach":
                child.send("\x1dd")
                child.expect("detached from", timeout=30)
                child.expect(pexpect.EOF, timeout=30)
            elif kind == "eof":
                child.expect(pexpect.EOF, timeout=300)
            elif kind == "exit":
                child.expect(pexpect.EOF, timeout=300)
                child.close()
                if child.exitstatus != int(arg):
                    sys.exit("console-attach: the command ended with status %s, not %s"
                             % (child.exitstatus, arg))
                log.close()
                return 0
            else:
                sys.exit("console-attach: unknown step %r" % s)
        except (pexpect.TIMEOUT, pexpect.EOF) as e:
            log.flush()
            sys.exit("console-attach: step %r: %s; the console ended with:\n%s"
                     % (s, type(e).__name__, (child.before or "")[-2000:]))
    child.close()
    log.close()
    return child.exitstatus or 0


if __name__ == "__main__":
    sys.exit(main())
