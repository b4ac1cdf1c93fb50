#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The hand-made seeds of the fuzz corpora (corpus/TARGET/seed-*): a few
valid inputs per target, in the input formats the harnesses describe, so
that fuzzing starts from requests that reach deep into each device.
Usage: gen-seeds.py CORPUS_DIR"""
import os
import struct
import sys

# Features (linux/virtio_*.h bit numbers).
VERSION_1, INDIRECT, EVENT_IDX = 1 << 32, 1 << 28, 1 << 29
BLK = VERSION_1 | (1 << 2) | (1 << 6) | (1 << 9) | (1 << 13) | (1 << 14)
NET_BASE = VERSION_1 | (1 << 5) | (1 << 16)
NET_ALL = NET_BASE | 0b11 | (1 << 7) | (1 << 8) | (1 << 11) | (1 << 12)

u8 = lambda v: struct.pack('<B', v)
u16 = lambda v: struct.pack('<H', v)
u32 = lambda v: struct.pack('<I', v)
u64 = lambda v: struct.pack('<Q', v)


def desc(addr, length, flags=0, nxt=0):
    return struct.pack('<QIHH', addr, length, flags, nxt)


# fuzz-virtq: header, then WRITE(0) WRITE16(1) POP(2) PUSH(3) WANTS(4)
# ENABLE(5) READ(6) IOV(7) SETUP(8).
def vq_header(size=8, d=0x0, a=0x1000, u=0x2000, flags=0):
    return u16(size) + u64(d) + u64(a) + u64(u) + u8(flags)


def w(off, data):
    return u8(0) + u32(off) + u16(len(data)) + data


def w16(off, v):
    return u8(1) + u32(off) + u16(v)


def avail(ring, idx, a=0x1000):
    return w(a, u16(0) + u16(idx) + b''.join(u16(h) for h in ring))


POP, WANTS, ENABLE = u8(2), u8(4), u8(5)
push = lambda k=0, n=0xffffffff: u8(3) + u8(k) + u32(n)
read = lambda n, k=0: u8(6) + u16(n) + u8(k)
iov = lambda wr, skip, k=0: u8(7) + u8(wr) + u32(skip) + u8(k)
NEXT, WRITE, IND = 1, 2, 4


def virtq_seeds():
    use = POP + read(16) + iov(1, 0) + iov(0, 8) + push() + WANTS + ENABLE
    yield 'chain', vq_header() + w(0x30, desc(0x4000, 16, NEXT, 5)) + \
        w(0x50, desc(0x5000, 512, WRITE | NEXT, 6) + desc(0x6000, 1, WRITE)) + \
        avail([3], 1) + use
    yield 'indirect', vq_header() + w(0x5000, desc(0x4000, 16, NEXT, 2) + desc(0, 0) +
                                      desc(0x4100, 64, WRITE)) + \
        w(0x10, desc(0x5000, 48, IND)) + avail([1], 1) + use
    yield 'event-idx', vq_header(flags=1) + w(0, desc(0x4000, 1, WRITE)) + \
        avail([0, 0, 0, 0], 4) + (POP + push() + WANTS) * 4 + w16(0x1000 + 4 + 16, 2) + ENABLE
    yield 'chunks', vq_header(16) + w(0, desc(0x7ff0, 0x20) + desc(0x40000, 0x100, WRITE) +
                                      desc(0xfff0, 0x20, WRITE)) + \
        avail([0, 1, 2], 3) + (POP + read(32) + iov(1, 4) + push()) * 3
    yield 'loop', vq_header() + w(0, desc(0x4000, 8, NEXT, 1) + desc(0x4000, 8, NEXT, 0)) + \
        avail([0], 1) + POP + POP + push() + ENABLE
    yield 'big', vq_header(256, 0x8000, 0x1000, 0x2000) + \
        b''.join(w(0x8000 + 16 * i, desc(0x4000 + 32 * i, 32, NEXT | (WRITE if i > 8 else 0),
                                        i + 1)) for i in range(15)) + \
        w(0x8000 + 16 * 15, desc(0x4000, 4, WRITE)) + avail([0], 1) + POP + \
        read(300) + iov(0, 100) + iov(1, 7) + push(0, 10) + \
        u8(8) + vq_header(4, 0x100, 0x200, 0x300, 1) + POP


# fuzz-cobd: flags, driver set-up, then WRITE(0) WRITE16(1) REQ(2) SERVE(3)
# SERVE_WAIT(4) CALL(5) INIT(6).
def blk_setup(ro=0, features=BLK | INDIRECT | EVENT_IDX, size=64):
    return u8(ro) + u64(features) + u16(size) + u32(0) + u32(0x1000) + u32(0x2000)


def req(t, sector, bufs, flags=0):
    out = u8(2) + u8(flags) + u32(t) + u64(sector) + u8(len(bufs))
    for length, content in bufs:
        out += u16(length) + content[:32].ljust(min(length, 32), b'\0')
    return out


SERVE, SERVE_WAIT = u8(3), u8(4)
IN, OUT, FLUSH, GET_ID, DISCARD, WZ = 0, 1, 4, 8, 11, 13


def seg(sector, n, flags=0):
    return u64(sector) + u32(n) + u32(flags)


def cobd_seeds():
    yield 'read', blk_setup() + req(IN, 0, [(512, b'')]) + SERVE_WAIT
    yield 'write-read', blk_setup() + req(OUT, 2, [(1024, b'\x55' * 32)]) + SERVE + \
        req(IN, 2, [(512, b''), (512, b'')]) + SERVE_WAIT
    yield 'flush-id', blk_setup() + req(FLUSH, 0, []) + req(GET_ID, 0, [(20, b'')]) + SERVE_WAIT
    yield 'discard', blk_setup() + req(DISCARD, 0, [(16, seg(8, 16))]) + \
        req(WZ, 0, [(16, seg(120, 8, 1))]) + SERVE_WAIT
    yield 'bad', blk_setup() + req(IN, 127, [(1024, b'')]) + req(OUT, 0, [(100, b'')]) + \
        req(99, 0, [(8, b'')]) + req(IN, 0, [(512, b'')], 0x02) + \
        req(OUT, 0, [(512, b'')], 0x10) + req(DISCARD, 0, [(16, seg(0, 1 << 23))]) + SERVE_WAIT
    yield 'readonly', blk_setup(1, VERSION_1 | (1 << 5)) + req(OUT, 0, [(512, b'')]) + \
        req(IN, 1, [(512, b'')]) + req(DISCARD, 0, [(16, seg(0, 1))]) + SERVE_WAIT
    yield 'indirect-split', blk_setup() + req(IN, 4, [(256, b''), (256, b'')], 0x05) + \
        req(OUT, 4, [(512, b'')], 0x09) + SERVE + SERVE_WAIT
    yield 'reset', blk_setup(features=BLK) + req(IN, 0, [(512, b'')]) + SERVE + \
        u8(5) + u8(0) + u64(0) + u64(0) + u8(6) + u64(BLK) + u16(8) + u32(0) + \
        u32(0x1000) + u32(0x2000) + req(IN, 0, [(4096, b'')]) + SERVE_WAIT


# fuzz-conet: flags, driver set-up (two queues), then WRITE(0) WRITE16(1)
# TX(2) RXBUF(3) FRAME(4) SERVE(5) CALL(6) INIT(7).
def net_setup(offloads=1, features=NET_ALL | INDIRECT | EVENT_IDX, size=32):
    return u8(offloads) + u64(features) + \
        u16(size) + u32(0x0) + u32(0x800) + u32(0x1000) + \
        u16(size) + u32(0x2000) + u32(0x2800) + u32(0x3000)


def nethdr(flags=0, gso=0, hdr_len=0, gso_size=0, start=0, off=0):
    return struct.pack('<BBHHHHH', flags, gso, hdr_len, gso_size, start, off, 0)


def tx(h, bufs, flags=0, merged=None):
    out = u8(2) + u8(flags) + u8(len(bufs)) + h
    if merged is not None:
        out += u16(merged)
    for length, content in bufs:
        out += u16(length) + content[:64].ljust(min(length, 64), b'\0')
    return out


def rxbuf(lens, flags=0):
    return u8(3) + u8(flags) + u8(len(lens) - 1) + b''.join(u16(n) for n in lens)


def frame(length, data=b''):
    return u8(4) + u32(length) + u8(len(data)) + data


NSERVE = u8(5)
ETH = b'\xff' * 6 + b'\x02\x00\x00\x12\x34\x56' + b'\x08\x00'


def conet_seeds():
    yield 'tx', net_setup() + tx(nethdr(1, start=34, off=16), [(60, ETH)]) + NSERVE
    yield 'tso', net_setup() + tx(nethdr(1, 1, 54, 1448, 34, 16), [(2000, ETH), (2000, b'')]) + \
        tx(nethdr(1, 4, 74, 1440, 54, 16), [(3000, ETH)], 0x01) + NSERVE
    yield 'rx', net_setup() + rxbuf([12, 1514]) + frame(112, b'\x00' * 12 + ETH) + NSERVE + \
        rxbuf([1526], 0x01) + frame(60) + NSERVE
    yield 'rx-bad', net_setup() + rxbuf([4]) + rxbuf([12, 64], 0x04) + rxbuf([12, 64]) + \
        frame(200) + NSERVE + frame(0) + NSERVE + frame(60) + NSERVE
    yield 'tx-bad', net_setup() + tx(nethdr(0x80), [(60, ETH)]) + tx(nethdr(), [(10, b'')]) + \
        tx(nethdr(), [(1600, b'')]) + tx(nethdr(1, start=50, off=16), [(60, b'')]) + \
        tx(nethdr(1, 1, 54, 0, 34, 16), [(3000, b'')]) + tx(nethdr(), [(60, b'')], 0x04) + \
        tx(nethdr(), [], merged=60) + NSERVE
    yield 'nat', net_setup(0, NET_BASE) + tx(nethdr(), [(60, ETH)]) + \
        tx(nethdr(1, start=34, off=16), [(60, ETH)]) + rxbuf([1526]) + frame(60) + NSERVE
    yield 'calls', net_setup() + u8(6) + u8(1) + u64(0) + u64(0) + u8(6) + u8(2) + \
        u64(0) + u64(6) + u8(6) + u8(0) + u64(0x8f) + u64(0) + u8(6) + u8(0) + u64(0) + u64(0) + \
        u8(7) + u64(NET_ALL) + u16(8) + u32(0) + u32(0x800) + u32(0x1000) + \
        u16(8) + u32(0x2000) + u32(0x2800) + u32(0x3000) + tx(nethdr(), [(60, ETH)]) + NSERVE


# fuzz-devcall: WRITE(0) WRITE16(1) CALL(2) CALL_WIDE(3) TYPE(4) WINSIZE(5)
# PRESS(6) SERVE(7) INIT(8).  Devices: 0 cocon, 1 power, 2 cobd0, 3 cobd1
# (read-only), 4 eth0.
def call(dev, op, a0=0, a1=0):
    return u8(2) + u8(dev) + u8(op) + u64(a0) + u64(a1)


def devcall_seeds():
    yield 'console', w(0x5000, b'hello, world\n') + call(0, 0, 0x5000, 13) + \
        u8(4) + u8(5) + b'abcde' + call(0, 1, 0x6000, 3) + call(0, 1, 0x6000, 4096) + \
        u8(5) + u32(25) + u32(80) + call(0, 2) + call(0, 0, 0x7ffe, 4)
    yield 'console-bad', call(0, 0, 0x5000, 4097) + call(0, 1, 0, 0) + call(0, 3) + \
        call(0, 0, 0xfff0, 32) + call(0, 0, 0x47ff0, 64) + call(9, 0) + \
        u8(3) + u64(1 << 40) + u64(0) + u64(0) + u64(0) + u8(3) + u64(0) + u64(1 << 63) + \
        u64(0) + u64(0)
    yield 'power', u8(6) + u8(1) + call(1, 0) + call(1, 0) + u8(6) + u8(2) + call(1, 1)
    read_req = w(0x100, desc(0x4000, 16, NEXT, 1) + desc(0x4200, 512, WRITE | NEXT, 2) +
                 desc(0x4400, 1, WRITE)) + w(0x4000, u32(0) + u32(0) + u64(3)) + \
        w(0x1100, u16(0) + u16(1) + u16(0))
    yield 'cobd', u8(8) + u8(0) + u64(BLK) + u16(16) + u32(0x100) + u32(0x1100) + \
        u32(0x2100) + read_req + u8(7) + u8(0) + call(2, 1, 0) + call(2, 2, 0, 8) + call(2, 0, 0)
    yield 'cobd-ro', u8(8) + u8(1) + u64(VERSION_1 | (1 << 5)) + u16(16) + u32(0x100) + \
        u32(0x1100) + u32(0x2100) + read_req + u8(7) + u8(1) + u8(7) + u8(1)
    yield 'conet', u8(8) + u8(2) + u64(NET_ALL) + u16(8) + u32(0) + u32(0x800) + \
        u32(0x1000) + u16(8) + u32(0x2000) + u32(0x2800) + u32(0x3000) + \
        w(0x2000, desc(0x4000, 12, NEXT, 1) + desc(0x4100, 60)) + \
        w(0x2800, u16(0) + u16(1) + u16(0)) + u8(7) + u8(2) + call(4, 1, 1) + call(4, 9)


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else 'corpus'
    for target, seeds in (('virtq', virtq_seeds), ('cobd', cobd_seeds),
                          ('conet', conet_seeds), ('devcall', devcall_seeds)):
        os.makedirs(os.path.join(top, target), exist_ok=True)
        for name, data in seeds():
            with open(os.path.join(top, target, 'seed-' + name), 'wb') as f:
                f.write(data)


if __name__ == '__main__':
    main()
