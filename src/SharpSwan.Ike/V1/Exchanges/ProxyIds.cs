using System.Net;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.V1.Wire;
using TrafficSelector = SharpSwan.Ike.Wire.TrafficSelector;
using TrafficSelectorType = SharpSwan.Ike.Wire.TrafficSelectorType;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Quick-mode proxy IDs (IDci/IDcr, RFC 2409 §5.5) from and to the engine's IPv4 traffic selectors: an address, a subnet
/// when the range is one, else a range; the protocol, and the port when the selector names a single one.
/// </summary>
internal static class ProxyIds
{
    public static IdentificationPayload From(TrafficSelector selector)
    {
        uint start = SelectorMath.ToUInt32(selector.StartAddress);
        uint end = SelectorMath.ToUInt32(selector.EndAddress);
        ushort port = selector.StartPort == selector.EndPort ? selector.StartPort : (ushort)0;
        byte[] first = selector.StartAddress.GetAddressBytes();
        if (start == end)
        {
            return new IdentificationPayload(IsakmpIdType.Ipv4Address, selector.IpProtocol, port, first);
        }

        uint size = end - start;
        bool isSubnet = (size & (size + 1)) == 0 && (start & size) == 0;
        var data = new byte[8];
        first.CopyTo(data, 0);
        (isSubnet ? SelectorMath.FromUInt32(~size) : selector.EndAddress).GetAddressBytes().CopyTo(data, 4);
        return new IdentificationPayload(isSubnet ? IsakmpIdType.Ipv4Subnet : IsakmpIdType.Ipv4Range, selector.IpProtocol, port, data);
    }

    /// <summary>The selector an ID names; null for anything but IPv4 addresses, subnets and ranges.</summary>
    public static TrafficSelector? To(IdentificationPayload id)
    {
        ushort endPort = id.Port == 0 ? (ushort)65535 : id.Port;
        switch (id.IdType)
        {
            case IsakmpIdType.Ipv4Address:
                var address = new IPAddress(id.Data);
                return new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, id.Protocol, id.Port, endPort, address, address);
            case IsakmpIdType.Ipv4Subnet:
                uint network = SelectorMath.ToUInt32(new IPAddress(id.Data.AsSpan(0, 4)));
                uint mask = SelectorMath.ToUInt32(new IPAddress(id.Data.AsSpan(4, 4)));
                return new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, id.Protocol, id.Port, endPort, SelectorMath.FromUInt32(network & mask), SelectorMath.FromUInt32((network & mask) | ~mask));
            case IsakmpIdType.Ipv4Range:
                return new TrafficSelector(TrafficSelectorType.Ipv4AddressRange, id.Protocol, id.Port, endPort, new IPAddress(id.Data.AsSpan(0, 4)), new IPAddress(id.Data.AsSpan(4, 4)));
            default:
                return null;
        }
    }
}
