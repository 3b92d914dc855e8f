using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Simulation.Tests.Units;

public sealed class ProposalSelectorTests
{
    private static readonly byte[] EspSpi = [0x12, 0x34, 0x56, 0x78];

    [Fact]
    public void The_responder_picks_the_peers_first_acceptable_proposal_and_answers_with_exactly_one_of_each_transform()
    {
        var offered = Ike(("aes256gcm-prfsha384", [20]), ("aes128-sha256", [20, 14]));
        var choice = ProposalSelector.ChooseIke(offered, IkeProposals("aes128-sha256", "aes256gcm-prfsha384"), [DiffieHellmanGroup.Ecp384], DiffieHellmanGroup.Ecp384);

        Assert.NotNull(choice);
        Assert.Equal(1, choice.Proposal.Number);
        Assert.Equal(EncryptionAlgorithm.AesGcm16, choice.Suite.Encryption);
        Assert.Equal(256, choice.Suite.KeyBits);
        Assert.Equal(PseudoRandomFunction.HmacSha384, choice.Suite.Prf);
        Assert.Equal(DiffieHellmanGroup.Ecp384, choice.Suite.Group);
        Assert.Equal(
            [TransformType.Encryption, TransformType.Prf, TransformType.DiffieHellman],
            choice.Proposal.Transforms.Select(t => t.Type));
    }

    [Fact]
    public void A_KE_group_we_accept_but_do_not_share_with_the_offer_yields_our_preferred_common_group_for_INVALID_KE()
    {
        var offered = Ike(("aes256gcm-prfsha384", [19, 20]));
        var choice = ProposalSelector.ChooseIke(offered, IkeProposals("aes256gcm-prfsha384"), [DiffieHellmanGroup.Ecp384], DiffieHellmanGroup.Ecp256);
        Assert.NotNull(choice);
        Assert.Equal(DiffieHellmanGroup.Ecp384, choice.Suite.Group);
    }

    [Fact]
    public void A_later_proposal_that_matches_the_sent_KE_group_beats_an_earlier_one_that_would_need_a_retry()
    {
        var offered = Ike(("aes128-sha256", [14]), ("aes256gcm-prfsha384", [20]));
        var choice = ProposalSelector.ChooseIke(offered, IkeProposals("aes128-sha256", "aes256gcm-prfsha384"), [DiffieHellmanGroup.Modp2048, DiffieHellmanGroup.Ecp384], DiffieHellmanGroup.Ecp384);
        Assert.NotNull(choice);
        Assert.Equal(2, choice.Proposal.Number);
        Assert.Equal(DiffieHellmanGroup.Ecp384, choice.Suite.Group);
    }

    [Fact]
    public void Wrong_key_length_wrong_prf_or_no_common_group_means_no_proposal()
    {
        var ours = IkeProposals("aes256gcm-prfsha384");
        Assert.Null(ProposalSelector.ChooseIke(Ike(("aes128gcm-prfsha384", [20])), ours, [DiffieHellmanGroup.Ecp384], DiffieHellmanGroup.Ecp384));
        Assert.Null(ProposalSelector.ChooseIke(Ike(("aes256gcm-prfsha256", [20])), ours, [DiffieHellmanGroup.Ecp384], DiffieHellmanGroup.Ecp384));
        Assert.Null(ProposalSelector.ChooseIke(Ike(("aes256gcm-prfsha384", [14])), ours, [DiffieHellmanGroup.Ecp384], DiffieHellmanGroup.Modp2048));
        Assert.Null(ProposalSelector.ChooseIke(Esp(("aes256gcm", [])), ours, [DiffieHellmanGroup.Ecp384], DiffieHellmanGroup.Ecp384));
    }

    [Fact]
    public void In_IKE_AUTH_ESP_selection_ignores_DH_transforms_and_reads_the_peer_SPI()
    {
        var offered = Esp(("aes128-sha256", [14]), ("aes256gcm", []));
        var choice = ProposalSelector.ChooseEsp(offered, EspProposals("aes256gcm"), pfs: true, [DiffieHellmanGroup.Ecp384], withKeyExchange: false, DiffieHellmanGroup.None, out var wanted);
        Assert.NotNull(choice);
        Assert.Equal(DiffieHellmanGroup.None, wanted);
        Assert.Equal(0x12345678u, choice.PeerSpi);
        Assert.Equal(DiffieHellmanGroup.None, choice.Suite.Group);
        Assert.Equal(EncryptionAlgorithm.AesGcm16, choice.Suite.Encryption);
        Assert.DoesNotContain(choice.Proposal.Transforms, t => t.Type == TransformType.DiffieHellman);
        Assert.Contains(choice.Proposal.Transforms, t => t.Type == TransformType.ExtendedSequenceNumbers && t.Id == 0);
    }

    [Fact]
    public void With_PFS_a_KE_in_a_group_we_do_not_take_asks_for_our_group_instead()
    {
        var offered = Esp(("aes256gcm", [19, 20]));
        var ours = EspProposals("aes256gcm");
        Assert.Null(ProposalSelector.ChooseEsp(offered, ours, pfs: true, [DiffieHellmanGroup.Ecp384], withKeyExchange: true, DiffieHellmanGroup.Ecp256, out var wanted));
        Assert.Equal(DiffieHellmanGroup.Ecp384, wanted);

        var accepted = ProposalSelector.ChooseEsp(offered, ours, pfs: true, [DiffieHellmanGroup.Ecp384], withKeyExchange: true, DiffieHellmanGroup.Ecp384, out wanted);
        Assert.NotNull(accepted);
        Assert.Equal(DiffieHellmanGroup.Ecp384, accepted.Suite.Group);
        Assert.Equal(DiffieHellmanGroup.None, wanted);
    }

    [Fact]
    public void Without_PFS_configured_a_peer_that_insists_on_PFS_still_gets_its_key_exchange()
    {
        var offered = Esp(("aes256gcm", [20]));
        var choice = ProposalSelector.ChooseEsp(offered, EspProposals("aes256gcm"), pfs: false, [], withKeyExchange: true, DiffieHellmanGroup.Ecp384, out _);
        Assert.NotNull(choice);
        Assert.Equal(DiffieHellmanGroup.Ecp384, choice.Suite.Group);
    }

    [Fact]
    public void ESP_proposals_that_require_extended_sequence_numbers_or_have_a_bad_SPI_are_skipped()
    {
        var ours = EspProposals("aes256gcm");
        var esnOnly = new Proposal(1, ProtocolId.Esp, EspSpi, [new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesGcm16, 256), new Transform(TransformType.ExtendedSequenceNumbers, 1, null)]);
        Assert.Null(ProposalSelector.ChooseEsp([esnOnly], ours, false, [], false, DiffieHellmanGroup.None, out _));
        var shortSpi = new Proposal(1, ProtocolId.Esp, [1, 2], [new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesGcm16, 256)]);
        Assert.Null(ProposalSelector.ChooseEsp([shortSpi], ours, false, [], false, DiffieHellmanGroup.None, out _));
    }

    [Fact]
    public void The_initiator_accepts_only_a_single_answer_proposal_built_from_what_it_offered()
    {
        var ours = IkeProposals("aes256gcm-prfsha384", "aes128-sha256");
        var groups = new[] { DiffieHellmanGroup.Ecp384, DiffieHellmanGroup.Modp2048 };
        var answer = new SecurityAssociationPayload(Ike(("aes128-sha256", [14])));
        var suite = ProposalSelector.AcceptIkeAnswer(answer, ours, groups);
        Assert.NotNull(suite);
        Assert.Equal((EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, DiffieHellmanGroup.Modp2048), (suite.Encryption, suite.KeyBits, suite.Integrity, suite.Group));

        Assert.Null(ProposalSelector.AcceptIkeAnswer(new SecurityAssociationPayload(Ike(("aes128-sha256", [14]), ("aes256gcm-prfsha384", [20]))), ours, groups));
        Assert.Null(ProposalSelector.AcceptIkeAnswer(new SecurityAssociationPayload(Ike(("aes256-sha256", [14]))), ours, groups));
        Assert.Null(ProposalSelector.AcceptIkeAnswer(new SecurityAssociationPayload(Ike(("aes128-sha256", [14, 20]))), ours, groups));
    }

    [Fact]
    public void An_ESP_answer_must_carry_the_group_we_sent_and_yields_the_peer_SPI()
    {
        var ours = EspProposals("aes256gcm");
        var answer = new SecurityAssociationPayload(Esp(("aes256gcm", [20])));
        var suite = ProposalSelector.AcceptEspAnswer(answer, ours, DiffieHellmanGroup.Ecp384, out var spi);
        Assert.NotNull(suite);
        Assert.Equal(0x12345678u, spi);
        Assert.Equal(DiffieHellmanGroup.Ecp384, suite.Group);
        Assert.Null(ProposalSelector.AcceptEspAnswer(answer, ours, DiffieHellmanGroup.None, out _));
        Assert.Null(ProposalSelector.AcceptEspAnswer(new SecurityAssociationPayload(Esp(("aes128gcm", [20]))), ours, DiffieHellmanGroup.Ecp384, out _));
    }

    [Fact]
    public void Proposals_built_from_the_configuration_are_chosen_back_by_the_selector()
    {
        // ProposalBuilder and ProposalSelector must agree on the transform encoding (key length attribute, ChaCha without one).
        var ikeNames = new[] { "chacha20poly1305-prfsha256", "aes256gcm-prfsha384", "aes128-sha256" };
        var built = ProposalBuilder.ForIke(IkeProposals(ikeNames), [DiffieHellmanGroup.Curve25519], []);
        var choice = ProposalSelector.ChooseIke(built.Proposals, IkeProposals("aes128-sha256", "chacha20poly1305-prfsha256"), [DiffieHellmanGroup.Curve25519], DiffieHellmanGroup.Curve25519);
        Assert.NotNull(choice);
        Assert.Equal(EncryptionAlgorithm.ChaCha20Poly1305, choice.Suite.Encryption);
        Assert.Null(choice.Proposal.Transforms.Single(t => t.Type == TransformType.Encryption).KeyLength);

        var esp = ProposalBuilder.ForEsp(EspProposals("aes128-sha256", "chacha20poly1305"), [], 0x0a0b0c0d);
        var espChoice = ProposalSelector.ChooseEsp(esp.Proposals, EspProposals("chacha20poly1305"), false, [], false, DiffieHellmanGroup.None, out _);
        Assert.NotNull(espChoice);
        Assert.Equal(0x0a0b0c0du, espChoice.PeerSpi);
        Assert.Equal(2, espChoice.Proposal.Number);
    }

    private static List<IkeProposal> IkeProposals(params string[] names) => names.Select(IkeProposal.Parse).ToList();

    private static List<EspProposal> EspProposals(params string[] names) => names.Select(EspProposal.Parse).ToList();

    private static List<Proposal> Ike(params (string Name, int[] Groups)[] proposals) =>
        proposals.Select((p, i) =>
        {
            var built = ProposalBuilder.ForIke([IkeProposal.Parse(p.Name)], p.Groups.Select(g => (DiffieHellmanGroup)g).ToList(), []).Proposals[0];
            return built with { Number = (byte)(i + 1) };
        }).ToList();

    private static List<Proposal> Esp(params (string Name, int[] Groups)[] proposals) =>
        proposals.Select((p, i) =>
        {
            var built = ProposalBuilder.ForEsp([EspProposal.Parse(p.Name)], p.Groups.Select(g => (DiffieHellmanGroup)g).ToList(), 0x12345678).Proposals[0];
            return built with { Number = (byte)(i + 1) };
        }).ToList();
}
