using System.Net;
using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Events;

/// <summary>
/// Issue 13: the IKEv1 XAUTH outcome in the event log. A refused login is a phase-1 error record naming the user and
/// group in <c>xauthuser</c>/<c>xauthgroup</c>; a passed one names them on every later record of the instance.
/// </summary>
public sealed class XauthEventRecordTests
{
    private const string Instance = "dialup-v1_0";
    private static readonly IPEndPoint Peer = new(IPAddress.Parse("198.51.100.10"), 4500);
    private static readonly IPEndPoint Hub = new(IPAddress.Parse("203.0.113.1"), 4500);

    [Fact]
    public void RefusedLogin_IsAPhase1ErrorRecord_NamingTheUserAndGroup()
    {
        var deriver = new VpnEventDeriver();
        deriver.Observe(new DialupInstanceCreated { Phase1 = Instance, Template = "dialup-v1", At = EngineNetwork.DefaultStart });

        var record = Assert.Single(deriver.Observe(new XauthFailed
        {
            Phase1 = Instance, User = "alice", Group = "vpn-users", Failure = XauthFailure.WrongPassword,
            At = EngineNetwork.DefaultStart, Remote = Peer, Local = Hub,
        }));

        Assert.Equal(VpnEventIds.Phase1Error, record.LogId);
        Assert.Contains(new VpnEventField("status", "negotiate_error"), record.Fields);
        Assert.Contains(new VpnEventField("xauthuser", "alice"), record.Fields);
        Assert.Contains(new VpnEventField("xauthgroup", "vpn-users"), record.Fields);
        Assert.Contains(new VpnEventField("remip", "198.51.100.10", Quoted: false), record.Fields);
    }

    [Fact]
    public void PassedLogin_NamesTheUserOnTheTunnelUpRecord()
    {
        var deriver = new VpnEventDeriver();
        deriver.Observe(new DialupInstanceCreated { Phase1 = Instance, Template = "dialup-v1", At = EngineNetwork.DefaultStart });
        Assert.Empty(deriver.Observe(new XauthSucceeded { Phase1 = Instance, User = "alice", Group = "vpn-users", At = EngineNetwork.DefaultStart, Remote = Peer, Local = Hub }));

        var up = Assert.Single(deriver.Observe(new IkeSaEstablished
        {
            Phase1 = Instance, Role = IkeRole.Responder, InitiatorSpi = 1, ResponderSpi = 2, Proposal = "aes128-sha256", DhGroup = 14, NatTraversal = true, PeerIdentity = "client1.lab",
            At = EngineNetwork.DefaultStart, Remote = Peer, Local = Hub,
        }));

        Assert.Equal("tunnel-up", up.Action);
        Assert.Contains(new VpnEventField("xauthuser", "alice"), up.Fields);
        Assert.Contains(new VpnEventField("xauthgroup", "vpn-users"), up.Fields);
    }

    [Fact]
    public void WithoutXauth_TheFieldsStayNotAvailable()
    {
        var deriver = new VpnEventDeriver();
        var up = Assert.Single(deriver.Observe(new IkeSaEstablished
        {
            Phase1 = "site", Role = IkeRole.Initiator, InitiatorSpi = 1, ResponderSpi = 2, Proposal = "aes128-sha256", DhGroup = 14, NatTraversal = true, PeerIdentity = "client1.lab",
            At = EngineNetwork.DefaultStart, Remote = Peer, Local = Hub,
        }));

        Assert.Contains(new VpnEventField("xauthuser", "N/A"), up.Fields);
    }
}
