#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Drive a guest on its console the way a user would (vm/debian-* cases).

    console-session.py LOG COMMANDS -- colinux run ARGS...

boots the guest on a terminal (pexpect, Debian's python3-pexpect), waits
for the login prompt, logs in as root (no password), runs each line of the
file COMMANDS as a shell command and waits for it to finish, then types
'poweroff' and waits for colinux to exit.  A line "@resize ROWS COLS"
resizes the terminal instead (colinux gets SIGWINCH, as from a user's
window).  Every byte of the console goes
to LOG; each command's exit status is printed in LOG as "co-status=N" right
after its output, so the test case judges the output and statuses there.
Exits with colinux's status, or 1 (with the reason) when a step timed out.
Prints "console-session: login prompt after N ms" (from the start of
colinux) for make bench.
"""
import argparse
import sys
import time

import pexpect

PROMPT = "co-prompt> "


def give_up(child, why):
    """Stop colinux (a guest left running would hold the module) and say why,
    with the end of the console."""
    if child.isalive():
        child.terminate(force=True)
    child.logfile_read.flush()
    with open(child.logfile_read.name, errors="replace") as f:
        tail = f.read()[-3000:]
    sys.exit("--- the end of the console:\n%s\nconsole-session: %s" % (tail, why))


def step(child, pattern, timeout, what):
    try:
        return child.expect(pattern, timeout=timeout)
    except pexpect.TIMEOUT:
        give_up(child, "no %s after %d s" % (what, timeout))
    except pexpect.EOF:
        child.wait()
        give_up(child, "colinux exited (status %s) while waiting for %s"
                % (child.exitstatus if child.exitstatus is not None else
                   "signal %s" % child.signalstatus, what))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("log")
    parser.add_argument("commands")
    parser.add_argument("--boot-timeout", type=int, default=600)
    parser.add_argument("--command-timeout", type=int, default=300)
    parser.add_argument("argv", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    argv = args.argv[1:] if args.argv[:1] == ["--"] else args.argv
    commands = [line.rstrip("\n") for line in open(args.commands)
                if line.strip() and not line.startswith("#")]

    log = open(args.log, "w", encoding="utf-8", errors="replace")
    start = time.monotonic()
    child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8",
                          codec_errors="replace", dimensions=(50, 200))
    child.logfile_read = log

    step(child, r"login: ", args.boot_timeout, "login prompt")
    print("console-session: login prompt after %d ms" % ((time.monotonic() - start) * 1000),
          flush=True)
    child.send("root\r")
    if step(child, [r"Password: ", r"# "], 60, "password or shell prompt") == 0:
        child.send("\r")
        step(child, r"# ", 60, "shell prompt")
    # A prompt of our own that neither the echo of this line (the quotes
    # split it) nor any command's output looks like, and no bracketed-paste
    # escapes around it.
    child.send("bind 'set enable-bracketed-paste off'; PS1='%s''%s'\r"
               % (PROMPT[:3], PROMPT[3:]))
    step(child, PROMPT, 60, "our prompt")
    for command in commands:
        if command.startswith("@resize "):
            rows, cols = (int(x) for x in command.split()[1:3])
            child.setwinsize(rows, cols)
            continue
        child.send('%s; echo "co-status=$?"\r' % command)
        step(child, r"co-status=\d+\r*\n" + PROMPT, args.command_timeout,
             "end of '%s'" % command)
    child.send("poweroff\r")
    step(child, pexpect.EOF, args.boot_timeout, "end of colinux after poweroff")
    child.close()
    log.close()
    if child.exitstatus is None:
        sys.exit("console-session: colinux was killed by signal %d" % child.signalstatus)
    sys.exit(child.exitstatus)


if __name__ == "__main__":
    main()
