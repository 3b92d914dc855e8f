using SharpSwan.Config;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Negotiation;

/// <summary>IKEv2 transform type 5, Extended Sequence Numbers (RFC 7296 §3.3.2, the IKEv2 form of RFC 4304).</summary>
public static class EsnTransform
{
    /// <summary>Transform ID 0: 32-bit sequence numbers.</summary>
    public const ushort None = 0;

    /// <summary>Transform ID 1: 64-bit extended sequence numbers.</summary>
    public const ushort Extended = 1;

    /// <summary>
    /// The ESN transform to answer an ESP proposal with under our <paramref name="mode"/>, or null when the proposal
    /// offers nothing it permits. A proposal without an ESN transform means 32-bit numbers. allow prefers ESN.
    /// </summary>
    public static ushort? Choose(Proposal proposal, EsnMode mode)
    {
        var offered = proposal.Transforms.Where(t => t.Type == TransformType.ExtendedSequenceNumbers).Select(t => t.Id).ToList();
        var withEsn = offered.Contains(Extended);
        var withoutEsn = offered.Count == 0 || offered.Contains(None);
        return mode switch
        {
            EsnMode.Require => withEsn ? Extended : null,
            EsnMode.Allow => withEsn ? Extended : withoutEsn ? None : null,
            _ => withoutEsn ? None : null,
        };
    }
}
