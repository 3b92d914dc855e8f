using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// Forges what an on-path attacker can send at a live IKE SA (issue 11, item 1): plaintext INFORMATIONAL Delete(IKE),
/// INFORMATIONAL with an error NOTIFY, and IKE_AUTH, carrying the SA's SPIs and the message ID the gateway expects next,
/// from the peer's own address and port (a raw socket, since the peer's charon holds the port).
/// </summary>
public static partial class UnprotectedIkeTraffic
{
    /// <summary>tcpdump filter: IKE responses (R flag) that <paramref name="gateway"/> sends on UDP 4500.</summary>
    public static string ResponsesFrom(string gateway) =>
        $"udp and src host {gateway} and src port 4500 and udp[8:4] = 0 and (udp[31] & 0x20) != 0";

    /// <summary>The IKE SA of <paramref name="phase1"/> in `diagnose vpn ike gateway list`, or null when it lists none.</summary>
    public static LiveIkeSa? Read(string gatewayList)
    {
        Match addr = AddressLine().Match(gatewayList);
        Match spi = SpiLine().Match(gatewayList);
        Match ids = MessageIdLine().Match(gatewayList);
        Match direction = DirectionLine().Match(gatewayList);
        if (!addr.Success || !spi.Success || !ids.Success || !direction.Success)
        {
            return null;
        }

        return new LiveIkeSa(
            IPEndPoint.Parse(addr.Groups[1].Value),
            IPEndPoint.Parse(addr.Groups[2].Value),
            spi.Groups[1].Value,
            spi.Groups[2].Value,
            direction.Groups[1].Value == "initiator",
            uint.Parse(ids.Groups[1].Value, CultureInfo.InvariantCulture),
            uint.Parse(ids.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Runs the forger inside the peer's namespace; its last line reads <c>sent=N errors=N</c>.</summary>
    public static ProcessResult Inject(NetworkNamespace peer, LiveIkeSa sa, string workDirectory)
    {
        string script = Path.Combine(workDirectory, "inject_unprotected_ike.py");
        File.WriteAllText(script, ForgerScript);
        return peer.Exec(
            TimeSpan.FromSeconds(30), "python3", script,
            sa.Remote.Address.ToString(), sa.Remote.Port.ToString(CultureInfo.InvariantCulture),
            sa.Local.Address.ToString(), sa.Local.Port.ToString(CultureInfo.InvariantCulture),
            sa.InitiatorSpi, sa.ResponderSpi,
            // The peer's requests carry the I flag only when the peer started the IKE SA.
            sa.WeInitiated ? "0" : "8",
            sa.ReceiveId.ToString(CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"addr: (\S+) -> (\S+)")]
    private static partial Regex AddressLine();

    [GeneratedRegex(@"id/spi: \d+ ([0-9a-f]{16})/([0-9a-f]{16})")]
    private static partial Regex SpiLine();

    [GeneratedRegex(@"message-id sent/recv: (\d+)/(\d+)")]
    private static partial Regex MessageIdLine();

    [GeneratedRegex(@"direction: (\w+)")]
    private static partial Regex DirectionLine();

    private const string ForgerScript = """
        # Sends plaintext IKEv2 messages with a live IKE SA's SPIs and message ID, spoofing the peer's endpoint.
        # usage: inject_unprotected_ike.py SRC_IP SRC_PORT DST_IP DST_PORT SPI_I SPI_R FLAGS MESSAGE_ID
        import socket
        import struct
        import sys

        src, sport, dst, dport = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
        spi_i, spi_r = int(sys.argv[5], 16), int(sys.argv[6], 16)
        flags, message_id = int(sys.argv[7]), int(sys.argv[8])
        IKE_AUTH, INFORMATIONAL = 35, 37
        DELETE, NOTIFY, ID_R, AUTH = 42, 41, 36, 39
        sent = errors = 0


        def payload(next_payload, body):
            return struct.pack("!BBH", next_payload, 0, 4 + len(body)) + body


        def message(exchange, first, chain):
            header = struct.pack("!QQBBBBII", spi_i, spi_r, first, 0x20, exchange, flags, message_id, 28 + len(chain))
            return header + chain


        delete_ike = payload(0, struct.pack("!BBH", 1, 0, 0))
        auth_failed = payload(0, struct.pack("!BBH", 0, 0, 24))
        identity = payload(AUTH, struct.pack("!B3x", 2) + b"attacker.example")
        auth = payload(0, struct.pack("!B3x", 2) + bytes(32))
        messages = [
            message(INFORMATIONAL, DELETE, delete_ike),
            message(INFORMATIONAL, NOTIFY, auth_failed),
            message(IKE_AUTH, ID_R, identity + auth),
        ]

        raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        for ike in messages:
            # On UDP 4500, IKE follows the four-octet non-ESP marker (RFC 3948).
            data = (b"\x00" * 4 + ike) if dport == 4500 else ike
            udp = struct.pack("!HHHH", sport, dport, 8 + len(data), 0)
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + len(data), 0, 0, 64, 17, 0, socket.inet_aton(src), socket.inet_aton(dst))
            try:
                raw.sendto(ip + udp + data, (dst, 0))
                sent += 1
            except OSError:
                errors += 1

        print("sent=%d errors=%d" % (sent, errors))
        """;
}
