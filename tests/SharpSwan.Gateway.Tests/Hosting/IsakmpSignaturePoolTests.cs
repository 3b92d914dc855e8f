using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;

namespace SharpSwan.Gateway.Tests.Hosting;

/// <summary>
/// IKEv1 phase 1 with certificates between two gateways wired as in production (<see cref="PooledGateway"/>): each end's
/// SIG is made and the peer's chain and SIG checked on the gateway's <see cref="SharpSwan.Gateway.Hosting.ComputationPool"/>
/// threads, the results posted back to the engine loop; then quick mode, and a child SA at both ends. The engine-level
/// tests (IsakmpSignatureOffloadTests) hold the work in the test; here real worker threads race the engine thread.
/// </summary>
public sealed class IsakmpSignaturePoolTests
{
    [Theory]
    [InlineData("main", CertificateKeyAlgorithm.EcdsaP256, "MainModeInitiatorOwnSignatureComputation", "MainModeInitiatorPeerSignatureComputation", "MainModeResponderPeerSignatureComputation", "MainModeResponderOwnSignatureComputation")]
    [InlineData("main", CertificateKeyAlgorithm.Rsa2048, "MainModeInitiatorOwnSignatureComputation", "MainModeInitiatorPeerSignatureComputation", "MainModeResponderPeerSignatureComputation", "MainModeResponderOwnSignatureComputation")]
    [InlineData("aggressive", CertificateKeyAlgorithm.EcdsaP256, "AggressiveModeInitiatorPeerSignatureComputation", "AggressiveModeInitiatorOwnSignatureComputation", "AggressiveModeResponderOwnSignatureComputation", "AggressiveModeResponderPeerSignatureComputation")]
    [InlineData("aggressive", CertificateKeyAlgorithm.Rsa2048, "AggressiveModeInitiatorPeerSignatureComputation", "AggressiveModeInitiatorOwnSignatureComputation", "AggressiveModeResponderOwnSignatureComputation", "AggressiveModeResponderPeerSignatureComputation")]
    public async Task Phase1_signatures_run_on_the_pool_and_the_tunnel_comes_up_to_a_child(string mode, CertificateKeyAlgorithm algorithm, string initiatorFirst, string initiatorSecond, string responderFirst, string responderSecond)
    {
        using var pair = new PooledGatewayPair(mode, algorithm, pooled: true);
        Assert.True(await pair.A.Loop.InvokeAsync(engine => engine.Initiate(PooledGatewayPair.PhaseA, PooledGatewayPair.Phase2A)));
        await PooledGatewayPair.WaitForAsync(() => PooledGatewayPair.ChildUpAsync(pair.A, PooledGatewayPair.PhaseA, PooledGatewayPair.Phase2A), "A's child SA");
        await PooledGatewayPair.WaitForAsync(() => PooledGatewayPair.ChildUpAsync(pair.B, PooledGatewayPair.PhaseB, PooledGatewayPair.Phase2B), "B's child SA");

        Assert.Single(pair.A.Of<IkeSaEstablished>());
        Assert.Single(pair.B.Of<IkeSaEstablished>());
        Assert.Equal(PooledGatewayPair.Phase2A, Assert.Single(pair.A.Of<ChildSaInstalled>()).Phase2);
        Assert.Equal(PooledGatewayPair.Phase2B, Assert.Single(pair.B.Of<ChildSaInstalled>()).Phase2);
        Assert.Empty(pair.A.Of<AuthenticationFailed>());
        Assert.Empty(pair.B.Of<AuthenticationFailed>());
        Assert.Empty(pair.A.Of<NegotiationFailed>());
        Assert.Empty(pair.B.Of<NegotiationFailed>());

        // Each end's two signature steps ran on the pool, once each and in the exchange's order, on its worker threads.
        Assert.Equal([initiatorFirst, initiatorSecond], SignatureWork(pair.A));
        Assert.Equal([responderFirst, responderSecond], SignatureWork(pair.B));
        Assert.All(pair.A.Computed.Concat(pair.B.Computed), c => Assert.StartsWith("ike-compute-", c.Thread));
        Assert.Equal(0, await pair.A.Loop.InvokeAsync(engine => engine.ComputationsInFlight));
        Assert.Equal(0, await pair.B.Loop.InvokeAsync(engine => engine.ComputationsInFlight));
    }

    /// <summary>
    /// B's certificate comes from a CA that A does not trust: A's check of it runs on the pool, and A's phase 1 fails with
    /// the typed events it fails with when the check runs inline (no pool), in the same order and for the same reason.
    /// </summary>
    [Theory]
    [InlineData("main", CertificateKeyAlgorithm.EcdsaP256, "MainModeInitiatorPeerSignatureComputation")]
    [InlineData("aggressive", CertificateKeyAlgorithm.Rsa2048, "AggressiveModeInitiatorPeerSignatureComputation")]
    public async Task An_untrusted_peer_certificate_checked_on_the_pool_fails_phase1_as_inline(string mode, CertificateKeyAlgorithm algorithm, string refusedBy)
    {
        var inline = await FailAsync(mode, algorithm, pooled: false);
        var pooled = await FailAsync(mode, algorithm, pooled: true);

        Assert.Equal(inline.Events, pooled.Events);
        Assert.Equal(inline.Reason, pooled.Reason);
        Assert.Equal(inline.Stage, pooled.Stage);
        Assert.Empty(inline.Work);
        Assert.Contains(refusedBy, pooled.Work);
    }

    private static async Task<(List<string> Events, string Reason, NegotiationStage Stage, List<string> Work)> FailAsync(string mode, CertificateKeyAlgorithm algorithm, bool pooled)
    {
        using var pair = new PooledGatewayPair(mode, algorithm, pooled, untrustedB: true);
        Assert.True(await pair.A.Loop.InvokeAsync(engine => engine.Initiate(PooledGatewayPair.PhaseA, PooledGatewayPair.Phase2A)));
        await PooledGatewayPair.WaitForAsync(() => Task.FromResult(pair.A.Of<NegotiationFailed>().Count > 0), "A's phase 1 to fail");

        Assert.Empty(pair.A.Of<IkeSaEstablished>());
        Assert.Empty(pair.A.Of<ChildSaInstalled>());
        var failed = Assert.Single(pair.A.Of<NegotiationFailed>());

        // Up to the failure; retransmissions depend on how long the real clock took, so they are left out.
        var events = pair.A.Events.TakeWhile(e => e is not NegotiationFailed).Append(failed)
            .Where(e => e is not (RequestRetransmitted or ResponseRetransmitted)).Select(e => e.GetType().Name).ToList();
        return (events, Assert.Single(pair.A.Of<AuthenticationFailed>()).Reason, failed.Stage, SignatureWork(pair.A));
    }

    /// <summary>The signature computations the gateway's pool ran, in the order it gave them back.</summary>
    private static List<string> SignatureWork(PooledGateway gateway) =>
        [.. gateway.Computed.Select(c => c.Kind.Name).Where(n => n.Contains("Signature", StringComparison.Ordinal))];
}
