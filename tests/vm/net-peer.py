#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The host's end of vm/net-tap, run inside the test's network namespace.

Sends a 64 MiB pattern (seed 21) to the guest's port 5001 once the guest
listens, then takes the guest's 64 MiB (seed 22) on 10.0.2.1:5002 and has
the pattern program check it.  Prints each verdict and the rate; exits 1 if
either direction failed.  Usage: net-peer.py PATTERN_BINARY
"""
import socket
import subprocess
import sys
import time

GUEST = ("10.0.2.15", 5001)
LISTEN = ("10.0.2.1", 5002)
DEADLINE = 240


def connect():
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        try:
            return socket.create_connection(GUEST, timeout=5)
        except OSError:
            time.sleep(0.5)
    return None


def main():
    pattern = sys.argv[1]
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(LISTEN)
    server.listen(1)
    server.settimeout(DEADLINE)

    sock = connect()
    if not sock:
        print("peer: the guest never listened on %s:%d" % GUEST)
        return 1
    # pattern gets the socket itself: blocking (the case's time limit holds).
    sock.setblocking(True)
    start = time.monotonic()
    subprocess.run([pattern, "write", "-", "64", "21"], stdout=sock.fileno(),
                   stderr=subprocess.DEVNULL, check=False)
    sock.shutdown(socket.SHUT_WR)
    sock.settimeout(DEADLINE)
    while sock.recv(65536):
        pass
    sock.close()
    print("peer: sent 64 MiB in %.1f s (%.1f MiB/s)" % (
        time.monotonic() - start, 64 / (time.monotonic() - start)))

    try:
        conn, _ = server.accept()
    except OSError as e:
        print("peer: the guest never connected to %s:%d: %s" % (LISTEN + (e,)))
        return 1
    conn.setblocking(True)
    start = time.monotonic()
    check = subprocess.run([pattern, "check", "-", "64", "22"], stdin=conn.fileno(),
                           capture_output=True, text=True)
    conn.close()
    print("peer: received: %s (%.1f s, %.1f MiB/s)" % (
        check.stdout.strip(), time.monotonic() - start, 64 / (time.monotonic() - start)))
    return 0 if check.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
