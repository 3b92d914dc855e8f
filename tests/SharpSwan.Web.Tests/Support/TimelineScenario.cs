using SharpSwan.Web.Monitoring;
using SharpSwan.Testing;

namespace SharpSwan.Web.Tests.Support;

/// <summary>
/// A gateway's life for its timeline, played by real engines on a virtual clock: the gateway (whose events feed the
/// timeline) has a tunnel to a peer and a tunnel "other" to a second peer; a stranger it has no phase 1 for knocks too.
/// The peer runs PFS on its phase 2 and the gateway does not, so the peer's rekeys succeed and the gateway's are refused
/// with NO_PROPOSAL_CHOSEN: a failure on a live tunnel.
/// </summary>
internal sealed class TimelineScenario : IDisposable
{
    public const string OtherTunnel = "other";
    public const string OtherSelector = "other-p2";
    private const string PeerPhase1 = "to-gateway";
    private const string PeerPhase2 = "to-gateway-p2";
    private static readonly TimeSpan Exchange = TimeSpan.FromSeconds(5);

    /// <param name="tunnel">The gateway's phase 1 to the peer.</param>
    /// <param name="selector">Its phase 2.</param>
    /// <param name="lifetime">keylifeseconds of that phase 2 (and keylife of both phase 1s when it is longer than a day).</param>
    public TimelineScenario(TunnelTimeline timeline, string tunnel, string selector, TimeSpan lifetime, DateTimeOffset? start = null)
    {
        Tunnel = tunnel;
        Selector = selector;
        Network = new EngineNetwork(start);
        var seconds = (int)lifetime.TotalSeconds;
        var phase1Life = seconds > 86400 ? $"set keylife {seconds}" : string.Empty;
        Gateway = Network.Add("gateway", "192.0.2.1",
            EngineNetwork.SiteToSite(tunnel, selector, "192.0.2.1", "198.51.100.2", "10.1.0.0", "10.2.0.0", phase1Extra: phase1Life, phase2Extra: $"set pfs disable\n set keylifeseconds {seconds}")
            + "\n" + EngineNetwork.SiteToSite(OtherTunnel, OtherSelector, "192.0.2.1", "203.0.113.7", "10.1.0.0", "10.7.0.0"));
        Peer = Network.Add("peer", "198.51.100.2",
            EngineNetwork.SiteToSite(PeerPhase1, PeerPhase2, "198.51.100.2", "192.0.2.1", "10.2.0.0", "10.1.0.0", phase1Extra: phase1Life, phase2Extra: $"set keylifeseconds {seconds}"));
        Other = Network.Add("other", "203.0.113.7", EngineNetwork.SiteToSite("to-gateway", "to-gateway-p2", "203.0.113.7", "192.0.2.1", "10.7.0.0", "10.1.0.0"));
        Stranger = Network.Add("stranger", "203.0.113.5", EngineNetwork.SiteToSite("to-gateway", "to-gateway-p2", "203.0.113.5", "192.0.2.1", "10.5.0.0", "10.1.0.0"));
        Gateway.Published += timeline.Observe;
    }

    public string Tunnel { get; }

    public string Selector { get; }

    public EngineNetwork Network { get; }

    public EngineNetwork.Node Gateway { get; }

    public EngineNetwork.Node Peer { get; }

    public EngineNetwork.Node Other { get; }

    public EngineNetwork.Node Stranger { get; }

    public DateTimeOffset Now => Network.Clock.GetUtcNow();

    /// <summary>Lets <paramref name="time"/> pass with the engines running.</summary>
    public void Wait(TimeSpan time) => Network.Run(time);

    /// <summary>The gateway brings its tunnel up: IKE SA and the first SA of the selector.</summary>
    public void BringUp()
    {
        Assert.True(Gateway.Engine.Initiate(Tunnel, Selector));
        Network.Run(Exchange);
    }

    /// <summary>The peer rekeys the selector's SA (make-before-break); returns when it happened.</summary>
    public DateTimeOffset PeerRekeys()
    {
        var at = Now;
        Assert.True(Peer.Engine.RekeyChild(PeerPhase1, PeerPhase2));
        Network.Run(Exchange);
        return at;
    }

    /// <summary>The gateway tries to rekey; the peer answers NO_PROPOSAL_CHOSEN, and the SA in place runs on.</summary>
    public void RekeyIsRefused()
    {
        Assert.True(Gateway.Engine.RekeyChild(Tunnel, Selector));
        Network.Run(Exchange);
    }

    /// <summary>The administrator brings the tunnel down.</summary>
    public void Terminate()
    {
        Assert.True(Gateway.Engine.Terminate(Tunnel, null));
        Network.Run(Exchange);
    }

    /// <summary>The second peer brings "other" up (the gateway responds), and the stranger is turned away.</summary>
    public void OthersKnock()
    {
        Assert.True(Other.Engine.Initiate("to-gateway", "to-gateway-p2"));
        Assert.True(Stranger.Engine.Initiate("to-gateway", "to-gateway-p2"));
        Network.Run(Exchange);
    }

    public void Dispose() => Network.Dispose();
}
