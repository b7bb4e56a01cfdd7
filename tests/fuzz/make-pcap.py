#!/usr/bin/env python3
"""Writes a synthetic capture of one TCP conversation, for size limits.

Usage: make-pcap.py OUT PACKETS [--payload BYTES] [--snaplen BYTES]

A handshake, then PACKETS data segments from 10.0.0.1:40000 to
10.0.0.2:80 with BYTES of payload each (default 100) and their ACKs, as a
classic pcap (link type RAW, microsecond times, correct IPv4 checksums).
With --snaplen the frames are cut to that many bytes as `tcpdump -s`
does, so the file is small while the segments it describes are not: the
input for how much a loader allocates per byte of capture.
"""
import argparse
import struct

A = bytes([10, 0, 0, 1])
B = bytes([10, 0, 0, 2])


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def packet(src, dst, sport, dport, seq, ack, flags, payload_len, ip_id):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF,
                      5 << 4, flags, 64240, 0, 0)
    payload = bytes(payload_len)
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp) + payload_len)
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp + payload)) + tcp[18:]
    total = 20 + len(tcp) + payload_len
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, ip_id & 0xFFFF, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    return ip + tcp + payload


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("out")
    parser.add_argument("packets", type=int)
    parser.add_argument("--payload", type=int, default=100)
    parser.add_argument("--snaplen", type=int, default=65535)
    args = parser.parse_args()

    with open(args.out, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, args.snaplen, 101))
        usec = 0

        def write(frame):
            nonlocal usec
            usec += 100
            cut = frame[:args.snaplen]
            out.write(struct.pack("<IIII", 1700000000 + usec // 1000000, usec % 1000000,
                                  len(cut), len(frame)))
            out.write(cut)

        SYN, ACK, PSH = 0x02, 0x10, 0x08
        write(packet(A, B, 40000, 80, 1000, 0, SYN, 0, 1))
        write(packet(B, A, 80, 40000, 5000, 1001, SYN | ACK, 0, 1))
        write(packet(A, B, 40000, 80, 1001, 5001, ACK, 0, 2))
        seq = 1001
        for i in range(args.packets):
            write(packet(A, B, 40000, 80, seq, 5001, PSH | ACK, args.payload, 3 + i))
            seq += args.payload
            if i % 2 == 1:
                write(packet(B, A, 80, 40000, 5001, seq, ACK, 0, 2 + i))


if __name__ == "__main__":
    main()
