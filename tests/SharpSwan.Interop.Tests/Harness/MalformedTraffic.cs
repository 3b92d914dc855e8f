namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// Captures real ESP-in-UDP packets and then throws junk at a gateway: exact replays, truncated and forged
/// ESP, random datagrams, and broken IKE headers on ports 500 and 4500 (with and without the non-ESP marker).
/// </summary>
public static class MalformedTraffic
{
    /// <summary>Outbound ESP of <paramref name="source"/>: UDP to port 4500, non-zero SPI, longer than a NAT keepalive.</summary>
    public static string EspCaptureFilter(string source) =>
        $"udp and src host {source} and dst port 4500 and udp[8:4] != 0 and greater 80";

    /// <summary>
    /// Records up to <paramref name="packets"/> ESP packets sent by <paramref name="source"/> while
    /// <paramref name="generateTraffic"/> runs; returns the tcpdump output for diagnostics.
    /// </summary>
    public static string CaptureEsp(
        NetworkNamespace ns, string interfaceName, string source, string pcapPath, int packets, Action generateTraffic, string logPath)
    {
        using BackgroundProcess capture = BackgroundProcess.Start(
            ns.Wrap("tcpdump", "-i", interfaceName, "-n", "-U", "-Z", "root", "-c", packets.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "-w", pcapPath, EspCaptureFilter(source)),
            logPath);
        Wait.Until(
            () => capture.HasExited || capture.Lines().Any(line => line.Contains("listening on", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
        generateTraffic();
        capture.WaitForExit(TimeSpan.FromSeconds(10));
        return string.Join('\n', capture.Lines());
    }

    /// <summary>Runs the injector inside <paramref name="ns"/>; its last line reads <c>captured=N sent=N errors=N</c>.</summary>
    public static ProcessResult Inject(NetworkNamespace ns, string pcapPath, string target, string source, string workDirectory)
    {
        string script = Path.Combine(workDirectory, "inject_malformed.py");
        File.WriteAllText(script, InjectorScript);
        return ns.Exec(TimeSpan.FromSeconds(60), "python3", script, pcapPath, target, source);
    }

    private const string InjectorScript = """
        # Sends malformed, truncated, forged and replayed IKE/ESP datagrams at a gateway.
        # usage: inject_malformed.py CAPTURE.pcap TARGET_IP SOURCE_IP
        import random
        import socket
        import struct
        import sys

        pcap_path, target, source = sys.argv[1], sys.argv[2], sys.argv[3]
        rng = random.Random(0x5EED)
        sent = 0
        errors = 0


        def read_pcap(path):
            with open(path, "rb") as handle:
                data = handle.read()
            if len(data) < 24:
                return []
            magic = data[:4]
            if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
                order = "<"
            elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
                order = ">"
            else:
                raise SystemExit("not a pcap file: " + path)
            link_type = struct.unpack(order + "I", data[20:24])[0]
            # Ethernet, Linux cooked v1/v2, raw IP
            header_length = {1: 14, 113: 16, 276: 20, 101: 0}.get(link_type)
            if header_length is None:
                raise SystemExit("unsupported link type %d" % link_type)
            frames, offset = [], 24
            while offset + 16 <= len(data):
                captured_length = struct.unpack(order + "I", data[offset + 8:offset + 12])[0]
                frames.append(data[offset + 16 + header_length:offset + 16 + captured_length])
                offset += 16 + captured_length
            return frames


        def split_udp(ip_packet):
            header_length = (ip_packet[0] & 0x0F) * 4
            return ip_packet[:header_length], ip_packet[header_length:header_length + 8], ip_packet[header_length + 8:]


        def with_payload(ip_packet, payload):
            # Same addresses and ports as the captured packet, new UDP payload; checksum 0 means "none" in IPv4.
            ip, udp, _ = split_udp(ip_packet)
            ip, udp = bytearray(ip), bytearray(udp)
            struct.pack_into("!H", udp, 4, 8 + len(payload))
            struct.pack_into("!H", udp, 6, 0)
            struct.pack_into("!H", ip, 2, len(ip) + 8 + len(payload))
            struct.pack_into("!H", ip, 10, 0)
            return bytes(ip + udp + payload)


        raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        plain = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        plain.bind((source, 0))


        def send_raw(ip_packet):
            global sent, errors
            try:
                raw.sendto(ip_packet, (target, 0))
                sent += 1
            except OSError:
                errors += 1


        def send_udp(port, payload):
            global sent, errors
            try:
                plain.sendto(payload, (target, port))
                sent += 1
            except OSError:
                errors += 1


        def ike_header(length, next_payload=33, version=0x20, exchange=34, flags=0x08, initiator_spi=None):
            spi_i = initiator_spi if initiator_spi is not None else rng.getrandbits(64)
            return struct.pack("!QQBBBBII", spi_i, 0, next_payload, version, exchange, flags, 0, length)


        captured = read_pcap(pcap_path)

        # 1. ESP: exact replays (must fall to the replay window), truncations, forgeries with the real SPI.
        for packet in captured:
            for _ in range(3):
                send_raw(packet)
            _, _, esp = split_udp(packet)
            for cut in (1, 4, 7, 8, 9, 12, 16, 24, len(esp) - 1):
                if 0 < cut < len(esp):
                    send_raw(with_payload(packet, esp[:cut]))
            spi = esp[:4]
            send_raw(with_payload(packet, spi + struct.pack("!I", 0x7FFFFFFF) + bytes(rng.getrandbits(8) for _ in range(len(esp) - 8))))
            send_raw(with_payload(packet, spi + struct.pack("!I", 0) + bytes(len(esp) - 8)))
            send_raw(with_payload(packet, struct.pack("!II", rng.getrandbits(32) | 0x100, 1) + esp[8:]))
            flipped = bytearray(esp)
            flipped[len(flipped) // 2] ^= 0xFF
            send_raw(with_payload(packet, bytes(flipped)))

        # 2. Port 4500: the non-ESP marker with nothing or a truncated / lying IKE header behind it, keepalives, junk.
        send_udp(4500, b"\x00\x00\x00\x00")
        send_udp(4500, b"\x00\x00\x00\x00" + bytes(rng.getrandbits(8) for _ in range(10)))
        send_udp(4500, b"\x00\x00\x00\x00" + ike_header(0xFFFF))
        send_udp(4500, b"\x00\x00\x00\x00" + ike_header(28 + 4) + struct.pack("!BBH", 0, 0, 0))
        send_udp(4500, b"\xff")
        send_udp(4500, b"")
        for length in (1, 2, 3, 5, 8, 13, 50, 300, 1400):
            junk = bytearray(rng.getrandbits(8) for _ in range(length))
            if length >= 4 and junk[:4] == b"\x00\x00\x00\x00":
                junk[0] = 1
            send_udp(4500, bytes(junk))

        # 3. Port 500: random bytes and IKE headers whose length fields lie.
        for length in (1, 3, 8, 27, 28, 100, 1400):
            send_udp(500, bytes(rng.getrandbits(8) for _ in range(length)))
        send_udp(500, ike_header(28)[:20])
        for claimed in (0, 27, 28 + 100, 0xFFFFFFFF):
            send_udp(500, ike_header(claimed))
        # A payload header that claims zero / too short / too long a length (classic parser loops and overreads).
        for payload_length in (0, 2, 3, 0xFFFF):
            body = struct.pack("!BBH", 0, 0, payload_length) + bytes(8)
            send_udp(500, ike_header(28 + len(body)) + body)
        send_udp(500, ike_header(28, version=0x10))
        send_udp(500, ike_header(28, exchange=0))
        send_udp(500, ike_header(28, initiator_spi=0))

        # 4. Replay the real packets once more at the end, after all the noise.
        for packet in captured:
            send_raw(packet)

        print("captured=%d sent=%d errors=%d" % (len(captured), sent, errors))
        """;
}
