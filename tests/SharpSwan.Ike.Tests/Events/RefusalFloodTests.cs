using System.Net;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.Tests.Support;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Events;

/// <summary>
/// A flood of IKE_SA_INIT requests from unknown (spoofed) peers: every refusal is counted, only the first few of a window
/// are published one by one (and so logged), and the rest are reported once as a <see cref="PeerRefusalsSummarised"/>.
/// </summary>
public sealed class RefusalFloodTests
{
    private const int Flood = 500;

    [Fact]
    public void A_flood_of_refusals_is_counted_published_up_to_the_burst_and_summarised_once()
    {
        using var link = new EngineLink();
        var local = new IPEndPoint(IPAddress.Parse(EngineLink.AddressB), 500);
        var request = InitRequest();

        for (var i = 0; i < Flood; i++)
        {
            var spoofed = new IPEndPoint(IPAddress.Parse($"203.0.{113 + (i / 250)}.{1 + (i % 250)}"), 500);
            link.B.Engine.ReceiveDatagram(local, spoofed, request);
        }

        Assert.Equal(RefusalLimiter.Burst, link.B.Of<PeerRefused>().Count());
        Assert.Equal(Flood, link.B.Engine.Statistics.PeersRefused);
        Assert.Equal(Flood - RefusalLimiter.Burst, link.B.Engine.Statistics.RefusalsNotLogged);
        Assert.Empty(link.B.Of<PeerRefusalsSummarised>());

        link.Run(RefusalLimiter.Window + TimeSpan.FromSeconds(2));

        var summary = Assert.Single(link.B.Of<PeerRefusalsSummarised>());
        Assert.Equal(Flood - RefusalLimiter.Burst, summary.Count);
        Assert.Equal("no phase1 configured for this peer", summary.Reason);
        Assert.Null(summary.Phase1);

        // A later refusal starts a new window: it is published again, and nothing more is summarised.
        link.B.Engine.ReceiveDatagram(local, new IPEndPoint(IPAddress.Parse("203.0.113.77"), 500), request);
        link.Run(RefusalLimiter.Window + TimeSpan.FromSeconds(2));
        Assert.Equal(RefusalLimiter.Burst + 1, link.B.Of<PeerRefused>().Count());
        Assert.Single(link.B.Of<PeerRefusalsSummarised>());
        Assert.Equal(Flood + 1, link.B.Engine.Statistics.PeersRefused);
    }

    /// <summary>An IKE_SA_INIT request as an unknown initiator sends it (any well-formed one: it is refused before its proposals are read).</summary>
    private static byte[] InitRequest() => IkeMessageCodec.Encode(
        new IkeHeader(0x0102030405060708, 0, PayloadType.None, ExchangeType.IkeSaInit, IkeFlags.Initiator, 0, 0),
        [
            new SecurityAssociationPayload([new Proposal(1, ProtocolId.Ike, [], [new Transform(TransformType.Encryption, 20, 128), new Transform(TransformType.Prf, 5, null), new Transform(TransformType.DiffieHellman, 19, null)])]),
            new KeyExchangePayload(Crypto.DiffieHellmanGroup.Ecp256, new byte[64]),
            new NoncePayload(new byte[32]),
        ]);
}
