#!/usr/bin/env python3
# IKE_SA_INIT flood generator (issue 11, item 3). Run only inside a test network namespace: it sends spoofed IPv4/UDP
# datagrams through a raw socket, each a well-formed IKEv2 IKE_SA_INIT request (SA aes256gcm16/prfsha384/ecp384, a valid
# ECP-384 key share made once with openssl, a nonce) with a new initiator SPI, from source addresses drawn in turn from
# SOURCE_CIDR. Bounded by count and time; paced in 1 ms slots.
#
#   ike-flood.py DESTINATION SOURCE_CIDR RATE_PER_SECOND SECONDS [MAX_PACKETS]
#
# Last line: sent=N seconds=S rate=R errors=E
import ipaddress
import os
import socket
import struct
import subprocess
import sys
import time


def ecp384_public_value():
    """x | y of a fresh P-384 public key (the IKEv2 KE encoding), from openssl so no Python crypto module is needed."""
    key = subprocess.run(["openssl", "ecparam", "-name", "secp384r1", "-genkey", "-noout"], check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "ec", "-pubout", "-outform", "DER"], input=key, check=True, capture_output=True).stdout
    return der[-96:]


def transform(last, kind, ident, attributes=b""):
    body = struct.pack("!BxH", kind, ident) + attributes
    return struct.pack("!BxH", 0 if last else 3, 4 + len(body)) + body


def ike_sa_init(key_share, nonce):
    transforms = (transform(False, 1, 20, struct.pack("!HH", 0x800E, 256))  # ENCR AES-GCM-16, 256-bit key
                  + transform(False, 2, 6)                                  # PRF HMAC-SHA2-384
                  + transform(True, 4, 20))                                 # DH ECP-384
    proposal = struct.pack("!BxHBBBB", 0, 8 + len(transforms), 1, 1, 0, 3) + transforms
    sa = struct.pack("!BxH", 34, 4 + len(proposal)) + proposal                # next: KE
    ke = struct.pack("!BxHHxx", 40, 8 + len(key_share), 20) + key_share       # next: Nonce
    nonce_payload = struct.pack("!BxH", 0, 4 + len(nonce)) + nonce
    body = sa + ke + nonce_payload
    header = struct.pack("!QQBBBBII", 0, 0, 33, 0x20, 34, 0x08, 0, 28 + len(body))
    return bytearray(header + body)


def main():
    if len(sys.argv) < 5:
        sys.exit("usage: ike-flood.py DESTINATION SOURCE_CIDR RATE_PER_SECOND SECONDS [MAX_PACKETS]")
    destination = sys.argv[1]
    sources = list(ipaddress.ip_network(sys.argv[2]).hosts())
    rate, seconds = int(sys.argv[3]), float(sys.argv[4])
    limit = int(sys.argv[5]) if len(sys.argv) > 5 else int(rate * seconds)
    if seconds > 600 or limit > 20_000_000:
        sys.exit("refusing: at most 600 s and 20 million packets")

    ike = ike_sa_init(ecp384_public_value(), os.urandom(32))
    udp_length = 8 + len(ike)
    packet = bytearray(20 + udp_length)
    struct.pack_into("!BBHHHBBH4s4s", packet, 0, 0x45, 0, len(packet), 0, 0, 64, 17, 0, b"\0" * 4, socket.inet_aton(destination))
    struct.pack_into("!HHHH", packet, 20, 500, 500, udp_length, 0)  # UDP checksum 0: none (IPv4)
    packet[28:] = ike
    raw_sources = [s.packed for s in sources]

    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)  # IP_HDRINCL; the kernel fills id and checksum
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    target = (destination, 0)
    spi = int.from_bytes(os.urandom(8), "big") | 1
    sent = errors = 0
    per_slot = max(1, rate // 1000)
    start = time.monotonic()
    end = start + seconds
    slot = 0
    while sent < limit:
        now = time.monotonic()
        if now >= end:
            break
        due = start + slot / 1000.0
        if now < due:
            time.sleep(due - now)
        for _ in range(min(per_slot, limit - sent)):
            packet[12:16] = raw_sources[sent % len(raw_sources)]
            spi = (spi + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF or 1
            struct.pack_into("!Q", packet, 28, spi)
            try:
                sock.sendto(packet, target)
                sent += 1
            except OSError:
                errors += 1
        slot += 1
    elapsed = time.monotonic() - start
    print(f"sent={sent} seconds={elapsed:.2f} rate={sent / elapsed:.0f} errors={errors}", flush=True)


main()
