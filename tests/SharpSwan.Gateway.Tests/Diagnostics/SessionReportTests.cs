using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Diagnostics;

public sealed class SessionReportTests
{
    [Fact]
    public void A_session_without_nat_has_noop_hooks_and_its_id_as_serial()
    {
        var session = new ConnectionEntry(6, 0x0a010005, 0x0a020009, 40000, 443, true, [])
        {
            Id = 0x1234abcd,
            ReplySource = 0x0a020009,
            ReplyDestination = 0x0a010005,
            ReplySourcePort = 443,
            ReplyDestinationPort = 40000,
            TcpState = 3,
            ExpiresInSeconds = 431999,
            Mark = 0x53530001,
            OriginalCounters = (10, 1200),
            ReplyCounters = (8, 5400),
        };
        Assert.Equal(
            "session info: proto=6 proto_state=01 expire=431999\n"
            + "tunnel=to-branch/\n"
            + "statistic(bytes/packets): org=1200/10 reply=5400/8\n"
            + "hook=pre dir=org act=noop 10.1.0.5:40000->10.2.0.9:443(0.0.0.0:0)\n"
            + "hook=post dir=reply act=noop 10.2.0.9:443->10.1.0.5:40000(0.0.0.0:0)\n"
            + "misc=0 vd=0\nserial=1234abcd\n\ntotal session 1\n",
            SessionReport.Render([session], mark => mark == 0x53530001 ? "to-branch" : null));
    }

    [Fact]
    public void Source_nat_shows_the_translated_address_and_icmp_its_identifier_and_type()
    {
        var masqueraded = new ConnectionEntry(17, 0x0a010005, 0xc000024d, 20000, 53, true, [])
        {
            ReplySource = 0xc000024d,
            ReplyDestination = 0xc6336401,
            ReplySourcePort = 53,
            ReplyDestinationPort = 61000,
        };
        var ping = new ConnectionEntry(1, 0x0a010005, 0x0a020009, 0, 0, false, [])
        {
            ReplySource = 0x0a020009,
            ReplyDestination = 0x0a010005,
            Icmp = (777, 8),
        };
        var report = SessionReport.Render([masqueraded, ping], _ => null);
        Assert.Contains("session info: proto=17 proto_state=00\n", report, StringComparison.Ordinal);
        Assert.Contains("hook=post dir=org act=snat 10.1.0.5:20000->192.0.2.77:53(198.51.100.1:61000)\n", report, StringComparison.Ordinal);
        Assert.Contains("hook=pre dir=reply act=dnat 192.0.2.77:53->198.51.100.1:61000(10.1.0.5:20000)\n", report, StringComparison.Ordinal);
        Assert.Contains("hook=pre dir=org act=noop 10.1.0.5:777->10.2.0.9:8(0.0.0.0:0)\n", report, StringComparison.Ordinal);
        Assert.DoesNotContain("tunnel=", report, StringComparison.Ordinal);
        Assert.EndsWith("total session 2\n", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_has_a_line_per_session_with_its_nat_or_a_dash()
    {
        var masqueraded = new ConnectionEntry(17, 0x0a010005, 0xc000024d, 20000, 53, true, [])
        {
            ReplySource = 0xc000024d,
            ReplyDestination = 0xc6336401,
            ReplySourcePort = 53,
            ReplyDestinationPort = 61000,
            ExpiresInSeconds = 174,
        };
        var ping = new ConnectionEntry(1, 0x0a010005, 0x0a020009, 0, 0, false, [])
        {
            ReplySource = 0x0a020009,
            ReplyDestination = 0x0a010005,
            Icmp = (777, 8),
            ExpiresInSeconds = 29,
        };
        Assert.Equal(
            "PROTO   EXPIRE SOURCE           SOURCE-NAT       DESTINATION      DESTINATION-NAT\n"
            + "udp     174    10.1.0.5:20000   198.51.100.1:61000 192.0.2.77:53    -\n"
            + "icmp    29     10.1.0.5:777     -                10.2.0.9:8       -\n",
            SessionReport.RenderTable([masqueraded, ping]));
    }

    [Fact]
    public void Statistics_count_every_session_and_the_tcp_ones_by_state()
    {
        ConnectionEntry Tcp(byte state) => new(6, 0x0a010005, 0x0a020009, 40000, 443, true, []) { TcpState = state };
        var sessions = new[] { Tcp(3), Tcp(7), Tcp(3), new ConnectionEntry(17, 1, 2, 3, 4, true, []) };
        Assert.Equal(
            "misc info:       session_count=4\nTCP sessions:\n         2 in ESTABLISHED state\n         1 in TIME_WAIT state\n",
            SessionReport.RenderStatistics(sessions));
        Assert.Equal("misc info:       session_count=0\nTCP sessions:\n", SessionReport.RenderStatistics([]));
    }
}
