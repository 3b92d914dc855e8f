using System.Net;
using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class IkeLinePrefixTests
{
    [Theory]
    [InlineData("ike 0:to-branch: auto-negotiate connection to-branch-p2", "to-branch")]
    [InlineData("ike 0:to-branch:3: sent IKE msg (SA_INIT): 1.2.3.4:500->5.6.7.8:500, len=296", "to-branch")]
    [InlineData("ike 0:to-branch:3:to-branch-p2:7: added IPsec SA: SPIs=1/2", "to-branch")]
    [InlineData("ike V=root:0:hub1-Pri:145: sent IKE msg (CREATE_CHILD): x", "hub1-Pri")]
    [InlineData("ike 0: comes 198.51.100.2:500->192.0.2.1:500,len=296", null)]
    [InlineData("something else: entirely", null)]
    [InlineData("ike x:name: text", null)]
    [InlineData("", null)]
    public void Phase1Name_IsTheFirstPrefixField(string line, string? expected) =>
        Assert.Equal(expected, IkeLinePrefix.Phase1Name(line));

    [Fact]
    public void TrySplit_SeparatesPhase1Phase2AndText()
    {
        Assert.True(IkeLinePrefix.TrySplit("ike 0:to-branch:3:to-branch-p2:7: deleted IPsec SA: SPIs=0a/0b (rekeyed)", out var phase1, out var phase2, out var text));
        Assert.Equal("to-branch", phase1);
        Assert.Equal("to-branch-p2", phase2);
        Assert.Equal("deleted IPsec SA: SPIs=0a/0b (rekeyed)", text);

        Assert.True(IkeLinePrefix.TrySplit("ike 0:to-branch:3: negotiation failure: negotiation timeout", out phase1, out phase2, out text));
        Assert.Equal(("to-branch", null, "negotiation failure: negotiation timeout"), (phase1, phase2, text));

        Assert.True(IkeLinePrefix.TrySplit("ike 0: ignoring IKE request from 203.0.113.9:500: no phase1", out phase1, out phase2, out text));
        Assert.Equal((null, null, "ignoring IKE request from 203.0.113.9:500: no phase1"), (phase1, phase2, text));

        Assert.False(IkeLinePrefix.TrySplit("2016-05-26 07:49:06 ike 0:p1: x", out _, out _, out _));
    }

    [Fact]
    public void Addresses_ComesLine_GivesRemoteAndLocal()
    {
        var (local, remote) = IkeLinePrefix.Addresses("ike 0: comes 198.51.100.2:4500->192.0.2.1:4500,len=296");
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4500), local);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.51.100.2"), 4500), remote);
    }

    [Fact]
    public void Addresses_FromLine_GivesTheRemoteOnly()
    {
        var (local, remote) = IkeLinePrefix.Addresses("ike 0: ignoring IKE request from 203.0.113.9:500: no phase1 configured for this peer");
        Assert.Null(local);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 500), remote);
    }

    [Fact]
    public void Addresses_OfALineWithoutAny_AreNull() =>
        Assert.Equal((null, null), IkeLinePrefix.Addresses("ike 0: 200 half-open IKE SAs"));
}
