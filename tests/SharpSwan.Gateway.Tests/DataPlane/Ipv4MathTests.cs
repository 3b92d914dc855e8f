using System.Net;
using SharpSwan.Gateway.DataPlane;

namespace SharpSwan.Gateway.Tests.DataPlane;

public sealed class Ipv4MathTests
{
    [Theory]
    [InlineData("10.10.10.7", "10.10.10.7", "10.10.10.7/32")]
    [InlineData("10.2.0.0", "10.2.0.255", "10.2.0.0/24")]
    [InlineData("10.0.0.1", "10.0.0.6", "10.0.0.1/32 10.0.0.2/31 10.0.0.4/31 10.0.0.6/32")]
    [InlineData("0.0.0.0", "255.255.255.255", "0.0.0.0/0")]
    public void CoveringPrefixes_AreTheFewestBlocksThatCoverTheRangeExactly(string start, string end, string expected)
    {
        var blocks = Ipv4Math.CoveringPrefixes(IPAddress.Parse(start), IPAddress.Parse(end)).Select(b => $"{b.Address}/{b.PrefixLength}");
        Assert.Equal(expected, string.Join(' ', blocks));
    }
}
