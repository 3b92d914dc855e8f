using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Tests.Support;

/// <summary>Picks IKEv2 datagrams by their header, for <see cref="EngineLink.CaptureTo"/> and <see cref="EngineLink.CountTo"/>.</summary>
public static class IkeMessages
{
    /// <summary>The requests (or, with <paramref name="response"/>, the answers) of <paramref name="exchange"/>.</summary>
    public static Func<byte[], bool> Of(ExchangeType exchange, bool response) =>
        bytes => IkeHeader.TryRead(bytes, out var header) && header.Exchange == exchange && header.IsResponse == response;
}
