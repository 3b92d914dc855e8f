using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Aggressive mode as responder, keyed after message 1: our SIG_R over HASH_R; message 2 goes out once it is back
/// (<see cref="AggressiveModeResponder.CompleteOwnSignature"/>). A repeated message 1 meanwhile is ignored.
/// </summary>
internal sealed class AggressiveModeResponderOwnSignatureComputation(IkeSa sa, OwnSignature signature, List<IsakmpPayload> answer, List<IsakmpPayload> proof, byte[] datagram)
    : OwnAuthComputation(sa, signature)
{
    /// <summary>Message 2 so far: SA, KE, NONCE.</summary>
    public List<IsakmpPayload> Answer { get; } = answer;

    /// <summary>Our ID and CERTs; SIG_R follows them.</summary>
    public List<IsakmpPayload> Proof { get; } = proof;

    /// <summary>Message 1 as received: message 2 is kept under it.</summary>
    public byte[] Datagram { get; } = datagram;
}
