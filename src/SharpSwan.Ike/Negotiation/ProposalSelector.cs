using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Negotiation;

/// <summary>
/// Responder-side choice among the peer's proposals (peer's order wins, as most implementations do), and
/// initiator-side validation that the responder's answer is one we offered.
/// </summary>
public static class ProposalSelector
{
    /// <summary>The result of choosing; Group may differ from the peer's KE group (then INVALID_KE_PAYLOAD is due).</summary>
    public sealed record IkeChoice(Proposal Proposal, IkeSuite Suite);

    public sealed record EspChoice(Proposal Proposal, ChildSuite Suite, uint PeerSpi);

    public static IkeChoice? ChooseIke(IReadOnlyList<Proposal> offered, IReadOnlyList<IkeProposal> ours, IReadOnlyList<DiffieHellmanGroup> ourGroups, DiffieHellmanGroup peerKeGroup)
    {
        IkeChoice? fallback = null;
        foreach (var proposal in offered)
        {
            if (proposal.Protocol != ProtocolId.Ike)
            {
                continue;
            }

            var encs = proposal.Transforms.Where(t => t.Type == TransformType.Encryption).ToList();
            var prfs = proposal.Transforms.Where(t => t.Type == TransformType.Prf).Select(t => (PseudoRandomFunction)t.Id).ToList();
            var integs = proposal.Transforms.Where(t => t.Type == TransformType.Integrity).Select(t => (IntegrityAlgorithm)t.Id).ToList();
            var groups = proposal.Transforms.Where(t => t.Type == TransformType.DiffieHellman).Select(t => (DiffieHellmanGroup)t.Id).ToList();
            foreach (var mine in ours)
            {
                if (!encs.Any(e => EncryptionMatches(e, mine.Encryption, mine.KeyBits)) || !prfs.Contains(mine.Prf))
                {
                    continue;
                }

                var integrityOk = mine.Integrity == IntegrityAlgorithm.None
                    ? integs.Count == 0 || integs.Contains(IntegrityAlgorithm.None)
                    : integs.Contains(mine.Integrity);
                if (!integrityOk)
                {
                    continue;
                }

                var common = groups.Where(ourGroups.Contains).ToList();
                if (common.Count == 0)
                {
                    continue;
                }

                var group = common.Contains(peerKeGroup) ? peerKeGroup : ourGroups.First(common.Contains);
                var choice = Build(proposal, mine, group);
                if (group == peerKeGroup)
                {
                    return choice;
                }

                fallback ??= choice;
            }
        }

        return fallback;
    }

    /// <summary>
    /// Chooses an ESP proposal. requiredGroup: the KE group the peer sent (None if no KE payload); withKeyExchange false
    /// means DH transforms are ignored (IKE_AUTH); <paramref name="esn"/> is the phase 1's <c>esn</c> (see
    /// <see cref="EsnTransform.Choose"/>).
    /// </summary>
    public static EspChoice? ChooseEsp(IReadOnlyList<Proposal> offered, IReadOnlyList<EspProposal> ours, bool pfs, IReadOnlyList<DiffieHellmanGroup> ourGroups, bool withKeyExchange, DiffieHellmanGroup peerKeGroup, out DiffieHellmanGroup wantedGroup, EsnMode esn = EsnMode.Disable)
    {
        wantedGroup = DiffieHellmanGroup.None;
        foreach (var proposal in offered)
        {
            if (proposal.Protocol != ProtocolId.Esp || proposal.Spi.Length != 4)
            {
                continue;
            }

            var encs = proposal.Transforms.Where(t => t.Type == TransformType.Encryption).ToList();
            var integs = proposal.Transforms.Where(t => t.Type == TransformType.Integrity).Select(t => (IntegrityAlgorithm)t.Id).ToList();
            var groups = proposal.Transforms.Where(t => t.Type == TransformType.DiffieHellman).Select(t => (DiffieHellmanGroup)t.Id).ToList();
            if (EsnTransform.Choose(proposal, esn) is not { } esnId)
            {
                continue;
            }

            foreach (var mine in ours)
            {
                if (!encs.Any(e => EncryptionMatches(e, mine.Encryption, mine.KeyBits)))
                {
                    continue;
                }

                var integrityOk = mine.Integrity == IntegrityAlgorithm.None
                    ? integs.Count == 0 || integs.Contains(IntegrityAlgorithm.None)
                    : integs.Contains(mine.Integrity);
                if (!integrityOk)
                {
                    continue;
                }

                var group = DiffieHellmanGroup.None;
                if (withKeyExchange)
                {
                    var offeredGroups = groups.Where(g => g != DiffieHellmanGroup.None).ToList();
                    if (pfs)
                    {
                        var common = offeredGroups.Where(ourGroups.Contains).ToList();
                        if (common.Count == 0)
                        {
                            continue;
                        }

                        if (!common.Contains(peerKeGroup))
                        {
                            // Acceptable proposal, wrong KE: the caller answers INVALID_KE_PAYLOAD.
                            wantedGroup = ourGroups.First(common.Contains);
                            return null;
                        }

                        group = peerKeGroup;
                    }
                    else if (offeredGroups.Count > 0 && !groups.Contains(DiffieHellmanGroup.None))
                    {
                        // The peer insists on PFS; doing the extra exchange costs us nothing in security.
                        if (!offeredGroups.Contains(peerKeGroup) || !KeyExchange.IsSupported(peerKeGroup))
                        {
                            continue;
                        }

                        group = peerKeGroup;
                    }
                }

                var spi = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(proposal.Spi);
                var chosen = new List<Transform> { Encryption(mine.Encryption, mine.KeyBits) };
                if (mine.Integrity != IntegrityAlgorithm.None)
                {
                    chosen.Add(new Transform(TransformType.Integrity, (ushort)mine.Integrity, null));
                }

                if (group != DiffieHellmanGroup.None)
                {
                    chosen.Add(new Transform(TransformType.DiffieHellman, (ushort)group, null));
                }

                chosen.Add(new Transform(TransformType.ExtendedSequenceNumbers, esnId, null));
                var suite = new ChildSuite(mine.Encryption, mine.KeyBits, mine.Integrity, group, esnId == EsnTransform.Extended);
                return new EspChoice(new Proposal(proposal.Number, ProtocolId.Esp, proposal.Spi, chosen), suite, spi);
            }
        }

        return null;
    }

    /// <summary>Reads the single proposal of a responder's answer back into a suite, checking it was offered.</summary>
    public static IkeSuite? AcceptIkeAnswer(SecurityAssociationPayload answer, IReadOnlyList<IkeProposal> ours, IReadOnlyList<DiffieHellmanGroup> ourGroups)
    {
        if (answer.Proposals.Count != 1)
        {
            return null;
        }

        var choice = ChooseIke(answer.Proposals, ours, ourGroups, DiffieHellmanGroup.None);
        var groups = answer.Proposals[0].Transforms.Where(t => t.Type == TransformType.DiffieHellman).ToList();
        if (choice is null || groups.Count != 1)
        {
            return null;
        }

        return choice.Suite with { Group = (DiffieHellmanGroup)groups[0].Id };
    }

    public static ChildSuite? AcceptEspAnswer(SecurityAssociationPayload answer, IReadOnlyList<EspProposal> ours, DiffieHellmanGroup expectedGroup, out uint peerSpi, EsnMode esn = EsnMode.Disable)
    {
        peerSpi = 0;
        if (answer.Proposals.Count != 1)
        {
            return null;
        }

        var proposal = answer.Proposals[0];
        // The answer names one of each transform type it uses: one ESN choice at most.
        if (proposal.Protocol != ProtocolId.Esp || proposal.Spi.Length != 4
            || proposal.Transforms.Count(t => t.Type == TransformType.ExtendedSequenceNumbers) > 1)
        {
            return null;
        }

        var groups = proposal.Transforms.Where(t => t.Type == TransformType.DiffieHellman).Select(t => (DiffieHellmanGroup)t.Id).Where(g => g != DiffieHellmanGroup.None).ToList();
        var group = groups.Count == 0 ? DiffieHellmanGroup.None : groups[0];
        if (group != expectedGroup)
        {
            return null;
        }

        var choice = ChooseEsp([proposal], ours, pfs: false, [], withKeyExchange: false, DiffieHellmanGroup.None, out _, esn);
        if (choice is null)
        {
            return null;
        }

        peerSpi = choice.PeerSpi;
        return choice.Suite with { Group = group };
    }

    private static IkeChoice Build(Proposal offered, IkeProposal mine, DiffieHellmanGroup group)
    {
        var transforms = new List<Transform>
        {
            Encryption(mine.Encryption, mine.KeyBits),
            new(TransformType.Prf, (ushort)mine.Prf, null),
        };
        if (mine.Integrity != IntegrityAlgorithm.None)
        {
            transforms.Add(new Transform(TransformType.Integrity, (ushort)mine.Integrity, null));
        }

        transforms.Add(new Transform(TransformType.DiffieHellman, (ushort)group, null));
        return new IkeChoice(
            new Proposal(offered.Number, ProtocolId.Ike, offered.Spi, transforms),
            new IkeSuite(mine.Encryption, mine.KeyBits, mine.Integrity, mine.Prf, group));
    }

    private static bool EncryptionMatches(Transform transform, EncryptionAlgorithm algorithm, int keyBits)
    {
        if (transform.Id != (ushort)algorithm)
        {
            return false;
        }

        return algorithm switch
        {
            EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesGcm16 => transform.KeyLength == keyBits,
            // Fixed-length ciphers: a Key Length attribute, if a peer sends one anyway, must name that length.
            _ => transform.KeyLength is null || transform.KeyLength == keyBits,
        };
    }

    // Only the variable-length ciphers (AES) carry a Key Length attribute (RFC 7296 §3.3.5); ChaCha20-Poly1305, 3DES,
    // DES and NULL have one key length and must not.
    private static Transform Encryption(EncryptionAlgorithm algorithm, int keyBits) =>
        algorithm is EncryptionAlgorithm.AesCbc or EncryptionAlgorithm.AesGcm16
            ? new Transform(TransformType.Encryption, (ushort)algorithm, (ushort)keyBits)
            : new Transform(TransformType.Encryption, (ushort)algorithm, null);
}
