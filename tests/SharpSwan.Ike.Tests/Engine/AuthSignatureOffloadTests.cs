using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// IKE_AUTH with certificates, its public-key work handed to the host: our signature made and the peer's (chain and
/// signature) checked on another thread, taken back on the engine thread. The test plays one end's host: it holds the
/// work, and runs and completes it when it chooses.
/// </summary>
public sealed class AuthSignatureOffloadTests
{
    [Fact]
    public async Task The_initiator_signs_and_checks_elsewhere_and_its_IKE_AUTH_leaves_only_once_its_signature_is_back()
    {
        using var link = CertificateLink.Create();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);
        var requests = link.CountTo(link.B, IkeMessages.Of(ExchangeType.IkeAuth, response: false));
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        link.A.Complete(Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held)));
        link.Run(TimeSpan.FromMilliseconds(10));

        // Keyed, our AUTH is being signed: no IKE_AUTH yet, and well past the retransmission timeout nothing is resent.
        var signing = Assert.IsAssignableFrom<OwnAuthComputation>(held[^1]);
        Assert.Equal(2, held.Count);
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(0, requests());
        Assert.Empty(link.A.Of<RequestRetransmitted>());
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Equal(1, link.A.Engine.ComputationsInFlight);

        await link.A.CompleteAsync(signing);
        Assert.Equal(1, requests());
        link.Run(TimeSpan.FromMilliseconds(10));

        // B (inline) authenticated us and answered; our check of its signature is out, and we are not up before it is back.
        var check = Assert.IsAssignableFrom<PeerAuthComputation>(held[^1]);
        Assert.Equal(3, held.Count);
        Assert.Single(link.B.Of<IkeSaEstablished>());
        link.Run(TimeSpan.FromSeconds(10));
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Empty(link.A.Of<RequestRetransmitted>());
        Assert.Equal(1, requests());

        await link.A.CompleteAsync(check);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.NotNull(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current!.PeerCertificate);
        Assert.Equal(3, held.Count);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public async Task The_responder_checks_and_signs_elsewhere_holding_the_retransmitted_requests_meanwhile_and_answers_them_from_its_cache()
    {
        using var link = CertificateLink.Create();
        var held = link.B.HoldComputations(Held.AllButKeyPairs);
        var answers = link.CountTo(link.A, IkeMessages.Of(ExchangeType.IkeAuth, response: true));
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        link.B.Complete(Assert.IsAssignableFrom<KeyExchangeComputation>(Assert.Single(held)));
        link.Run(TimeSpan.FromMilliseconds(10));

        // A's IKE_AUTH arrived: its signature is being checked, and A's retransmissions meanwhile are held, starting no second check.
        var check = Assert.IsAssignableFrom<PeerAuthComputation>(held[^1]);
        link.Run(TimeSpan.FromSeconds(10));
        Assert.NotEmpty(link.A.Of<RequestRetransmitted>());
        Assert.Equal(2, held.Count);
        Assert.Equal(0, answers());

        await link.B.CompleteAsync(check);

        // A is authenticated; our answer's signature is out now, and still nothing answers A.
        var signing = Assert.IsAssignableFrom<OwnAuthComputation>(held[^1]);
        Assert.Equal(3, held.Count);
        link.Run(TimeSpan.FromSeconds(5));
        Assert.Equal(0, answers());
        Assert.Equal(3, held.Count);
        Assert.Empty(link.B.Of<IkeSaEstablished>());

        // The one answer, then each held retransmission answered again from the cache (none computed again).
        var retransmitted = link.A.Of<RequestRetransmitted>().Count;
        await link.B.CompleteAsync(signing);
        Assert.Equal(1 + retransmitted, answers());
        Assert.Equal(retransmitted, link.B.Of<ResponseRetransmitted>().Count);
        Assert.Empty(link.B.Of<HeldMessageDropped>());
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Single(link.A.Of<ChildSaInstalled>());
        Assert.Single(link.B.Of<ChildSaInstalled>());
        Assert.NotNull(link.B.Engine.FindTunnel(EngineLink.PhaseB)!.Current!.PeerCertificate);
        Assert.Equal(1 + retransmitted, answers());
        Assert.Equal(3, held.Count);
        Assert.Equal(0, link.B.Engine.ComputationsInFlight);
    }

    /// <summary>
    /// The IKE_SA_INIT message the checking end receives is altered on the way (its SIGNATURE_HASH_ALGORITHMS list), so the
    /// peer's AUTH signature, made over the message it sent, no longer verifies; the keys still agree. Checked elsewhere,
    /// the failure is the one the inline check gives, event for event.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_bad_signature_checked_elsewhere_fails_authentication_exactly_as_inline(bool checkedByInitiator)
    {
        var inline = WithTamperedInit(checkedByInitiator, offload: false);
        var elsewhere = WithTamperedInit(checkedByInitiator, offload: true);

        Assert.Equal(inline.Checker, elsewhere.Checker);
        Assert.Equal(inline.Other, elsewhere.Other);
        Assert.Contains(inline.Checker, e => e.StartsWith(checkedByInitiator ? nameof(NegotiationFailed) : nameof(AuthenticationFailed), StringComparison.Ordinal));
        Assert.DoesNotContain(nameof(IkeSaEstablished), inline.Checker);
        Assert.DoesNotContain(nameof(ChildSaInstalled), inline.Checker);
    }

    [Theory]
    [InlineData("terminate")]
    [InlineData("negotiate-timeout")]
    public void An_initiator_gone_while_its_signature_is_made_sends_no_IKE_AUTH(string end)
    {
        using var link = CertificateLink.Create();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        link.A.Complete(held[0]);
        link.Run(TimeSpan.FromMilliseconds(10));
        var signing = Assert.IsAssignableFrom<OwnAuthComputation>(held[^1]);

        if (end == "terminate")
        {
            Assert.True(link.A.Engine.Terminate(EngineLink.PhaseA, null));
        }
        else
        {
            // negotiate-timeout (30 s) ends the wait for the signature too.
            link.Run(TimeSpan.FromSeconds(40));
            Assert.Single(link.A.Of<ExchangeTimedOut>());
            Assert.Single(link.A.Of<NegotiationFailed>());
        }

        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);
        var requests = link.CountTo(link.B, IkeMessages.Of(ExchangeType.IkeAuth, response: false));
        signing.Run();
        link.A.Engine.CompleteComputation(signing);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Equal(0, requests());
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Empty(link.B.Of<IkeSaEstablished>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void An_initiator_still_checking_the_answer_at_the_negotiate_timeout_fails_and_drops_the_result()
    {
        using var link = CertificateLink.Create();
        var held = link.A.HoldComputations(Held.AllButKeyPairs);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        link.A.Complete(held[0]);
        link.A.Complete(held[1]);
        link.Run(TimeSpan.FromMilliseconds(10));
        var check = Assert.IsAssignableFrom<PeerAuthComputation>(held[^1]);

        // The answer is here and nothing is resent, but negotiate-timeout (30 s) still ends the wait.
        link.Run(TimeSpan.FromSeconds(40));
        Assert.Empty(link.A.Of<RequestRetransmitted>());
        Assert.Single(link.A.Of<ExchangeTimedOut>());
        Assert.Single(link.A.Of<NegotiationFailed>());
        Assert.Null(link.A.Engine.FindTunnel(EngineLink.PhaseA)!.Current);

        check.Run();
        link.A.Engine.CompleteComputation(check);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Null(check.Check.Chain!.Leaf);
        Assert.Empty(link.A.Of<IkeSaEstablished>());
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
    }

    [Fact]
    public void A_responder_SA_gone_while_the_peer_signature_is_checked_answers_nothing_and_drops_the_certificate()
    {
        using var link = CertificateLink.Create();
        var held = link.B.HoldComputations(Held.AllButKeyPairs);
        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        link.B.Complete(held[0]);
        link.Run(TimeSpan.FromMilliseconds(10));
        var check = Assert.IsAssignableFrom<PeerAuthComputation>(held[^1]);

        // negotiate-timeout (30 s) removes the half-open SA while its check is out.
        link.Run(TimeSpan.FromSeconds(40));
        Assert.Equal(0, link.B.Engine.HalfOpenCount);
        var answers = link.CountTo(link.A, IkeMessages.Of(ExchangeType.IkeAuth, response: true));

        check.Run();
        Assert.NotNull(check.Check.Chain?.Leaf);
        link.B.Engine.CompleteComputation(check);
        link.Run(TimeSpan.FromSeconds(5));

        Assert.Null(check.Check.Chain!.Leaf);
        Assert.Equal(0, answers());
        Assert.Equal(2, held.Count);
        Assert.Empty(link.B.Of<IkeSaEstablished>());
        Assert.Equal(0, link.B.Engine.ComputationsInFlight);
    }

    /// <summary>Both ends' events (failures with their reason) after a run whose checking end got an altered IKE_SA_INIT.</summary>
    private static (List<string> Checker, List<string> Other) WithTamperedInit(bool checkedByInitiator, bool offload)
    {
        using var link = CertificateLink.Create();
        var (checker, other) = checkedByInitiator ? (link.A, link.B) : (link.B, link.A);
        var held = offload ? checker.HoldComputations(Held.AllButKeyPairs) : [];
        byte[]? taken = null;
        link.Intercept = (to, bytes) =>
        {
            if (taken is null && to == checker && IkeHeader.TryRead(bytes, out var header) && header.Exchange == ExchangeType.IkeSaInit && header.IsResponse == checkedByInitiator)
            {
                taken = bytes;
                return true;
            }

            return false;
        };

        Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, EngineLink.Phase2A));
        link.Run(TimeSpan.FromMilliseconds(10));
        Assert.NotNull(taken);
        checker.Receive(other == link.A ? EngineLink.AddressA : EngineLink.AddressB, Tampered(taken));
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
            Assert.Contains(held, c => c is PeerAuthComputation);
        }

        return (Describe(checker), Describe(other));
    }

    /// <summary>The message with its SIGNATURE_HASH_ALGORITHMS data changed from SHA-256/384/512 to SHA-256/384/384.</summary>
    private static byte[] Tampered(byte[] message)
    {
        byte[] hashes = [0x00, 0x02, 0x00, 0x03, 0x00, 0x04];
        var at = message.AsSpan().IndexOf(hashes);
        Assert.True(at > 0);
        var copy = (byte[])message.Clone();
        copy[at + 5] = 0x03;
        return copy;
    }

    private static List<string> Describe(EngineNetwork.Node node) =>
        [.. node.Events.Select(e => e switch
        {
            AuthenticationFailed failed => $"{nameof(AuthenticationFailed)} {failed.Reason}",
            NegotiationFailed failed => $"{nameof(NegotiationFailed)} {failed.Notify} {failed.Reason}",
            _ => e.GetType().Name,
        })];
}
