using System.Net;

namespace SharpSwan.Config.Tests;

public sealed class AddressSelectorTests
{
    [Theory]
    [InlineData("set src-subnet 10.1.0.0 255.255.255.0", "10.1.0.0-10.1.0.255", 24)]
    [InlineData("set src-subnet 10.1.0.0/24", "10.1.0.0-10.1.0.255", 24)]
    [InlineData("set src-subnet 10.1.0.0/255.255.0.0", "10.1.0.0-10.1.255.255", 16)]
    [InlineData("set src-subnet 10.1.0.77 255.255.255.0", "10.1.0.0-10.1.0.255", 24)]
    [InlineData("set src-subnet 192.0.2.7 255.255.255.255", "192.0.2.7-192.0.2.7", 32)]
    [InlineData("set src-subnet 0.0.0.0 0.0.0.0", "0.0.0.0-255.255.255.255", 0)]
    public void Subnet_BecomesARangeWithHostBitsCleared(string line, string expected, int prefixLength)
    {
        var source = ConfigText.ParseValid(ConfigText.Phase2With(line)).Phase2[0].Source;
        Assert.Equal(expected, source.ToString());
        Assert.Equal(prefixLength, source.PrefixLength);
    }

    [Fact]
    public void RangeType_UsesStartAndEnd()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase2With(
            "set dst-addr-type range\n        set dst-start-ip 10.2.0.10\n        set dst-end-ip 10.2.0.20\n        set dst-subnet 10.9.0.0 255.255.0.0"));
        var destination = config.Phase2[0].Destination;
        Assert.Equal("10.2.0.10-10.2.0.20", destination.ToString());
        Assert.Null(destination.PrefixLength);
        Assert.True(destination.Contains(IPAddress.Parse("10.2.0.15")));
        Assert.False(destination.Contains(IPAddress.Parse("10.2.0.21")));
        Assert.False(destination.Contains(IPAddress.Parse("10.9.0.1")));
    }

    [Fact]
    public void IpType_IsASingleAddress()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase2With("set src-addr-type ip\n        set src-start-ip 10.1.0.5"));
        Assert.Equal("10.1.0.5-10.1.0.5", config.Phase2[0].Source.ToString());
        Assert.Equal(32, config.Phase2[0].Source.PrefixLength);
    }

    [Fact]
    public void RangeWithEndBelowStart_IsValueParseError()
    {
        var error = ConfigText.SingleError(ConfigText.Phase2With(
            "set src-addr-type range\n        set src-start-ip 10.1.0.20\n        set src-end-ip 10.1.0.10"));
        Assert.Equal(14, error.Line);
        Assert.Equal("value parse error before '10.1.0.10'", error.Message);
    }

    [Fact]
    public void NameAddressType_NeedsTheAddressName()
    {
        // Named selectors are supported since issue 16 item 5 (AddressObjectTests); without src-name there is nothing to resolve.
        var error = ConfigText.SingleError(ConfigText.Phase2With("set src-addr-type name"));
        Assert.Equal("Attribute 'src-name' MUST be set.", error.Message);
    }

    [Theory]
    [InlineData("set dst-subnet 10.2.0.0/33", "10.2.0.0/33")]
    [InlineData("set dst-subnet 10.2.0.0", "10.2.0.0")]
    [InlineData("set dst-subnet 10.2.0.0 255.255.255.1", "255.255.255.1")]
    [InlineData("set dst-subnet 10.2.0.300 255.255.255.0", "10.2.0.300")]
    public void BadSubnets_AreValueParseErrors(string line, string offending)
    {
        var error = ConfigText.SingleError(ConfigText.Phase2With(line));
        Assert.Equal($"value parse error before '{offending}'", error.Message);
    }

    [Fact]
    public void Any_ContainsEverythingAndPrintsTheFullRange()
    {
        Assert.True(AddressSelector.Any.Contains(IPAddress.Parse("0.0.0.0")));
        Assert.True(AddressSelector.Any.Contains(IPAddress.Parse("255.255.255.255")));
        Assert.True(AddressSelector.Any.IsAny);
        Assert.Equal(0, AddressSelector.Any.PrefixLength);
        Assert.Equal("0.0.0.0-255.255.255.255", AddressSelector.Any.ToString());
    }

    [Fact]
    public void Contains_IsInclusiveAndIgnoresIpv6()
    {
        var selector = AddressSelector.FromSubnet(IPAddress.Parse("10.1.0.0"), 24);
        Assert.True(selector.Contains(IPAddress.Parse("10.1.0.0")));
        Assert.True(selector.Contains(IPAddress.Parse("10.1.0.255")));
        Assert.False(selector.Contains(IPAddress.Parse("10.1.1.0")));
        Assert.False(selector.Contains(IPAddress.Parse("9.255.255.255")));
        Assert.False(selector.Contains(IPAddress.IPv6Loopback));
    }

    [Fact]
    public void PrefixLength_IsNullForRangesThatAreNotOneBlock()
    {
        Assert.Null(new AddressSelector(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.2")).PrefixLength);
        Assert.Null(new AddressSelector(IPAddress.Parse("10.0.0.0"), IPAddress.Parse("10.0.0.254")).PrefixLength);
        Assert.Equal(31, new AddressSelector(IPAddress.Parse("10.0.0.2"), IPAddress.Parse("10.0.0.3")).PrefixLength);
    }

    [Fact]
    public void Equality_IsByValue()
    {
        Assert.Equal(
            AddressSelector.FromSubnet(IPAddress.Parse("10.1.0.9"), 24),
            new AddressSelector(IPAddress.Parse("10.1.0.0"), IPAddress.Parse("10.1.0.255")));
    }
}
