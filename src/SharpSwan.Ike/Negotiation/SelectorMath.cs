using System.Buffers.Binary;
using System.Net;
using SharpSwan.Config;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Negotiation;

/// <summary>IPv4 traffic-selector arithmetic: configured selectors to wire selectors, and responder narrowing.</summary>
public static class SelectorMath
{
    public static TrafficSelector ToWire(AddressSelector selector, byte protocol, ushort port) =>
        new(
            TrafficSelectorType.Ipv4AddressRange,
            protocol,
            port,
            port == 0 ? (ushort)65535 : port,
            selector.Start,
            selector.End);

    /// <summary>
    /// Narrows what the initiator proposed to what we allow; null when nothing is left (TS_UNACCEPTABLE).
    /// The first proposed selector may describe the triggering packet; any intersection is acceptable.
    /// </summary>
    public static TrafficSelector? Narrow(IReadOnlyList<TrafficSelector> proposed, TrafficSelector allowed)
    {
        foreach (var offered in proposed)
        {
            var result = Intersect(offered, allowed);
            if (result is not null)
            {
                return result;
            }
        }

        return null;
    }

    public static TrafficSelector? Intersect(TrafficSelector a, TrafficSelector b)
    {
        if (a.Type != TrafficSelectorType.Ipv4AddressRange || b.Type != TrafficSelectorType.Ipv4AddressRange)
        {
            return null;
        }

        byte protocol;
        if (a.IpProtocol == 0)
        {
            protocol = b.IpProtocol;
        }
        else if (b.IpProtocol == 0 || b.IpProtocol == a.IpProtocol)
        {
            protocol = a.IpProtocol;
        }
        else
        {
            return null;
        }

        var startPort = Math.Max(a.StartPort, b.StartPort);
        var endPort = Math.Min(a.EndPort, b.EndPort);
        var start = Math.Max(ToUInt32(a.StartAddress), ToUInt32(b.StartAddress));
        var end = Math.Min(ToUInt32(a.EndAddress), ToUInt32(b.EndAddress));
        if (startPort > endPort || start > end)
        {
            return null;
        }

        return new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, protocol, startPort, endPort, FromUInt32(start), FromUInt32(end));
    }

    public static bool Contains(TrafficSelector outer, TrafficSelector inner) =>
        Intersect(outer, inner) is { } i && i.Equals(inner with { });

    public static bool Covers(TrafficSelector selector, uint address) =>
        address >= ToUInt32(selector.StartAddress) && address <= ToUInt32(selector.EndAddress);

    public static uint ToUInt32(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        return address.TryWriteBytes(bytes, out var written) && written == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : 0;
    }

    public static IPAddress FromUInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }

    /// <summary>FortiOS prints selectors as `proto:start-end:port`.</summary>
    public static string Describe(TrafficSelector selector) =>
        $"{selector.IpProtocol}:{selector.StartAddress}-{selector.EndAddress}:{(selector.StartPort == 0 && selector.EndPort == 65535 ? 0 : selector.StartPort)}";
}
