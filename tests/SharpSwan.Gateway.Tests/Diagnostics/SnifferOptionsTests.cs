using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class SnifferOptionsTests
{
    [Fact]
    public void NoArguments_AreFortiOsDefaults()
    {
        var options = SnifferOptions.Parse([], out var bad);
        Assert.Null(bad);
        Assert.Equal(new SnifferOptions { Interface = "any", Filter = null, Verbosity = 1, Count = 0, TimestampFormat = SnifferTimestampFormat.Relative, FrameSize = 65535 }, options);
    }

    [Fact]
    public void AllPositionals_AndThePcapOption_AreRead()
    {
        var options = SnifferOptions.Parse(["wan0", "udp port 500 or udp port 4500", "4", "10", "a", "1500", "pcap=/tmp/ike.pcapng"], out var bad);
        Assert.Null(bad);
        Assert.Equal(new SnifferOptions
        {
            Interface = "wan0",
            Filter = "udp port 500 or udp port 4500",
            Verbosity = 4,
            Count = 10,
            TimestampFormat = SnifferTimestampFormat.AbsoluteUtc,
            FrameSize = 1500,
            PcapPath = "/tmp/ike.pcapng",
        }, options);
    }

    [Theory]
    [InlineData("none", null)]
    [InlineData("NONE", null)]
    [InlineData("esp", "esp")]
    public void Filter_NoneMeansNoFilter(string filter, string? expected) =>
        Assert.Equal(expected, SnifferOptions.Parse(["any", filter], out _)!.Filter);

    [Theory]
    [InlineData("a", SnifferTimestampFormat.AbsoluteUtc)]
    [InlineData("l", SnifferTimestampFormat.AbsoluteLocal)]
    [InlineData("r", SnifferTimestampFormat.Relative)]
    [InlineData("x", SnifferTimestampFormat.Relative)]
    public void Tsformat_AnythingButAOrLIsRelative(string letter, SnifferTimestampFormat expected) =>
        Assert.Equal(expected, SnifferOptions.Parse(["any", "none", "1", "0", letter], out _)!.TimestampFormat);

    [Theory]
    [InlineData(new[] { "any", "none", "0" }, "0")]
    [InlineData(new[] { "any", "none", "7" }, "7")]
    [InlineData(new[] { "any", "none", "1", "x" }, "x")]
    [InlineData(new[] { "any", "none", "1", "0", "a", "63" }, "63")]
    [InlineData(new[] { "any", "pcap=" }, "pcap=")]
    [InlineData(new[] { "any", "pcap=/a", "pcap=/b" }, "pcap=/b")]
    public void BadValues_PointAtTheWord(string[] words, string expected)
    {
        Assert.Null(SnifferOptions.Parse(words, out var bad));
        Assert.Equal(expected, bad);
    }
}
