using SharpSwan.Ike.Engine.Exchanges;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>Our quick-mode message 1, waiting for message 2.</summary>
internal sealed record QuickModeRequest(uint MessageId) : SentRequest;
