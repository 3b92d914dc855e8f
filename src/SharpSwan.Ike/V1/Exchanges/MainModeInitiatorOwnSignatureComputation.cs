using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Main mode as initiator, keyed after message 4: our SIG_I over HASH_I; message 5 goes out once it is back
/// (<see cref="MainModeInitiator.CompleteOwnSignature"/>). Our message 3 stays outstanding meanwhile, for negotiate-timeout only.
/// </summary>
internal sealed class MainModeInitiatorOwnSignatureComputation(IkeSa sa, OwnSignature signature, List<IsakmpPayload> proof)
    : OwnAuthComputation(sa, signature)
{
    /// <summary>Message 5 so far: our ID and CERTs; SIG_I follows them.</summary>
    public List<IsakmpPayload> Proof { get; } = proof;
}
