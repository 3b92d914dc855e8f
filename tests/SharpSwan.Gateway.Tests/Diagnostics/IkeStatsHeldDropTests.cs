using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Ike.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// `diagnose vpn ike stats` names the IKE messages dropped while their SA waited for its public-key work (over the hold
/// cap), once there were any: real engines on the shared in-memory network, A's key pair held by the test.
/// </summary>
public sealed class IkeStatsHeldDropTests
{
    private const string Baseline = "ike.sa.established: 1\nike.sa.negotiating: 0\nrx.unprotected.drop: 0\nrx.integrity.drop: 0\n";

    [Fact]
    public void IkeStats_ShowHeldDrops_OnlyOnceAMessageWasDroppedWhileItsSaComputed()
    {
        using var network = new EngineNetwork();
        var (a, _) = network.AddSiteToSitePair();
        Assert.True(a.Engine.Initiate("to-branch", "to-branch-p2"));
        network.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(Baseline, TunnelReports.IkeStats(a.Engine));

        // A rekeys its child with the key pair held: the SA computes, and a datagram too large to hold comes for it.
        var held = a.HoldComputations();
        Assert.True(a.Engine.RekeyChild("to-branch", "to-branch-p2"));
        network.Run(TimeSpan.FromMilliseconds(10));
        var pair = Assert.Single(held);
        var sa = a.Engine.FindTunnel("to-branch")!.Current!;
        var oversized = new byte[64 * 1024]; // twice the 32 KiB an SA may hold
        new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.Encrypted, ExchangeType.Informational, IkeFlags.None, 9, (uint)oversized.Length).Write(oversized);
        a.Receive("198.51.100.2", oversized);

        Assert.Equal(Baseline + "rx.held.drop: 1\n", TunnelReports.IkeStats(a.Engine));
        a.Offload = null;
        a.Complete(pair);
        network.Run(TimeSpan.FromSeconds(2));
        Assert.Equal(Baseline + "rx.held.drop: 1\n", TunnelReports.IkeStats(a.Engine));
    }
}
