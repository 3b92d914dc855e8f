using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace SharpSwan.Ike.Wire;

/// <summary>
/// One traffic selector (RFC 7296 §3.13.1): an IP protocol (0 = any), an inclusive port range and an
/// inclusive address range of the family that <paramref name="Type"/> names.
/// </summary>
public sealed record TrafficSelector(
    TrafficSelectorType Type,
    byte IpProtocol,
    ushort StartPort,
    ushort EndPort,
    IPAddress StartAddress,
    IPAddress EndAddress)
{
    internal const int HeaderLength = 8;
    internal const int Ipv4Length = HeaderLength + (2 * 4);
    internal const int Ipv6Length = HeaderLength + (2 * 16);

    internal int EncodedLength => Type == TrafficSelectorType.Ipv6AddressRange ? Ipv6Length : Ipv4Length;

    internal void Write(Span<byte> destination)
    {
        var family = Type switch
        {
            TrafficSelectorType.Ipv4AddressRange => AddressFamily.InterNetwork,
            TrafficSelectorType.Ipv6AddressRange => AddressFamily.InterNetworkV6,
            _ => throw new ArgumentException($"Traffic selector type {(byte)Type} is not supported."),
        };

        if (StartAddress.AddressFamily != family || EndAddress.AddressFamily != family)
        {
            throw new ArgumentException($"A {Type} selector needs {family} addresses.");
        }

        int addressSize = family == AddressFamily.InterNetwork ? 4 : 16;
        destination[0] = (byte)Type;
        destination[1] = IpProtocol;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)EncodedLength);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], StartPort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], EndPort);
        StartAddress.TryWriteBytes(destination.Slice(HeaderLength, addressSize), out _);
        EndAddress.TryWriteBytes(destination.Slice(HeaderLength + addressSize, addressSize), out _);
    }

    /// <summary>Decodes one selector from the start of <paramref name="data"/>; <paramref name="consumed"/> is its length.</summary>
    internal static TrafficSelector? TryDecode(ReadOnlySpan<byte> data, out int consumed, out string? error)
    {
        consumed = 0;
        if (data.Length < HeaderLength)
        {
            error = "traffic selector shorter than 8 octets";
            return null;
        }

        var type = (TrafficSelectorType)data[0];
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        int expectedLength = type switch
        {
            TrafficSelectorType.Ipv4AddressRange => Ipv4Length,
            TrafficSelectorType.Ipv6AddressRange => Ipv6Length,
            _ => -1,
        };

        if (expectedLength < 0)
        {
            error = $"traffic selector type {(byte)type} is not supported";
            return null;
        }

        if (length != expectedLength)
        {
            error = $"{type} selector length {length}, expected {expectedLength}";
            return null;
        }

        if (length > data.Length)
        {
            error = "traffic selector overruns its payload";
            return null;
        }

        int addressSize = (length - HeaderLength) / 2;
        consumed = length;
        error = null;
        return new TrafficSelector(
            type,
            data[1],
            BinaryPrimitives.ReadUInt16BigEndian(data[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(data[6..]),
            new IPAddress(data.Slice(HeaderLength, addressSize)),
            new IPAddress(data.Slice(HeaderLength + addressSize, addressSize)));
    }

    /// <summary>Compact form <c>protocol:start-end:ports</c>, where a full port range prints as 0 (any).</summary>
    public override string ToString() => $"{IpProtocol}:{StartAddress}-{EndAddress}:{DescribePorts()}";

    private string DescribePorts() => (StartPort, EndPort) switch
    {
        (0, ushort.MaxValue) => "0",
        (ushort.MaxValue, 0) => "opaque",
        _ when StartPort == EndPort && StartPort != 0 => StartPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => $"{StartPort}-{EndPort}",
    };
}
