using System.Net;
using System.Net.NetworkInformation;
using PacketDotNet;
using PacketDotNet.Utils;
using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>The sniffer's text at every verbosity level, from packets built with PacketDotNet (an independent encoder).</summary>
public sealed class SnifferFormatterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 27, 4, 13, 11, TimeSpan.Zero);
    private static readonly DateTimeOffset At = Start.AddTicks(15_061_164 * 10); // 15.061164 s later
    private static readonly PhysicalAddress MacA = PhysicalAddress.Parse("02-00-00-00-00-01");
    private static readonly PhysicalAddress MacB = PhysicalAddress.Parse("02-00-00-00-00-02");

    // The FortiOS documentation's level 6 sample (sniftran samples/test3short.txt): an ARP request on wan1.
    private static readonly byte[] SampleArp = Convert.FromHexString(
        "ffffffffffff94de8061a40408060001" + "080006040001" + "94de8061a404" + "0a6c116a" + "000000000000" + "0a6c124d" + "000000000000" + "000000000000000000000000");

    [Fact]
    public void Level6_ReproducesFortiOsDocumentedSample()
    {
        var frame = new CapturedFrame(Start.AddTicks(8_061_640), "wan1", SnifferDirection.In, CaptureLinkType.Ethernet, SampleArp, SampleArp.Length);
        var text = SnifferFormatter.Packet(frame, Options(6), Start, TimeZoneInfo.Utc);
        Assert.Equal(
            "0.806164 wan1 in arp who-has 10.108.18.77 tell 10.108.17.106\n"
            + "0x0000\t ffff ffff ffff 94de 8061 a404 0806 0001\t.........a......\n"
            + "0x0010\t 0800 0604 0001 94de 8061 a404 0a6c 116a\t.........a...l.j\n"
            + "0x0020\t 0000 0000 0000 0a6c 124d 0000 0000 0000\t.......l.M......\n"
            + "0x0030\t 0000 0000 0000 0000 0000 0000          \t............\n"
            + "\n",
            text);
    }

    [Fact]
    public void Level1_IsTheHeaderLineOnly()
    {
        var text = SnifferFormatter.Packet(Ethernet(IkeOver(500, 300)), Options(1), Start, TimeZoneInfo.Utc);
        Assert.Equal("15.061164 192.0.2.1.500 -> 198.51.100.2.500: udp 300\n", text);
    }

    [Fact]
    public void Level2_DumpsFromTheIpHeader_Level3_FromTheEthernetHeader()
    {
        var frame = Ethernet(IkeOver(500, 4));
        var level2 = SnifferFormatter.Packet(frame, Options(2), Start, TimeZoneInfo.Utc).Split('\n');
        var level3 = SnifferFormatter.Packet(frame, Options(3), Start, TimeZoneInfo.Utc).Split('\n');
        Assert.Equal("15.061164 192.0.2.1.500 -> 198.51.100.2.500: udp 4", level2[0]);
        Assert.StartsWith("0x0000\t 4500 0020 ", level2[1], StringComparison.Ordinal);
        Assert.StartsWith("0x0000\t 0200 0000 0002 0200 0000 0001 0800 4500", level3[1], StringComparison.Ordinal);

        // 32 bytes of IP: two full lines and the blank separator; 46 bytes of frame: three lines.
        Assert.Equal(["0x0000", "0x0010", "", ""], level2.Skip(1).Select(l => l.Split('\t')[0]));
        Assert.Equal(["0x0000", "0x0010", "0x0020", "", ""], level3.Skip(1).Select(l => l.Split('\t')[0]));
    }

    [Fact]
    public void Level4_NamesTheInterfaceAndDirection_Level5And6_AddTheDumps()
    {
        var frame = Ethernet(IkeOver(500, 300)) with { Interface = "wan0", Direction = SnifferDirection.Out };
        Assert.Equal("15.061164 wan0 out 192.0.2.1.500 -> 198.51.100.2.500: udp 300\n", SnifferFormatter.Packet(frame, Options(4), Start, TimeZoneInfo.Utc));
        var level5 = SnifferFormatter.Packet(frame, Options(5), Start, TimeZoneInfo.Utc);
        var level6 = SnifferFormatter.Packet(frame, Options(6), Start, TimeZoneInfo.Utc);
        Assert.StartsWith("15.061164 wan0 out 192.0.2.1.500 -> 198.51.100.2.500: udp 300\n0x0000\t 4500 ", level5, StringComparison.Ordinal);
        Assert.StartsWith("15.061164 wan0 out 192.0.2.1.500 -> 198.51.100.2.500: udp 300\n0x0000\t 0200 0000 0002 ", level6, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", level5, StringComparison.Ordinal);
    }

    [Fact]
    public void Esp_ShowsSpiAndSequence_AlsoInUdp4500_ButIkeAndKeepalivesOn4500AreUdp()
    {
        var esp = Convert.FromHexString("2e03e37b00000002" + "00112233445566778899aabbccddeeff");
        var ip = new IPv4Packet(IPAddress.Parse("202.106.1.1"), IPAddress.Parse("101.100.1.1")) { Protocol = PacketDotNet.ProtocolType.IPSecEncapsulatingSecurityPayload, PayloadData = esp };
        ip.UpdateCalculatedValues();
        Assert.Equal("202.106.1.1 -> 101.100.1.1: ESP(spi=0x2e03e37b,seq=0x2)", PacketSummary.Describe(PacketSummary.EtherTypeIpv4, ip.Bytes));

        Assert.Equal("192.0.2.1.4500 -> 198.51.100.2.4500: ESP(spi=0x2e03e37b,seq=0x2)", Describe(Udp(4500, esp)));
        Assert.Equal("192.0.2.1.4500 -> 198.51.100.2.4500: udp 300", Describe(Udp(4500, [0, 0, 0, 0, .. new byte[296]])));
        Assert.Equal("192.0.2.1.4500 -> 198.51.100.2.4500: udp 1", Describe(Udp(4500, [0xFF])));
    }

    [Fact]
    public void Icmp_Tcp_AndTun_AreDescribedTheFortiOsWay()
    {
        var echo = new IcmpV4Packet(new ByteArraySegment(new byte[8])) { TypeCode = IcmpV4TypeCode.EchoRequest };
        var icmp = new IPv4Packet(IPAddress.Parse("10.0.1.10"), IPAddress.Parse("8.8.8.8")) { PayloadPacket = echo };
        icmp.UpdateCalculatedValues();

        // A TUN frame is the bare IP packet.
        var tun = new CapturedFrame(At, "to-branch", SnifferDirection.Out, CaptureLinkType.Raw, icmp.Bytes, icmp.Bytes.Length);
        Assert.Equal("15.061164 to-branch out 10.0.1.10 -> 8.8.8.8: icmp: echo request\n", SnifferFormatter.Packet(tun, Options(4), Start, TimeZoneInfo.Utc));

        var push = new TcpPacket(22, 49962) { SequenceNumber = 204303218, AcknowledgmentNumber = 3053437421, Push = true, Acknowledgment = true, DataOffset = 5 };
        var syn = new TcpPacket(49962, 22) { SequenceNumber = 1919112407, Synchronize = true, DataOffset = 5 };
        Assert.Equal("10.0.2.101.22 -> 10.0.1.101.49962: psh 204303218 ack 3053437421", Describe(Tcp(push, "10.0.2.101", "10.0.1.101")));
        Assert.Equal("10.0.1.101.49962 -> 10.0.2.101.22: syn 1919112407", Describe(Tcp(syn, "10.0.1.101", "10.0.2.101")));
    }

    [Fact]
    public void PortUnreachable_NamesTheQuotedPort()
    {
        var quoted = new IPv4Packet(IPAddress.Parse("198.51.100.2"), IPAddress.Parse("192.0.2.1")) { PayloadPacket = new UdpPacket(500, 4501) };
        quoted.UpdateCalculatedValues();
        var body = new byte[8 + quoted.Bytes.Length];
        body[0] = 3;
        body[1] = 3;
        quoted.Bytes.CopyTo(body, 8);
        var ip = new IPv4Packet(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.2")) { Protocol = PacketDotNet.ProtocolType.Icmp, PayloadData = body };
        ip.UpdateCalculatedValues();
        Assert.Equal("192.0.2.1 -> 198.51.100.2: icmp: 192.0.2.1 udp port 4501 unreachable", PacketSummary.Describe(PacketSummary.EtherTypeIpv4, ip.Bytes));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(19)]
    [InlineData(27)]
    public void TruncatedPackets_AreDescribed_NeverThrown(int length)
    {
        var bytes = Ethernet(IkeOver(500, 300)).Data[..Math.Min(length, 46)];
        var text = PacketSummary.DescribeFrame(CaptureLinkType.Ethernet, bytes);
        Assert.False(string.IsNullOrEmpty(text));
        Assert.Matches("truncated", text);
    }

    [Fact]
    public void Timestamps_FollowTheTsformatLetter()
    {
        var frame = Ethernet(IkeOver(500, 300));
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");
        Assert.StartsWith("2026-11-27 04:13:26.061164 ", SnifferFormatter.Packet(frame, Options(1) with { TimestampFormat = SnifferTimestampFormat.AbsoluteUtc }, Start, zone), StringComparison.Ordinal);
        Assert.StartsWith("2026-11-27 06:13:26.061164 ", SnifferFormatter.Packet(frame, Options(1) with { TimestampFormat = SnifferTimestampFormat.AbsoluteLocal }, Start, zone), StringComparison.Ordinal);
        Assert.StartsWith("15.061164 ", SnifferFormatter.Packet(frame, Options(1), Start, zone), StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderAndFooter_HaveTheFortiOsWording()
    {
        Assert.Equal("Using Original Sniffing Mode\ninterfaces=[any]\nfilters=[udp port 500 or udp port 4500]\n", SnifferFormatter.Header(Options(4) with { Filter = "udp port 500 or udp port 4500" }));
        Assert.Equal("Using Original Sniffing Mode\ninterfaces=[wan0]\nfilters=[none]\n", SnifferFormatter.Header(Options(1) with { Interface = "wan0" }));
        Assert.Equal("\n12 packets received by filter\n0 packets dropped by kernel\n", SnifferFormatter.Footer(12, 0));
    }

    private static SnifferOptions Options(int verbosity) => new() { Verbosity = verbosity };

    private static string Describe(IPv4Packet ip) => PacketSummary.Describe(PacketSummary.EtherTypeIpv4, ip.Bytes);

    private static IPv4Packet IkeOver(ushort port, int payloadLength) => Udp(port, new byte[payloadLength]);

    private static IPv4Packet Udp(ushort port, byte[] payload)
    {
        var udp = new UdpPacket(port, port) { PayloadData = payload };
        var ip = new IPv4Packet(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.2")) { PayloadPacket = udp };
        udp.UpdateCalculatedValues();
        ip.UpdateCalculatedValues();
        return ip;
    }

    private static IPv4Packet Tcp(TcpPacket tcp, string source, string destination)
    {
        var ip = new IPv4Packet(IPAddress.Parse(source), IPAddress.Parse(destination)) { PayloadPacket = tcp };
        ip.UpdateCalculatedValues();
        return ip;
    }

    private static CapturedFrame Ethernet(IPv4Packet ip)
    {
        var ethernet = new EthernetPacket(MacA, MacB, EthernetType.IPv4) { PayloadPacket = ip };
        return new CapturedFrame(At, "wan0", SnifferDirection.In, CaptureLinkType.Ethernet, ethernet.Bytes, ethernet.Bytes.Length);
    }
}
