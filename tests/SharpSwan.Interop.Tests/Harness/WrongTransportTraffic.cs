using System.Globalization;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// Sends a UDP-encapsulated SA's SPI over raw ESP (IP protocol 50) at a gateway, as fast as Python can, with fresh
/// sequence numbers and junk bodies: bounded in count and time, only to the target address given.
/// </summary>
public static class WrongTransportTraffic
{
    /// <summary>Runs the injector inside <paramref name="ns"/>; its last line reads <c>captured=N sent=N errors=N</c>.</summary>
    public static ProcessResult InjectRawCopies(
        NetworkNamespace ns, string pcapPath, string target, string source, TimeSpan duration, int maxPackets, string workDirectory)
    {
        string script = Path.Combine(workDirectory, "inject_wrong_transport.py");
        File.WriteAllText(script, InjectorScript);
        return ns.Exec(
            duration + TimeSpan.FromSeconds(30),
            "python3", script, pcapPath, target, source,
            duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), maxPackets.ToString(CultureInfo.InvariantCulture));
    }

    private const string InjectorScript = """
        # Sends the SPIs of captured ESP-in-UDP packets as raw ESP (protocol 50) to one target, bounded in time and count.
        # usage: inject_wrong_transport.py CAPTURE.pcap TARGET_IP SOURCE_IP SECONDS MAX_PACKETS
        import os
        import random
        import socket
        import struct
        import sys
        import time

        pcap_path, target, source = sys.argv[1], sys.argv[2], sys.argv[3]
        seconds, max_packets = float(sys.argv[4]), int(sys.argv[5])
        rng = random.Random(0x50E5)


        def read_pcap(path):
            with open(path, "rb") as handle:
                data = handle.read()
            if len(data) < 24:
                return []
            order = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
            link_type = struct.unpack(order + "I", data[20:24])[0]
            header_length = {1: 14, 113: 16, 276: 20, 101: 0}[link_type]
            frames, offset = [], 24
            while offset + 16 <= len(data):
                captured_length = struct.unpack(order + "I", data[offset + 8:offset + 12])[0]
                frames.append(data[offset + 16 + header_length:offset + 16 + captured_length])
                offset += 16 + captured_length
            return frames


        def esp_of(ip_packet):
            header_length = (ip_packet[0] & 0x0F) * 4
            return ip_packet[header_length + 8:]


        captured = [esp_of(frame) for frame in read_pcap(pcap_path)]
        # Bodies as long as the real packets, so they reach decryption on the SA if the gateway lets them.
        templates = [(esp[:4], [os.urandom(len(esp) - 8) for _ in range(16)]) for esp in captured if len(esp) > 16]
        raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ESP)
        raw.bind((source, 0))
        sent = errors = 0
        deadline = time.monotonic() + seconds
        while templates and sent + errors < max_packets and time.monotonic() < deadline:
            for _ in range(256):
                spi, bodies = templates[rng.randrange(len(templates))]
                try:
                    raw.sendto(spi + struct.pack("!I", rng.getrandbits(32) | 1) + bodies[rng.randrange(16)], (target, 0))
                    sent += 1
                except OSError:
                    errors += 1

        print("captured=%d sent=%d errors=%d" % (len(captured), sent, errors))
        """;
}
