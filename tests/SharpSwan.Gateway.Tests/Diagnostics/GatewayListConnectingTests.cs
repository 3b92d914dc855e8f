using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// `diagnose vpn ike gateway list` while the IKE SA is still being negotiated: the status line reads as FortiOS's
/// (`connecting, state &lt;number&gt;`), never an engine enum name, and the peer's identity, not known yet, is left out.
/// </summary>
public sealed class GatewayListConnectingTests : IDisposable
{
    private readonly EngineNetwork _network = new();
    private readonly EngineNetwork.Node _hq;

    public GatewayListConnectingTests()
    {
        (_hq, _) = _network.AddSiteToSitePair();
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    public void ConnectingSa_ShowsAStateNumber_AndNoEmptyPeerId(int requestsDelivered, int stage)
    {
        var delivered = 0;
        _network.Intercept = (to, _) => to != _hq && ++delivered > requestsDelivered;
        Assert.True(_hq.Engine.Initiate("to-branch", "to-branch-p2"));
        _network.Run(TimeSpan.FromMilliseconds(100));

        var list = TunnelReports.GatewayList(_hq.Engine, _network.Clock, null);

        Assert.Contains($"  status: connecting, state {stage}, started 0s ago\n", list, StringComparison.Ordinal);
        Assert.DoesNotContain("peer-id:", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Sent", list, StringComparison.Ordinal);
    }

    public void Dispose() => _network.Dispose();
}
