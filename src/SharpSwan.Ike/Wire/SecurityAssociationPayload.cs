using System.Buffers.Binary;

namespace SharpSwan.Ike.Wire;

/// <summary>SA payload (RFC 7296 §3.3): one or more proposals, in order of preference.</summary>
public sealed record SecurityAssociationPayload(IReadOnlyList<Proposal> Proposals) : IkePayload
{
    public override PayloadType Type => PayloadType.SecurityAssociation;

    internal override int BodyLength
    {
        get
        {
            int length = 0;
            foreach (var proposal in Proposals)
            {
                length += proposal.EncodedLength;
            }

            return length;
        }
    }

    internal override void WriteBody(Span<byte> destination)
    {
        int offset = 0;
        for (int i = 0; i < Proposals.Count; i++)
        {
            var proposal = Proposals[i];
            proposal.Write(destination[offset..], isLast: i == Proposals.Count - 1);
            offset += proposal.EncodedLength;
        }
    }

    internal static SecurityAssociationPayload? TryDecode(ReadOnlySpan<byte> body, out string? error)
    {
        if (body.IsEmpty)
        {
            error = "SA payload holds no proposal";
            return null;
        }

        var proposals = new List<Proposal>();
        var remaining = body;
        while (!remaining.IsEmpty)
        {
            if (remaining.Length < Proposal.HeaderLength)
            {
                error = "proposal shorter than 8 octets";
                return null;
            }

            byte lastFlag = remaining[0];
            int length = BinaryPrimitives.ReadUInt16BigEndian(remaining[2..]);
            if (length < Proposal.HeaderLength || length > remaining.Length)
            {
                error = $"proposal length {length} invalid ({remaining.Length} octets left in SA payload)";
                return null;
            }

            bool isLast = length == remaining.Length;
            if (lastFlag != (isLast ? 0 : 2))
            {
                error = "proposal 'last substructure' flag disagrees with the SA payload length";
                return null;
            }

            var proposal = Proposal.TryDecode(remaining[..length], out error);
            if (proposal is null)
            {
                return null;
            }

            proposals.Add(proposal);
            remaining = remaining[length..];
        }

        error = null;
        return new SecurityAssociationPayload(proposals);
    }

    public override string ToString() => $"SA({string.Join("; ", Proposals)})";
}
