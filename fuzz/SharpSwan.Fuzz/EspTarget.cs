using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Esp;
using SharpSwan.Esp.Core;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Fuzz;

/// <summary>
/// ESP inbound processing in the packet core the gateway uses (<see cref="PacketCore.Inbound"/>). The first input octet
/// picks the mode: 0 the rest is a raw ESP packet as received (SPI lookup, length checks, ICV); 1 it is a UDP 4500
/// datagram (keepalive / non-ESP marker / ESP classification first); 2 and 3 it is the ESP payload (inner packet,
/// padding, pad length, next header) sealed with the SA's own key, so decryption succeeds and the trailer, the inner
/// IPv4 header and the selector check (3: an SA limited to TCP/443) see the fuzzer's bytes.
/// </summary>
internal sealed class EspTarget : IFuzzTarget, IDisposable
{
    private const uint AnySpi = 0xc0000001;
    private const uint TcpSpi = 0xc0000002;
    private static readonly IPAddress Local = IPAddress.Parse("192.0.2.1");

    private readonly PacketCore _core = new(TimeProvider.System, events: null);
    private readonly Dictionary<uint, PacketProtector> _sealers = [];
    private readonly byte[] _buffer = new byte[70_000];
    private uint _sequence;

    public EspTarget()
    {
        Install(AnySpi, new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Parse("10.2.0.0"), IPAddress.Parse("10.2.0.255")), udp: false);
        Install(TcpSpi, new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, 6, 443, 443, IPAddress.Parse("10.2.0.0"), IPAddress.Parse("10.2.0.255")), udp: true);
    }

    public string Name => "esp";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 1 || input.Length > 65_000)
        {
            return;
        }

        var body = input[1..];
        switch (input[0] & 3)
        {
            case 0:
                body.CopyTo(_buffer);
                _core.Inbound(_buffer.AsSpan(0, body.Length), EspArrival.Raw(Local), out _, out _, out _);
                break;
            case 1:
                if (UdpEncapsulation.Classify(body) == UdpPayloadKind.Esp)
                {
                    body.CopyTo(_buffer);
                    _core.Inbound(_buffer.AsSpan(0, body.Length), EspArrival.Udp(Local), out _, out _, out _);
                }

                break;
            default:
                var (spi, udp) = (input[0] & 3) == 2 ? (AnySpi, false) : (TcpSpi, true);
                if (SealPayload(spi, body) is int length)
                {
                    var result = _core.Inbound(_buffer.AsSpan(0, length), udp ? EspArrival.Udp(Local) : EspArrival.Raw(Local), out _, out var offset, out var innerLength);
                    if (result == InboundResult.Delivered && (offset < 0 || innerLength < 0 || offset + innerLength > length))
                    {
                        throw new InvalidOperationException($"delivered packet [{offset}, +{innerLength}) lies outside the {length}-octet buffer");
                    }
                }

                break;
        }
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds()
    {
        var ping = Ipv4(1, 64, 0);
        var https = Ipv4(6, 40, 443);
        yield return ("sealed-ping", [2, .. ping, 1, 2, 2, 4]);
        yield return ("sealed-tcp443", [3, .. https, 0, 4]);
        yield return ("sealed-tcp80", [3, .. Ipv4(6, 40, 80), 1, 2, 2, 4]);
        yield return ("raw-unknown-spi", [0, 0, 0, 1, 0, 0, 0, 0, 1, .. new byte[40]]);
        yield return ("raw-known-spi", [0, 0xc0, 0, 0, 1, 0, 0, 0, 1, .. new byte[60]]);
        yield return ("udp-keepalive", [1, 0xff]);
        yield return ("udp-esp", [1, 0xc0, 0, 0, 2, 0, 0, 0, 1, .. new byte[60]]);
    }

    public void Dispose()
    {
        _core.Dispose();
        foreach (var sealer in _sealers.Values)
        {
            sealer.Dispose();
        }
    }

    /// <summary>SPI | sequence | IV | payload | ICV with AES-GCM-16 under the SA's inbound key; the length, or null when too long.</summary>
    private int? SealPayload(uint spi, ReadOnlySpan<byte> payload)
    {
        var sealer = _sealers[spi];
        int length = 8 + sealer.IvSize + payload.Length + sealer.IcvSize;
        if (payload.Length == 0 || length > _buffer.Length)
        {
            return null;
        }

        BinaryPrimitives.WriteUInt32BigEndian(_buffer, spi);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.AsSpan(4), ++_sequence);
        payload.CopyTo(_buffer.AsSpan(8 + sealer.IvSize));
        sealer.Seal(_buffer.AsSpan(0, length), 8, payload.Length);
        return length;
    }

    private void Install(uint spi, TrafficSelector remote, bool udp)
    {
        var key = IkeProtectedTarget.Key(20, (byte)spi);
        var settings = new Phase2Settings
        {
            Name = $"p2-{spi:x}",
            Phase1Name = "p1",
            Source = AddressSelector.FromSubnet(IPAddress.Parse("10.1.0.0"), 24),
            Destination = AddressSelector.FromSubnet(IPAddress.Parse("10.2.0.0"), 24),
        };
        var install = new ChildSaInstall(
            "p1",
            settings.Name,
            spi,
            spi + 0x100,
            new ChildSuite(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, DiffieHellmanGroup.None),
            key,
            [],
            IkeProtectedTarget.Key(20, 0x77),
            [],
            new IPEndPoint(Local, 500),
            new IPEndPoint(IPAddress.Parse("192.0.2.2"), 500),
            UdpEncapsulation: udp,
            ReplayProtection: true,
            new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, 0, 0, 65535, IPAddress.Parse("10.1.0.0"), IPAddress.Parse("10.1.0.255")),
            remote,
            ActivateOutbound: true);
        _core.Install(new Phase2Path("p1", settings), install, new SeededRandomSource((int)spi));
        _sealers[spi] = PacketProtector.Create(EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, key, [], new SeededRandomSource(7));
    }

    /// <summary>An IPv4 packet from 10.2.0.7 to 10.1.0.5 of the given protocol; TCP/UDP carry the destination port.</summary>
    private static byte[] Ipv4(byte protocol, int length, ushort port)
    {
        var packet = new byte[length];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)length);
        packet[8] = 64;
        packet[9] = protocol;
        IPAddress.Parse("10.2.0.7").TryWriteBytes(packet.AsSpan(12), out _);
        IPAddress.Parse("10.1.0.5").TryWriteBytes(packet.AsSpan(16), out _);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), 40000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), port);
        return packet;
    }
}
