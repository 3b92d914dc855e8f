using System.Net;
using SharpSwan.Gateway.Hosting;

namespace SharpSwan.Gateway.Tests.Hosting;

/// <summary>What <c>dns-mode auto</c> pushes: the host resolver's IPv4 nameservers, never its own loopback stub.</summary>
public sealed class HostDnsServersTests
{
    [Fact]
    public void Parse_KeepsIpv4NameserversInOrder_WithoutLoopbackIpv6CommentsOrRepeats()
    {
        const string text = """
            # written by the host's network manager
            search example.net
            nameserver 127.0.0.53
            nameserver 192.0.2.53	# tab, then a comment
            nameserver 2001:db8::53
            ; nameserver 192.0.2.99
            nameserver   198.51.100.53
            nameserver 192.0.2.53
            nameserver not-an-address
            options edns0 trust-ad
            """;

        Assert.Equal([IPAddress.Parse("192.0.2.53"), IPAddress.Parse("198.51.100.53")], HostDnsServers.Parse(text.Replace("\n", "\r\n", StringComparison.Ordinal)));
        Assert.Equal([IPAddress.Parse("192.0.2.53"), IPAddress.Parse("198.51.100.53")], HostDnsServers.Parse(text));
    }

    [Fact]
    public void Parse_OfOnlyAStubResolver_IsEmpty() =>
        Assert.Empty(HostDnsServers.Parse("nameserver 127.0.0.53\noptions edns0\n"));
}
