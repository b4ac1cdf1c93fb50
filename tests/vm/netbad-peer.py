#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The host's side of vm/net-bad-frames, on the guest's TAP.

    netbad-peer.py IFNAME

Broadcasts "netbad go" frames (EtherType 0x88b5) every 0.2 s until the
guest's first good frame arrives, then counts what the guest's frames
carry until SIGTERM or the TAP goes, and prints "peer: good N, highest H,
bad B, odd O, race R" (R: netrace's frames).
"""
import signal
import socket
import sys

ETHERTYPE = 0x88b5


def main():
    ifname = sys.argv[1]
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
    s.bind((ifname, ETHERTYPE))
    s.settimeout(0.2)
    mac = s.getsockname()[4]
    go = b"\xff" * 6 + mac + ETHERTYPE.to_bytes(2, "big") + b"netbad go".ljust(46, b"\0")
    good, bad, odd, race = set(), 0, 0, 0
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        if not good:
            s.send(go)
        try:
            frame, addr = s.recvfrom(70000)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        except OSError:         # the TAP went down: its daemon is gone
            break
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        text = frame[14:64].split(b"\0", 1)[0]
        if text.startswith(b"netbad good "):
            good.add(int(text[12:]))
        elif text.startswith(b"netbad BAD"):
            bad += 1
        elif text.startswith(b"netbad odd"):
            odd += 1
        elif text.startswith(b"netbad race"):
            race += 1
    print("peer: good %d, highest %d, bad %d, odd %d, race %d" %
          (len(good), max(good, default=0), bad, odd, race))


if __name__ == "__main__":
    main()
