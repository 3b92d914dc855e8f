using System.Net;
using SharpSwan.Crypto;

namespace SharpSwan.Config.Tests;

public sealed class ModelEqualityTests
{
    private static Phase1Settings Sample() => new()
    {
        Name = "p1",
        Interface = "eth0",
        Proposals = [IkeProposal.Parse("aes128-sha256")],
        DhGroups = [DiffieHellmanGroup.Ecp256],
        OtherSettings = [new ConfigSetting("esn", ["allow"], 3)],
        SourceLine = 2,
    };

    [Fact]
    public void ArraysCompareByContentNotByReference()
    {
        var a = Sample();
        var b = Sample();
        Assert.NotSame(a, b);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Fact]
    public void SourceLinesDoNotTakePartInEquality()
    {
        Assert.Equal(Sample(), Sample() with { SourceLine = 99 });
        Assert.Equal(new ConfigSetting("x", ["1"], 1), new ConfigSetting("x", ["1"], 50));
    }

    [Fact]
    public void EveryOtherMemberDoes()
    {
        var a = Sample();
        Assert.NotEqual(a, a with { Proposals = [IkeProposal.Parse("aes256-sha256")] });
        Assert.NotEqual(a, a with { DhGroups = [DiffieHellmanGroup.Ecp256, DiffieHellmanGroup.Ecp384] });
        Assert.NotEqual(a, a with { OtherSettings = [new ConfigSetting("esn", ["require"], 3)] });
        Assert.NotEqual(a, a with { PresharedKey = Secret.FromPlaintext("abcdefgh") });
        Assert.NotEqual(a, a with { RemoteGateway = IPAddress.Parse("192.0.2.1") });
        Assert.NotEqual(a, a with { IsInterfaceMode = false });
        Assert.NotEqual(a, a with { Ipv4DnsServer3 = IPAddress.Parse("10.0.0.1") });
    }

    [Fact]
    public void DefaultArraysAreTreatedAsEmpty()
    {
        var a = Sample() with { OtherSettings = default };
        var b = Sample() with { OtherSettings = [] };
        Assert.Equal(a, b);
        Assert.Contains("OtherSettings = []", a.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToStringListsArrayElements()
    {
        var text = Sample().ToString();
        Assert.StartsWith("Phase1Settings { Name = p1, ", text, StringComparison.Ordinal);
        Assert.Contains("DhGroups = [Ecp256]", text, StringComparison.Ordinal);
        Assert.Contains("OtherSettings = [ConfigSetting { Name = esn, Values = [allow], Line = 3 }]", text, StringComparison.Ordinal);
    }
}
