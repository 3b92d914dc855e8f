using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Testing;

namespace SharpSwan.Ike.Tests.Engine;

/// <summary>
/// Three phase 2s asked for while an IKEv1 phase 1 with certificates is set up: they wait for the ISAKMP SA, then run one
/// quick mode at a time from its queue. With the phase-1 signatures on the host, the queue is also pumped where a
/// computation is taken back (IkeEngine.Finish): whether the host computes inline or holds every computation and gives it
/// back later, each phase 2 starts exactly one quick mode, none before phase 1 is established and its last message sent,
/// and all three children come up at both ends.
/// </summary>
public sealed class IsakmpQueuedQuickModeTests
{
    private static readonly string[] Phase2sA = [EngineLink.Phase2A, "to-b-p2-2", "to-b-p2-3"];
    private static readonly string[] Phase2sB = [EngineLink.Phase2B, "to-a-p2-2", "to-a-p2-3"];

    [Theory]
    [InlineData("main", false, false)]
    [InlineData("main", true, true)]
    [InlineData("main", false, true)]
    [InlineData("aggressive", true, false)]
    [InlineData("aggressive", false, true)]
    [InlineData("aggressive", true, true)]
    public void Phase2s_queued_behind_phase1_each_start_one_quick_mode_after_it_is_up(string mode, bool rsa, bool held)
    {
        using var link = CertificateLink.CreateIkev1(mode, rsa, tailA: MorePhase2s(EngineLink.PhaseA, Phase2sA, "10.1", "10.2"), tailB: MorePhase2s(EngineLink.PhaseB, Phase2sB, "10.2", "10.1"));
        var pending = new Queue<(EngineNetwork.Node Node, EngineComputation Computation)>();
        if (held)
        {
            // Every computation of either end waits here until the test gives it back, one at a time, in order.
            link.A.Offload = c => Hold(pending, link.A, c);
            link.B.Offload = c => Hold(pending, link.B, c);
        }

        // What A sends, in order: the exchange, its message ID, and whether A's ISAKMP SA was up at that moment.
        var sent = new List<(IsakmpExchangeType Exchange, uint MessageId, bool Established)>();
        link.CaptureTo(link.B, bytes =>
        {
            Assert.True(IsakmpHeader.TryRead(bytes, out var header));
            sent.Add((header.Exchange, header.MessageId, link.A.Of<IkeSaEstablished>().Count > 0));
            return false;
        });

        foreach (var phase2 in Phase2sA)
        {
            Assert.True(link.A.Engine.Initiate(EngineLink.PhaseA, phase2));
        }

        link.Run(TimeSpan.FromMilliseconds(10));
        for (var round = 0; round < 2; round++)
        {
            // A second round takes what only a retransmission brings (a message the peer did not take the first time).
            while (pending.TryDequeue(out var next))
            {
                next.Node.Complete(next.Computation);
                link.Run(TimeSpan.FromMilliseconds(10));
            }

            link.Run(TimeSpan.FromSeconds(5));
        }

        Assert.Empty(pending);

        Assert.Single(link.A.Of<IkeSaEstablished>());
        Assert.Single(link.B.Of<IkeSaEstablished>());
        Assert.Empty(link.A.Of<NegotiationFailed>());
        Assert.Empty(link.B.Of<NegotiationFailed>());
        Assert.Equal(Phase2sA.Order(), link.A.Of<ChildSaInstalled>().Select(c => c.Phase2).Order());
        Assert.Equal(Phase2sB.Order(), link.B.Of<ChildSaInstalled>().Select(c => c.Phase2).Order());

        // One quick mode per phase 2 (messages 1 and 3 share its ID), each begun once A's phase 1 was up, and after the
        // last phase-1 message A sends (aggressive mode's 3rd message goes out just before the SA is up).
        var quickModes = sent.Where(s => s.Exchange == IsakmpExchangeType.QuickMode).ToList();
        Assert.Equal(Phase2sA.Length, quickModes.Select(q => q.MessageId).Distinct().Count());
        Assert.All(quickModes, q => Assert.True(q.Established, $"quick mode {q.MessageId:x8} sent before phase 1 was up"));
        var firstQuickMode = sent.FindIndex(s => s.Exchange == IsakmpExchangeType.QuickMode);
        Assert.DoesNotContain(sent.Skip(firstQuickMode), s => s.Exchange is IsakmpExchangeType.IdentityProtection or IsakmpExchangeType.Aggressive);
        Assert.Equal(0, link.A.Engine.ComputationsInFlight);
        Assert.Equal(0, link.B.Engine.ComputationsInFlight);

        // Nothing had to be sent twice: no quick mode was dropped by an end still finishing phase 1.
        Assert.Empty(link.A.Of<RequestRetransmitted>());
        Assert.Empty(link.B.Of<RequestRetransmitted>());
    }

    private static bool Hold(Queue<(EngineNetwork.Node, EngineComputation)> pending, EngineNetwork.Node node, EngineComputation computation)
    {
        pending.Enqueue((node, computation));
        return true;
    }

    /// <summary>The second and third phase 2s of a tunnel, each with its own pair of subnets.</summary>
    private static string MorePhase2s(string phase1, string[] names, string localNet, string remoteNet) => $$"""

        config vpn ipsec phase2-interface
            edit "{{names[1]}}"
                set phase1name "{{phase1}}"
                set proposal aes256gcm
                set dhgrp 20
                set src-subnet {{localNet}}.2.0 255.255.255.0
                set dst-subnet {{remoteNet}}.2.0 255.255.255.0
            next
            edit "{{names[2]}}"
                set phase1name "{{phase1}}"
                set proposal aes256gcm
                set dhgrp 20
                set src-subnet {{localNet}}.3.0 255.255.255.0
                set dst-subnet {{remoteNet}}.3.0 255.255.255.0
            next
        end
        """;
}
