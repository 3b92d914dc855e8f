using SharpSwan.Ike.Engine.Exchanges;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Our main-mode message <paramref name="Step"/> (1, 3 or 5), or aggressive-mode message 1, waiting for the responder's next
/// one; or (step 2) the aggressive-mode responder's message 2, resent until the initiator's message 3 arrives.
/// </summary>
internal sealed record MainModeRequest(int Step) : SentRequest;
