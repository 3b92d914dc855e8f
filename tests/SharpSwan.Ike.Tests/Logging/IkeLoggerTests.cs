using SharpSwan.Ike.Logging;

namespace SharpSwan.Ike.Tests.Logging;

/// <summary>Interpolated log text is built only for a level the sink shows (the per-setup path formats nothing otherwise).</summary>
public sealed class IkeLoggerTests
{
    [Fact]
    public void HiddenLevelFormatsNothingAndWritesNothing()
    {
        var sink = new RecordingLog(IkeLogLevel.Event);
        var logger = new IkeLogger(sink);
        var formatted = 0;

        logger.Global(IkeLogLevel.Negotiation, $"a {Count(ref formatted)}");
        logger.Tunnel(IkeLogLevel.Negotiation, "hub", $"b {Count(ref formatted)}");
        logger.Sa(IkeLogLevel.Packet, "hub", 7, $"c {Count(ref formatted)}");
        logger.Child(IkeLogLevel.Negotiation, "hub", 7, "hub-p2", 3, $"d {Count(ref formatted)}");

        Assert.Equal(0, formatted);
        Assert.Empty(sink.Lines);
    }

    [Fact]
    public void ShownLevelWritesTheSameLineAsPlainText()
    {
        var sink = new RecordingLog(IkeLogLevel.Negotiation);
        var logger = new IkeLogger(sink);
        var formatted = 0;
        var remote = "198.51.100.9:500";

        logger.Global(IkeLogLevel.Event, $"from {remote} #{Count(ref formatted)}");
        logger.Tunnel(IkeLogLevel.Negotiation, "hub", $"dhgrp {19,3} x{0x2A:x}");
        logger.Sa(IkeLogLevel.Negotiation, "hub", 7, $"id {remote}");
        logger.Child(IkeLogLevel.Event, "hub", 7, "hub-p2", 3, $"spi {0xC0FFEEu:x8}");
        logger.Sa(IkeLogLevel.Negotiation, "hub", 7, "plain text");

        Assert.Equal(1, formatted);
        Assert.Equal(
            [
                (IkeLogLevel.Event, "ike 0: from 198.51.100.9:500 #1"),
                (IkeLogLevel.Negotiation, "ike 0:hub: dhgrp  19 x2a"),
                (IkeLogLevel.Negotiation, "ike 0:hub:7: id 198.51.100.9:500"),
                (IkeLogLevel.Event, "ike 0:hub:7:hub-p2:3: spi 00c0ffee"),
                (IkeLogLevel.Negotiation, "ike 0:hub:7: plain text"),
            ],
            sink.Lines);
    }

    private static int Count(ref int formatted) => ++formatted;

    private sealed class RecordingLog(IkeLogLevel highest) : IIkeLog
    {
        public List<(IkeLogLevel, string)> Lines { get; } = [];

        public bool IsEnabled(IkeLogLevel level) => level <= highest;

        public void Write(IkeLogLevel level, string line) => Lines.Add((level, line));
    }
}
