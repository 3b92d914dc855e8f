using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// SA payload (RFC 2408 §3.4) in the IPsec DOI (RFC 2407 §4.6.1): DOI 1, situation SIT_IDENTITY_ONLY, then the
/// proposals. Proposals sharing a number form one AND-ed offer; SharpSwan sends and accepts one protocol per number.
/// </summary>
public sealed record SecurityAssociationPayload(uint Doi, uint Situation, IReadOnlyList<IsakmpProposal> Proposals) : IsakmpPayload
{
    public const uint IpsecDoi = 1;
    public const uint SituationIdentityOnly = 1;
    private const int FixedLength = 8;

    public SecurityAssociationPayload(IReadOnlyList<IsakmpProposal> proposals)
        : this(IpsecDoi, SituationIdentityOnly, proposals)
    {
    }

    public override IsakmpPayloadType Type => IsakmpPayloadType.SecurityAssociation;

    internal override int BodyLength
    {
        get
        {
            int length = FixedLength;
            foreach (var proposal in Proposals)
            {
                length += proposal.EncodedLength;
            }

            return length;
        }
    }

    internal override void WriteBody(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, Doi);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Situation);
        int offset = FixedLength;
        for (int i = 0; i < Proposals.Count; i++)
        {
            Proposals[i].Write(destination[offset..], isLast: i == Proposals.Count - 1);
            offset += Proposals[i].EncodedLength;
        }
    }

    internal static SecurityAssociationPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.Length < FixedLength)
        {
            error = $"SA body of {body.Length} octets cannot hold DOI and situation";
            return null;
        }

        uint doi = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint situation = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        if (doi != IpsecDoi)
        {
            error = $"DOI {doi} is not the IPsec DOI";
            return null;
        }

        var proposals = new List<IsakmpProposal>();
        var rest = body[FixedLength..];
        bool more = !rest.IsEmpty;
        while (more)
        {
            var next = NestedChain.TryTake(ref rest, IsakmpProposal.HeaderLength, out error);
            if (next.IsEmpty)
            {
                return null;
            }

            var proposal = IsakmpProposal.TryDecode(next, out error);
            if (proposal is null)
            {
                return null;
            }

            proposals.Add(proposal);
            more = next[0] == (byte)IsakmpPayloadType.Proposal;
            if (next[0] is not ((byte)IsakmpPayloadType.Proposal or (byte)IsakmpPayloadType.None))
            {
                error = $"proposal followed by payload type {next[0]}";
                return null;
            }
        }

        if (!rest.IsEmpty || proposals.Count == 0)
        {
            error = proposals.Count == 0 ? "SA payload without a proposal" : $"{rest.Length} octets follow the last proposal";
            return null;
        }

        error = null;
        return new SecurityAssociationPayload(doi, situation, proposals);
    }

    public override string ToString() => $"SA({string.Join(" | ", Proposals)})";
}
