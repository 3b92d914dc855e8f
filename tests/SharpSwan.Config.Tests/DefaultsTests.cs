using System.Net;
using SharpSwan.Crypto;

namespace SharpSwan.Config.Tests;

public sealed class DefaultsTests
{
    private static readonly GatewayConfiguration Config = ConfigText.ParseValid(ConfigText.MinimalPhase1 + "\n" + """
        config vpn ipsec phase2-interface
            edit "p2"
                set phase1name "p1"
            next
        end
        config router static
            edit 7
                set device "p1"
            next
        end
        """);

    [Fact]
    public void Phase1_UnsetFieldsTakeFortiOsDefaults()
    {
        var p1 = Assert.Single(Config.Phase1);
        Assert.Equal(Phase1Type.Static, p1.Type);
        Assert.Equal(IPAddress.Any, p1.LocalGateway);
        Assert.Equal(AuthMethod.Psk, p1.Authmethod);
        Assert.Equal(PeerType.Peer, p1.PeerType);
        Assert.Null(p1.PeerId);
        Assert.Null(p1.LocalId);
        Assert.Equal(LocalIdType.Auto, p1.LocalIdType);
        Assert.Equal(NatTraversal.Enable, p1.NatTraversal);
        Assert.Equal(10, p1.NatKeepaliveSeconds);
        Assert.Equal(86400, p1.KeyLifeSeconds);
        Assert.Equal(DpdMode.OnDemand, p1.Dpd);
        Assert.Equal(3, p1.DpdRetryCount);
        Assert.Equal(20, p1.DpdRetryIntervalSeconds);
        Assert.True(p1.AutoNegotiate);
        Assert.Equal(30, p1.NegotiateTimeoutSeconds);
        Assert.False(p1.IdleTimeout);
        Assert.Equal(15, p1.IdleTimeoutIntervalMinutes);
        Assert.True(p1.Rekey);
        Assert.True(p1.AddRoute);
        Assert.False(p1.ModeCfg);
        Assert.True(p1.AssignIp);
        Assert.Equal(IPAddress.Parse("255.255.255.255"), p1.Ipv4Netmask);
        Assert.Equal(DnsMode.Manual, p1.DnsMode);
        Assert.Null(p1.Comments);
        Assert.Equal([DiffieHellmanGroup.Modp2048], p1.DhGroups.ToArray());
        Assert.Equal(
            ["aes128-sha256", "aes256-sha256", "aes128gcm-prfsha256", "aes256gcm-prfsha384", "chacha20poly1305-prfsha256"],
            p1.Proposals.Select(p => p.Name));
    }

    [Fact]
    public void Phase2_UnsetFieldsTakeFortiOsDefaults()
    {
        var p2 = Assert.Single(Config.Phase2);
        Assert.Equal(
            ["aes128-sha1", "aes256-sha1", "aes128-sha256", "aes256-sha256", "aes128gcm", "aes256gcm", "chacha20poly1305"],
            p2.Proposals.Select(p => p.Name));
        Assert.True(p2.Pfs);
        Assert.Equal([DiffieHellmanGroup.Modp2048], p2.DhGroups.ToArray());
        Assert.True(p2.Replay);
        Assert.False(p2.Keepalive);
        Assert.False(p2.AutoNegotiate);
        Assert.Equal(KeyLifeType.Seconds, p2.KeyLifeType);
        Assert.Equal(43200, p2.KeyLifeSeconds);
        Assert.Equal(5120, p2.KeyLifeKbs);
        Assert.Equal(Encapsulation.TunnelMode, p2.Encapsulation);
        Assert.Equal(0, p2.Protocol);
        Assert.Equal(AddressSelector.Any, p2.Source);
        Assert.Equal(AddressSelector.Any, p2.Destination);
        Assert.Equal("0.0.0.0-255.255.255.255", p2.Source.ToString());
        Assert.Equal(0, p2.SourcePort);
        Assert.Equal(0, p2.DestinationPort);
        Assert.Equal(0, p2.TriggerQueue);
    }

    [Fact]
    public void StaticRoute_UnsetFieldsTakeFortiOsDefaults()
    {
        var route = Assert.Single(Config.StaticRoutes);
        Assert.Equal(7, route.Id);
        Assert.Equal(IPAddress.Any, route.Destination);
        Assert.Equal(0, route.PrefixLength);
        Assert.Equal(10, route.Distance);
        Assert.True(route.Enabled);
    }

    [Fact]
    public void Unset_RevertsAFieldToItsDefault()
    {
        var config = ConfigText.ParseValid(ConfigText.Phase1With("set keylife 3600\n        unset keylife"));
        Assert.Equal(86400, config.Phase1[0].KeyLifeSeconds);
    }

    [Fact]
    public void EmptyText_IsTheEmptyConfiguration()
    {
        var config = ConfigText.ParseValid("# nothing here\n\n");
        Assert.Equal(GatewayConfiguration.Empty, config);
    }
}
