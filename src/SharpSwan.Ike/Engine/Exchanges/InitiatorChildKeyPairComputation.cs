
namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>
/// Our PFS key pair for the CREATE_CHILD_SA we send; the request goes out once it is back
/// (<see cref="CreateChildExchange.CompleteKeyPair"/>).
/// </summary>
internal sealed class InitiatorChildKeyPairComputation(IkeSa sa, CreateChildJob job, ChildProposalContext proposal, byte[] privateKey)
    : KeyExchangeComputation(sa, proposal.Group, privateKey)
{
    public CreateChildJob Job { get; } = job;

    /// <summary>What we propose (SPI, nonce, selectors), drawn before the key pair.</summary>
    public ChildProposalContext Proposal { get; } = proposal;
}
