#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The test host's side of vm/net-nat, on its loopback only.

A DNS server on 127.0.0.1:53 that answers test.colinux with 10.9.8.7 (and
anything else with NXDOMAIN), an HTTP server on 127.0.0.1:8080 serving DIR,
a sink on 127.0.0.1:8081 that keeps the stream of its first connection in
DIR/upload (the guest's upload, which the case checks), and, once the guest's console says it serves (FILE gets the line), a
client of the host port forward on 127.0.0.1:2222 that prints what the
guest's server said.  Usage: nat-peer.py DIR CONSOLE_FILE; with "-" for
CONSOLE_FILE it only serves DNS and HTTP, until it is killed.
"""
import functools
import http.server
import os
import socket
import socketserver
import struct
import sys
import threading
import time

DEADLINE = 240


def dns_answer(query):
    """The reply to one query: test.colinux A 10.9.8.7 (no other records
    of that name), any other name NXDOMAIN."""
    ident, _flags, qdcount = struct.unpack("!HHH", query[:6])
    pos, labels = 12, []
    while query[pos]:
        labels.append(query[pos + 1:pos + 1 + query[pos]].decode(errors="replace"))
        pos += 1 + query[pos]
    question = query[12:pos + 5]
    qtype = struct.unpack("!H", query[pos + 1:pos + 3])[0]
    name = ".".join(labels).lower()
    if name == "test.colinux" and qdcount == 1:
        if qtype != 1:
            return struct.pack("!HHHHHH", ident, 0x8180, 1, 0, 0, 0) + question
        answer = struct.pack("!HHHLH4s", 0xc00c, 1, 1, 60, 4, socket.inet_aton("10.9.8.7"))
        return struct.pack("!HHHHHH", ident, 0x8180, 1, 1, 0, 0) + question + answer
    return struct.pack("!HHHHHH", ident, 0x8183, 1, 0, 0, 0) + question


def dns_server():
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 53))
    while True:
        query, peer = sock.recvfrom(512)
        try:
            sock.sendto(dns_answer(query), peer)
        except (IndexError, struct.error):
            pass


def sink_server(path):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 8081))
    sock.listen(1)
    conn, _ = sock.accept()
    with conn, open(path + ".part", "wb") as f:
        while True:
            data = conn.recv(1 << 16)
            if not data:
                break
            f.write(data)
    os.rename(path + ".part", path)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    directory, console = sys.argv[1], sys.argv[2]
    threading.Thread(target=dns_server, daemon=True).start()
    threading.Thread(target=sink_server, args=(os.path.join(directory, "upload"),),
                     daemon=True).start()
    handler = functools.partial(QuietHandler, directory=directory)
    socketserver.TCPServer.allow_reuse_address = True
    httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 8080), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    print("peer: serving", flush=True)
    if console == "-":
        threading.Event().wait()

    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        with open(console, errors="replace") as f:
            if "net-nat: serving" in f.read():
                break
        time.sleep(0.5)
    else:
        print("peer: the guest never served")
        return 1
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", 2222), timeout=10) as s:
                data = s.makefile().readline().strip()
            if data:
                print("peer: forward: %s" % data)
                return 0
        except OSError:
            pass
        time.sleep(0.5)
    print("peer: nothing came through the forward")
    return 1


if __name__ == "__main__":
    sys.exit(main())
