using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>What we proposed for a child SA, kept until the answer arrives.</summary>
public sealed record ChildProposalContext(Phase2Settings Settings, uint InboundSpi, TrafficSelector Local, TrafficSelector Remote)
{
    public DiffieHellmanGroup Group { get; init; }

    public byte[] Nonce { get; init; } = [];
}
