using SharpSwan.Crypto.Certificates;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Events;

/// <summary>
/// Event log records from real engines on a virtual clock: the records the deriver makes of what a gateway's engine
/// publishes (refusals, rekey collisions).
/// </summary>
public sealed class VpnEventDeriverTests
{
    private const string HubAddress = "192.0.2.1";
    private const string PeerAddress = "192.0.2.2";
    private const string Psk = "dialup-secret-psk-value";
    private static readonly DateTimeOffset Start = EngineNetwork.DefaultStart;
    private static readonly IssuedCertificate LabCa = CertificateTables.Authority("CN=Lab CA", Start);
    private static readonly IssuedCertificate ElsewhereCa = CertificateTables.Authority("CN=Elsewhere CA", Start);

    [Fact]
    public void Deriver_ReportsRequestsFromUnknownPeers_AndNothingForEventsWithoutARecord()
    {
        using var network = new EngineNetwork();
        var gateway = network.Add("gateway", "192.0.2.1", EngineNetwork.SiteToSite("to-branch", "to-branch-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0"));
        var stranger = network.Add("stranger", "203.0.113.9", EngineNetwork.SiteToSite("to-gateway", "to-gateway-p2", "203.0.113.9", "192.0.2.1", "10.9.0.0", "10.1.0.0"));
        var deriver = new VpnEventDeriver();
        var records = new List<VpnEvent>();
        gateway.Published += e => records.AddRange(deriver.Observe(e));

        Assert.True(stranger.Engine.Initiate("to-gateway", "to-gateway-p2"));
        network.Run(TimeSpan.FromMinutes(5));

        // One record per refused request: nothing else the gateway's engine published makes one.
        Assert.NotEmpty(records);
        Assert.Equal(gateway.Events.Count, records.Count);
        var error = records[0];
        Assert.Equal(VpnEventIds.Phase1Error, error.LogId);
        Assert.Contains(new VpnEventField("remip", "203.0.113.9", Quoted: false), error.Fields);
        Assert.Contains(new VpnEventField("reason", "no phase1 configured for this peer"), error.Fields);

        // The stranger's request timing out is in its debug log, not its event log.
        var timedOut = stranger.Of<ExchangeTimedOut>();
        Assert.NotEmpty(timedOut);
        Assert.All(timedOut, e => Assert.Empty(new VpnEventDeriver().Observe(e)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ChildSaFailure_OverEsnRequire_CarriesAnEsnField_OthersDoNot(bool esnRequired)
    {
        var failed = new NegotiationFailed
        {
            Phase1 = "to-branch",
            Stage = NegotiationStage.ChildSa,
            Phase2 = "to-branch-p2",
            Notify = Ike.Wire.NotifyType.NoProposalChosen,
            Reason = "no proposal chosen",
            EsnRequired = esnRequired,
        };

        var record = Assert.Single(new VpnEventDeriver().Observe(failed));

        Assert.Equal(VpnEventIds.Phase2Error, record.LogId);
        Assert.Equal(esnRequired, record.Fields.Contains(new VpnEventField("esn", "require")));
    }

    [Fact]
    public void IkeRekeyCollision_OnBothEnds_IsNeitherATunnelDownNorASecondTunnelUp()
    {
        using var network = new EngineNetwork();
        var a = network.Add("a", "192.0.2.1", EngineNetwork.SiteToSite("to-b", "to-b-p2", "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0"));
        var b = network.Add("b", "198.51.100.2", EngineNetwork.SiteToSite("to-a", "to-a-p2", "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0"));
        var records = new Dictionary<EngineNetwork.Node, List<VpnEvent>> { [a] = [], [b] = [] };
        foreach (var node in records.Keys)
        {
            var deriver = new VpnEventDeriver();
            node.Published += e => records[node].AddRange(deriver.Observe(e));
        }

        Assert.True(a.Engine.Initiate("to-b", "to-b-p2"));
        network.Run(TimeSpan.FromSeconds(5));

        // Both ends start an IKE rekey before either request arrives: one new SA survives (RFC 7296 §2.8.2).
        Assert.True(a.Engine.RekeyIke("to-b"));
        Assert.True(b.Engine.RekeyIke("to-a"));
        network.Run(TimeSpan.FromMinutes(1));

        // The end whose own new SA lost moves to the peer's (a rekey by peer) without its usual rekey log line.
        Assert.Contains(a.Of<IkeSaRekeyed>().Concat(b.Of<IkeSaRekeyed>()), r => r.ByPeer);
        foreach (var (node, log) in records)
        {
            var actions = log.Select(r => r.Action).ToList();
            Assert.Equal(1, actions.Count(x => x == "tunnel-up"));
            Assert.DoesNotContain("tunnel-down", actions);
            // The old IKE SA's deletion is recorded as such, not as the tunnel going down.
            var rekeyed = Assert.Single(node.Of<IkeSaRekeyed>());
            Assert.Contains(log, r => r.Action == "delete_phase1_sa" && r.Fields.Contains(new VpnEventField("cookies", rekeyed.OldSpis)));

            // The new SA's completion is one "Progress IPsec phase 1" record naming the end that started it.
            var progress = Assert.Single(log, r => r.LogId == VpnEventIds.Phase1Progress);
            Assert.Contains(new VpnEventField("init", rekeyed.ByPeer ? "remote" : "local"), progress.Fields);
            Assert.Contains(new VpnEventField("cookies", rekeyed.NewSpis), progress.Fields);
        }
    }

    [Theory]
    [InlineData("psk", "authentication failed: PSK auth failed: probable pre-shared key mismatch")]
    [InlineData("untrusted-ca", "authentication failed: issuer CN=Elsewhere CA is not a trusted CA")]
    [InlineData("pool-exhausted", "mode-cfg: no address left in pool 10.10.10.1-10.10.10.1")]
    public void Deriver_ReportsDialUpRefusals_WithThePeerItRefused(string refusal, string reason)
    {
        using var network = new EngineNetwork();
        var hub = network.Add("hub", HubAddress, refusal == "untrusted-ca" ? CertificateHub() : PskHub(poolEnd: refusal == "pool-exhausted" ? "10.10.10.1" : "10.10.10.20"));
        var deriver = new VpnEventDeriver();
        var records = new List<VpnEvent>();
        hub.Published += e => records.AddRange(deriver.Observe(e));
        if (refusal == "pool-exhausted")
        {
            // Another peer holds the pool's one address.
            var first = network.Add("first", "192.0.2.3", PskClient("192.0.2.3", Psk));
            Assert.True(first.Engine.Initiate("to-hub", "to-hub-p2"));
            network.Run(TimeSpan.FromSeconds(5));
            Assert.Single(hub.Of<AddressAssigned>());
        }

        var peer = network.Add("peer", PeerAddress, refusal switch
        {
            "psk" => PskClient(PeerAddress, "a-different-psk-value"),
            "untrusted-ca" => CertificateClient(CertificateTables.Leaf(ElsewhereCa, "CN=intruder", "dns:intruder.lab", CertificateKeyAlgorithm.EcdsaP256, Start)),
            _ => PskClient(PeerAddress, Psk),
        });
        Assert.True(peer.Engine.Initiate("to-hub", "to-hub-p2"));
        network.Run(TimeSpan.FromSeconds(5));

        var error = Assert.Single(records, r => r.Action == "negotiate");
        Assert.Equal(VpnEventIds.Phase1Error, error.LogId);
        Assert.Contains(new VpnEventField("remip", PeerAddress, Quoted: false), error.Fields);
        Assert.Contains(new VpnEventField("remport", "4500", Quoted: false), error.Fields);
        Assert.Contains(new VpnEventField("status", "negotiate_error"), error.Fields);
        Assert.Contains(new VpnEventField("reason", reason), error.Fields);
    }

    private static string PskHub(string poolEnd) => $$"""
        config vpn ipsec phase1-interface
            edit "dialup"
                set type dynamic
                set interface "wan0"
                set ike-version 2
                set local-gw {{HubAddress}}
                set peertype any
                set proposal aes256gcm-prfsha384
                set dhgrp 20
                set psksecret "{{Psk}}"
                set mode-cfg enable
                set ipv4-start-ip 10.10.10.1
                set ipv4-end-ip {{poolEnd}}
                set ipv4-netmask 255.255.255.0
            next
        end
        config vpn ipsec phase2-interface
            edit "dialup-p2"
                set phase1name "dialup"
                set proposal aes256gcm
                set dhgrp 20
                set src-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    /// <summary>A client behind a NAT as the hub sees it (forced NAT traversal), so the hub answers it on 4500.</summary>
    private static string PskClient(string address, string psk) => $$"""
        config vpn ipsec phase1-interface
            edit "to-hub"
                set interface "eth0"
                set ike-version 2
                set local-gw {{address}}
                set remote-gw {{HubAddress}}
                set localid "peer-{{address}}"
                set proposal aes256gcm-prfsha384
                set dhgrp 20
                set nattraversal forced
                set auto-negotiate disable
                set psksecret "{{psk}}"
                set mode-cfg enable
            next
        end
        config vpn ipsec phase2-interface
            edit "to-hub-p2"
                set phase1name "to-hub"
                set proposal aes256gcm
                set dhgrp 20
                set dst-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;

    private static string CertificateHub()
    {
        var hub = CertificateTables.Leaf(LabCa, "CN=hub.lab", "dns:hub.lab", CertificateKeyAlgorithm.EcdsaP256, Start);
        return new CertificateTables().Ca("lab-ca", LabCa).Local("hub", hub).Render() + $$"""
            config vpn ipsec phase1-interface
                edit "dialup-cert"
                    set type dynamic
                    set interface "wan0"
                    set ike-version 2
                    set local-gw {{HubAddress}}
                    set authmethod signature
                    set certificate "hub"
                    set peertype any
                    set proposal aes128gcm-prfsha256
                    set dhgrp 19
                    set mode-cfg enable
                    set ipv4-start-ip 10.10.10.1
                    set ipv4-end-ip 10.10.10.20
                next
            end
            config vpn ipsec phase2-interface
                edit "dialup-cert-p2"
                    set phase1name "dialup-cert"
                    set proposal aes128gcm
                    set pfs disable
                    set src-subnet 10.1.0.0 255.255.255.0
                next
            end
            """;
    }

    private static string CertificateClient(IssuedCertificate certificate) => new CertificateTables().Ca("ca", LabCa).Local("me", certificate).Render() + $$"""
        config vpn ipsec phase1-interface
            edit "to-hub"
                set interface "eth0"
                set ike-version 2
                set local-gw {{PeerAddress}}
                set remote-gw {{HubAddress}}
                set authmethod signature
                set certificate "me"
                set localid "intruder.lab"
                set proposal aes128gcm-prfsha256
                set dhgrp 19
                set nattraversal forced
                set auto-negotiate disable
                set mode-cfg enable
            next
        end
        config vpn ipsec phase2-interface
            edit "to-hub-p2"
                set phase1name "to-hub"
                set proposal aes128gcm
                set pfs disable
                set dst-subnet 10.1.0.0 255.255.255.0
            next
        end
        """;
}
