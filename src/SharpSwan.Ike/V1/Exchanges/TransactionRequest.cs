using SharpSwan.Ike.Engine.Exchanges;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Our transaction-exchange message waiting for its answer: an XAUTH REQUEST (answered by REPLY) or SET (by ACK), or, with
/// <paramref name="ModeConfig"/>, the SET that pushes a mode-config address (by ACK).
/// </summary>
internal sealed record TransactionRequest(uint MessageId, ModeConfigMessageType Sent, bool ModeConfig = false) : SentRequest;
