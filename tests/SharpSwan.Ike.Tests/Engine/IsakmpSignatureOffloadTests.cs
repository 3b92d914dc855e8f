using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.V1.Exchanges;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// IKEv1 phase 1 with certificates (RFC 2409 §5.1), its signatures handed to the host as IKEv2's IKE_AUTH ones are: our SIG
/// made and the peer's certificate chain and SIG checked on another thread, taken back on the engine thread. Main and
/// aggressive mode as either end (A initiates, B answers). The test plays one
/// end's host: it holds that end's signature work (its key exchanges run inline) and runs and completes it when it chooses.
/// Both ends sign with ECDSA P-256, or both with RSA 2048 (IKEv1 negotiates one method).
/// </summary>
public sealed class IsakmpSignatureOffloadTests
{
    [Theory]
    [InlineData("main", "initiator", false, typeof(MainModeInitiatorOwnSignatureComputation), typeof(MainModeInitiatorPeerSignatureComputation))]
    [InlineData("main", "responder", false, typeof(MainModeResponderPeerSignatureComputation), typeof(MainModeResponderOwnSignatureComputation))]
    [InlineData("main", "initiator", true, typeof(MainModeInitiatorOwnSignatureComputation), typeof(MainModeInitiatorPeerSignatureComputation))]
    [InlineData("main", "responder", true, typeof(MainModeResponderPeerSignatureComputation), typeof(MainModeResponderOwnSignatureComputation))]
    [InlineData("aggressive", "initiator", false, typeof(AggressiveModeInitiatorPeerSignatureComputation), typeof(AggressiveModeInitiatorOwnSignatureComputation))]
    [InlineData("aggressive", "responder", false, typeof(AggressiveModeResponderOwnSignatureComputation), typeof(AggressiveModeResponderPeerSignatureComputation))]
    [InlineData("aggressive", "initiator", true, typeof(AggressiveModeInitiatorPeerSignatureComputation), typeof(AggressiveModeInitiatorOwnSignatureComputation))]
    [InlineData("aggressive", "responder", true, typeof(AggressiveModeResponderOwnSignatureComputation), typeof(AggressiveModeResponderPeerSignatureComputation))]
    public async Task Phase1_signs_and_checks_elsewhere_sends_nothing_meanwhile_and_then_comes_up_once(string mode, string end, bool rsa, Type first, Type second)
    {
        using var link = CertificateLink.CreateIkev1(mode, rsa);
        var (node, peer) = end == "initiator" ? (link.A, link.B) : (link.B, link.A);
        var held = node.HoldComputations(IsSignatureWork);
        var toPeer = link.CountTo(peer);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));

        Type[] kinds = [first, second];
        for (var step = 0; step < kinds.Length; step++)
        {
            Assert.Equal(step + 1, held.Count);
            var computation = held[step];
            Assert.IsType(kinds[step], computation);
            Assert.Equal(1, node.Engine.ComputationsInFlight);

            // The SA waits: nothing goes to the peer (no SIG, no retransmission), and it is not up, however long it takes.
            var sentBeforeWait = toPeer();
            link.Run(TimeSpan.FromSeconds(5));
            Assert.Equal(step + 1, held.Count);
            Assert.Equal(sentBeforeWait, toPeer());
            Assert.Empty(node.Of<IkeSaEstablished>());
            Assert.Empty(link.A.Of<NegotiationFailed>());
            Assert.Empty(link.B.Of<NegotiationFailed>());

            await node.CompleteAsync(computation);
            if (computation is OwnAuthComputation)
            {
                // The message carrying our SIG leaves as soon as the signature is back.
                Assert.True(toPeer() > sentBeforeWait);
            }

            link.Run(TimeSpan.FromMilliseconds(10));
        }

        link.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(2, held.Count);
        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.Empty(link.A.Of<AuthenticationFailed>());
        Assert.Empty(link.B.Of<AuthenticationFailed>());
        Assert.NotNull(node.Engine.FindTunnel(node == link.A ? EngineLink.PhaseA : EngineLink.PhaseB)!.Current!.PeerCertificate);
        Assert.Equal(0, node.Engine.ComputationsInFlight);
    }

    /// <summary>
    /// negotiate-timeout (30 s) removes the SA while its signature is made or the peer's is checked (an initiator's request
    /// stays outstanding for that deadline only; a responder's half-open SA has its own): the result is dropped, a held
    /// peer certificate disposed, and nothing goes to the peer.
    /// </summary>
    [Theory]
    [InlineData("main", "initiator", 0)]
    [InlineData("main", "initiator", 1)]
    [InlineData("main", "responder", 0)]
    [InlineData("main", "responder", 1)]
    [InlineData("aggressive", "initiator", 0)]
    [InlineData("aggressive", "initiator", 1)]
    [InlineData("aggressive", "responder", 0)]
    [InlineData("aggressive", "responder", 1)]
    public void A_result_arriving_after_its_SA_is_gone_is_dropped_and_nothing_is_sent(string mode, string end, int step)
    {
        const bool rsa = false;
        using var link = CertificateLink.CreateIkev1(mode, rsa);
        var (node, peer) = end == "initiator" ? (link.A, link.B) : (link.B, link.A);
        var held = node.HoldComputations(IsSignatureWork);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        for (var earlier = 0; earlier < step; earlier++)
        {
            node.Complete(held[earlier]);
            link.Run(TimeSpan.FromMilliseconds(10));
        }

        var computation = held[step];
        link.Run(TimeSpan.FromSeconds(40));
        Assert.All(node.Engine.Tunnels, t => Assert.Empty(t.Sas));
        Assert.Equal(0, node.Engine.HalfOpenCount);
        if (end == "initiator")
        {
            // Our request was kept outstanding for its deadline only: nothing resent, then negotiate-timeout.
            Assert.Empty(node.Of<RequestRetransmitted>());
            Assert.Single(node.Of<ExchangeTimedOut>());
            Assert.Single(node.Of<NegotiationFailed>());
        }

        var toPeer = link.CountTo(peer);

        computation.Run();
        var check = computation as PeerAuthComputation;
        if (check is not null)
        {
            Assert.NotNull(check.Check.Chain?.Leaf);
        }

        node.Engine.CompleteComputation(computation);
        link.Run(TimeSpan.FromSeconds(5));

        if (check is not null)
        {
            Assert.Null(check.Check.Chain!.Leaf);
        }

        Assert.Equal(0, toPeer());
        Assert.Equal(step + 1, held.Count);
        Assert.Empty(node.Of<IkeSaEstablished>());
        Assert.Equal(0, node.Engine.ComputationsInFlight);
    }

    /// <summary>
    /// The responder's copy of message 1 is altered on the way (its SA payload's situation), so the hash one end signs is
    /// not the one the other checks: in main mode the responder refuses SIG_I, in aggressive mode the initiator refuses
    /// SIG_R; the keys still agree. Checked elsewhere, the failure is the one the inline check gives, event for event.
    /// </summary>
    [Theory]
    [InlineData("main")]
    [InlineData("aggressive")]
    public void A_bad_signature_checked_elsewhere_fails_phase1_exactly_as_inline(string mode)
    {
        // The ECDSA signature of main mode's initiator, the RSA one of aggressive mode's responder.
        var rsa = mode == "aggressive";
        var inline = WithTamperedOffer(mode, rsa, offload: false);
        var elsewhere = WithTamperedOffer(mode, rsa, offload: true);

        Assert.Equal(inline.Checker, elsewhere.Checker);
        Assert.Equal(inline.Other, elsewhere.Other);
        Assert.Contains(inline.Checker, e => e.StartsWith($"{nameof(AuthenticationFailed)} peer certificate refused: signature check failed", StringComparison.Ordinal));
        Assert.Contains(inline.Checker, e => e.StartsWith(nameof(NegotiationFailed), StringComparison.Ordinal));
        Assert.DoesNotContain(nameof(IkeSaEstablished), inline.Checker);
        Assert.DoesNotContain(nameof(IkeSaEstablished), inline.Other);
    }

    /// <summary>Both ends' events (failures with their reason) after a run in which B got an altered message 1.</summary>
    private static (List<string> Checker, List<string> Other) WithTamperedOffer(string mode, bool rsa, bool offload)
    {
        using var link = CertificateLink.CreateIkev1(mode, rsa);
        var (checker, other) = mode == "main" ? (link.B, link.A) : (link.A, link.B);
        var held = offload ? checker.HoldComputations(c => c is PeerAuthComputation) : [];
        byte[]? taken = null;
        link.Intercept = (to, bytes) =>
        {
            if (taken is null && to == link.B)
            {
                taken = bytes;
                return true;
            }

            return false;
        };

        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        Assert.NotNull(taken);
        link.B.Receive(EngineLink.AddressA, Tampered(taken));
        var completed = 0;
        for (var round = 0; round < 10; round++)
        {
            link.Run(TimeSpan.FromMilliseconds(10));
            while (completed < held.Count)
            {
                checker.Complete(held[completed++]);
            }
        }

        if (offload)
        {
            Assert.IsAssignableFrom<PeerAuthComputation>(Assert.Single(held));
        }

        return (Describe(checker), Describe(other));
    }

    /// <summary>Message 1 with its SA payload's situation changed from SIT_IDENTITY_ONLY (1) to 3: nobody checks it, but SAi_b covers it.</summary>
    private static byte[] Tampered(byte[] first)
    {
        // ISAKMP header (28), the SA payload's generic header (4), DOI (4), then the situation's last octet.
        const int Situation = 28 + 4 + 4 + 3;
        Assert.Equal(1, first[Situation]);
        var copy = (byte[])first.Clone();
        copy[Situation] = 3;
        return copy;
    }

    /// <summary>Only the signature work is held; key exchanges and key pairs are computed inline.</summary>
    private static bool IsSignatureWork(EngineComputation computation) => computation is OwnAuthComputation or PeerAuthComputation;

    private static List<string> Describe(EngineNetwork.Node node) =>
        [.. node.Events.Select(e => e switch
        {
            AuthenticationFailed failed => $"{nameof(AuthenticationFailed)} {failed.Reason}",
            NegotiationFailed failed => $"{nameof(NegotiationFailed)} {failed.Stage} {failed.Reason}",
            PeerCertificateRefused refused => $"{nameof(PeerCertificateRefused)} {refused.Problem} {refused.Reason}",
            _ => e.GetType().Name,
        })];
}
