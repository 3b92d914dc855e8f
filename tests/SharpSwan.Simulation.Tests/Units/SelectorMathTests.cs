using System.Net;
using SharpSwan.Config;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Simulation.Tests.Units;

public sealed class SelectorMathTests
{
    [Fact]
    public void A_configured_subnet_becomes_an_IPv4_range_selector_with_all_ports_when_port_is_zero()
    {
        var selector = SelectorMath.ToWire(AddressSelector.FromSubnet(IPAddress.Parse("10.1.0.0"), 24), 0, 0);
        Assert.Equal(TrafficSelectorType.Ipv4AddressRange, selector.Type);
        Assert.Equal((0, 65535), (selector.StartPort, selector.EndPort));
        Assert.Equal(IPAddress.Parse("10.1.0.0"), selector.StartAddress);
        Assert.Equal(IPAddress.Parse("10.1.0.255"), selector.EndAddress);
        Assert.Equal(0, selector.IpProtocol);

        var https = SelectorMath.ToWire(AddressSelector.Single(IPAddress.Parse("10.1.0.9")), 6, 443);
        Assert.Equal((443, 443), (https.StartPort, https.EndPort));
        Assert.Equal(6, https.IpProtocol);
        Assert.Equal("6:10.1.0.9-10.1.0.9:443", SelectorMath.Describe(https));
        Assert.Equal("0:10.1.0.0-10.1.0.255:0", SelectorMath.Describe(selector));
    }

    [Fact]
    public void Intersection_takes_the_overlap_of_addresses_and_ports_and_the_specific_protocol()
    {
        var wide = Range("10.0.0.0", "10.255.255.255", protocol: 0, 0, 65535);
        var narrow = Range("10.1.0.0", "10.1.0.255", protocol: 17, 500, 4500);
        var overlap = SelectorMath.Intersect(wide, narrow);
        Assert.Equal(narrow, overlap);
        Assert.Equal(overlap, SelectorMath.Intersect(narrow, wide));

        var partial = SelectorMath.Intersect(Range("10.0.0.10", "10.0.0.20"), Range("10.0.0.15", "10.0.0.30"));
        Assert.Equal(Range("10.0.0.15", "10.0.0.20"), partial);
    }

    [Fact]
    public void Disjoint_addresses_ports_or_protocols_and_non_IPv4_selectors_have_no_intersection()
    {
        Assert.Null(SelectorMath.Intersect(Range("10.0.0.0", "10.0.0.255"), Range("10.0.1.0", "10.0.1.255")));
        Assert.Null(SelectorMath.Intersect(Range("10.0.0.0", "10.0.0.255", 0, 1, 100), Range("10.0.0.0", "10.0.0.255", 0, 101, 200)));
        Assert.Null(SelectorMath.Intersect(Range("10.0.0.0", "10.0.0.255", protocol: 6), Range("10.0.0.0", "10.0.0.255", protocol: 17)));
        var v6 = new TrafficSelector(TrafficSelectorType.Ipv6AddressRange, 0, 0, 65535, IPAddress.IPv6Any, IPAddress.Parse("ffff::"));
        Assert.Null(SelectorMath.Intersect(v6, Range("10.0.0.0", "10.0.0.255")));

        // Touching at one address is an overlap.
        Assert.Equal(Range("10.0.0.255", "10.0.0.255"), SelectorMath.Intersect(Range("10.0.0.0", "10.0.0.255"), Range("10.0.0.255", "10.0.1.10")));
    }

    [Fact]
    public void Narrowing_returns_the_first_proposed_selector_that_overlaps_what_we_allow()
    {
        var allowed = Range("10.1.0.0", "10.1.0.255");
        var triggeringPacket = Range("10.9.9.9", "10.9.9.9");
        var wide = Range("10.1.0.0", "10.1.255.255");
        Assert.Equal(allowed, SelectorMath.Narrow([triggeringPacket, wide], allowed));
        Assert.Equal(Range("10.1.0.7", "10.1.0.7"), SelectorMath.Narrow([Range("10.1.0.7", "10.1.0.7"), wide], allowed));
        Assert.Null(SelectorMath.Narrow([triggeringPacket], allowed));
        Assert.Null(SelectorMath.Narrow([], allowed));
    }

    [Fact]
    public void Containment_and_coverage_are_inclusive_at_both_ends()
    {
        var outer = Range("10.1.0.0", "10.1.255.255");
        var inner = Range("10.1.2.0", "10.1.2.255");
        Assert.True(SelectorMath.Contains(outer, inner));
        Assert.False(SelectorMath.Contains(inner, outer));
        Assert.True(SelectorMath.Covers(inner, SelectorMath.ToUInt32(IPAddress.Parse("10.1.2.0"))));
        Assert.True(SelectorMath.Covers(inner, SelectorMath.ToUInt32(IPAddress.Parse("10.1.2.255"))));
        Assert.False(SelectorMath.Covers(inner, SelectorMath.ToUInt32(IPAddress.Parse("10.1.3.0"))));
    }

    [Fact]
    public void Addresses_convert_to_and_from_big_endian_integers()
    {
        Assert.Equal(0x0A010203u, SelectorMath.ToUInt32(IPAddress.Parse("10.1.2.3")));
        Assert.Equal(IPAddress.Parse("255.0.0.1"), SelectorMath.FromUInt32(0xFF000001));
        Assert.Equal(0u, SelectorMath.ToUInt32(IPAddress.IPv6Loopback));
    }

    private static TrafficSelector Range(string start, string end, byte protocol = 0, ushort startPort = 0, ushort endPort = 65535) =>
        new(TrafficSelectorType.Ipv4AddressRange, protocol, startPort, endPort, IPAddress.Parse(start), IPAddress.Parse(end));
}
