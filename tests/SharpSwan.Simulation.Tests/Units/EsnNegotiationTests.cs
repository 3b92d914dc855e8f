using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Negotiation;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Simulation.Tests.Units;

/// <summary>
/// Issue 11 item 15, <c>esn</c>: ESN transform type 5 in IKEv2 proposals. require offers and accepts only ESN, allow
/// offers both with ESN first and prefers it, disable offers and accepts only 32-bit sequence numbers.
/// </summary>
public sealed class EsnNegotiationTests
{
    private static readonly List<EspProposal> Ours = [EspProposal.Parse("aes256gcm")];

    [Theory]
    [InlineData(EsnMode.Require, new ushort[] { 1 })]
    [InlineData(EsnMode.Allow, new ushort[] { 1, 0 })]
    [InlineData(EsnMode.Disable, new ushort[] { 0 })]
    public void Each_mode_offers_its_esn_transforms_in_order_of_preference(EsnMode mode, ushort[] offered)
    {
        var payload = ProposalBuilder.ForEsp(Ours, [], 0x01020304, mode);

        var esns = payload.Proposals[0].Transforms.Where(t => t.Type == TransformType.ExtendedSequenceNumbers).Select(t => t.Id);
        Assert.Equal(offered, esns);
    }

    [Theory]
    [InlineData(EsnMode.Require, EsnMode.Require, true)]
    [InlineData(EsnMode.Require, EsnMode.Allow, true)]
    [InlineData(EsnMode.Allow, EsnMode.Require, true)]
    [InlineData(EsnMode.Allow, EsnMode.Allow, true)]
    [InlineData(EsnMode.Allow, EsnMode.Disable, false)]
    [InlineData(EsnMode.Disable, EsnMode.Allow, false)]
    [InlineData(EsnMode.Disable, EsnMode.Disable, false)]
    public void Compatible_modes_agree_and_the_initiator_accepts_the_answer(EsnMode initiator, EsnMode responder, bool esn)
    {
        var offer = ProposalBuilder.ForEsp(Ours, [], 0x01020304, initiator);

        var choice = ProposalSelector.ChooseEsp(offer.Proposals, Ours, false, [], false, DiffieHellmanGroup.None, out _, responder);

        Assert.NotNull(choice);
        Assert.Equal(esn, choice.Suite.ExtendedSequenceNumbers);
        Assert.Single(choice.Proposal.Transforms, t => t.Type == TransformType.ExtendedSequenceNumbers);
        var accepted = ProposalSelector.AcceptEspAnswer(new SecurityAssociationPayload([choice.Proposal]), Ours, DiffieHellmanGroup.None, out _, initiator);
        Assert.NotNull(accepted);
        Assert.Equal(esn, accepted.ExtendedSequenceNumbers);
    }

    [Theory]
    [InlineData(EsnMode.Require, EsnMode.Disable)]
    [InlineData(EsnMode.Disable, EsnMode.Require)]
    public void Require_and_disable_never_agree(EsnMode initiator, EsnMode responder)
    {
        var offer = ProposalBuilder.ForEsp(Ours, [], 0x01020304, initiator);

        Assert.Null(ProposalSelector.ChooseEsp(offer.Proposals, Ours, false, [], false, DiffieHellmanGroup.None, out _, responder));
    }

    [Fact]
    public void A_proposal_without_an_esn_transform_means_32_bit_numbers_which_require_refuses()
    {
        var bare = new Proposal(1, ProtocolId.Esp, [1, 2, 3, 4], [new Transform(TransformType.Encryption, (ushort)EncryptionAlgorithm.AesGcm16, 256)]);

        Assert.Null(ProposalSelector.ChooseEsp([bare], Ours, false, [], false, DiffieHellmanGroup.None, out _, EsnMode.Require));
        Assert.False(ProposalSelector.ChooseEsp([bare], Ours, false, [], false, DiffieHellmanGroup.None, out _, EsnMode.Allow)!.Suite.ExtendedSequenceNumbers);
    }

    [Fact]
    public void An_answer_with_both_esn_transforms_is_refused()
    {
        var answer = ProposalBuilder.ForEsp(Ours, [], 0x01020304, EsnMode.Allow);

        Assert.Null(ProposalSelector.AcceptEspAnswer(answer, Ours, DiffieHellmanGroup.None, out _, EsnMode.Allow));
    }
}
