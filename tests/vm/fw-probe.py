#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The firewall scenario's two sides (vm/debian-net), each in its netns.

    fw-probe.py serve ADDR PORT...       (side b) answer "pass PORT" on each
    fw-probe.py probe CONSOLE ADDR       (side a) once CONSOLE says fw-ready:
        connect to ADDR:5002 (must pass the guest) and ADDR:5001 (must be
        dropped by it), then tell the guest what happened on 10.1.0.1:6000

Prints what it saw; probe exits 1 unless 5002 passed and 5001 did not.
"""
import socket
import sys
import threading
import time

DEADLINE = 300


def serve(addr, ports):
    def one(port):
        server = socket.socket()
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((addr, port))
        server.listen(8)
        while True:
            conn, _ = server.accept()
            conn.sendall(b"pass %d\n" % port)
            conn.close()

    for port in ports:
        threading.Thread(target=one, args=(port,), daemon=True).start()
    threading.Event().wait()


def attempt(addr, port):
    try:
        with socket.create_connection((addr, port), timeout=4) as s:
            s.settimeout(4)
            return s.makefile().readline().strip() or "nothing"
    except OSError as e:
        return "failed: %s" % (e.strerror or e)


def probe(console, addr):
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        with open(console, errors="replace") as f:
            if "\nfw-ready" in f.read():
                break
        time.sleep(0.5)
    else:
        print("probe: the guest never said fw-ready")
        return 1
    passed, blocked = attempt(addr, 5002), attempt(addr, 5001)
    report = "probe: 5002 %s; 5001 %s" % (passed, blocked)
    print(report, flush=True)
    while time.monotonic() < end:
        try:
            with socket.create_connection(("10.1.0.1", 6000), timeout=4) as s:
                s.sendall(report.encode() + b"\n")
            break
        except OSError:
            time.sleep(0.5)
    return 0 if passed == "pass 5002" and blocked.startswith("failed") else 1


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], [int(p) for p in sys.argv[3:]])
    sys.exit(probe(sys.argv[2], sys.argv[3]))
