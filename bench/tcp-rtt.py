#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""TCP round trips of one byte, for make bench (the same program on the
test host's loopback and in the Debian guest).

    tcp-rtt.py serve PORT             echo server (every address)
    tcp-rtt.py HOST PORT COUNT NAME   prints "bench: NAME MICROSECONDS us"
"""
import socket
import sys
import threading
import time


def echo(conn):
    with conn:
        while True:
            data = conn.recv(64)
            if not data:
                return
            conn.sendall(data)


def serve(port):
    server = socket.create_server(("", port), reuse_port=True)
    while True:
        conn, _ = server.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


def measure(host, port, count, name):
    conn = socket.create_connection((host, port), timeout=30)
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for _ in range(20):             # warm up
        conn.sendall(b"x")
        conn.recv(1)
    start = time.monotonic()
    for _ in range(count):
        conn.sendall(b"x")
        if not conn.recv(1):
            sys.exit("tcp-rtt: the server closed the connection")
    print("bench: %s %.0f us" % (name, (time.monotonic() - start) / count * 1e6), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        measure(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4])
