namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// A decoded ISAKMP message. <see cref="Chain"/> keeps the payload octets as received (decrypted, without the
/// padding) because quick-mode and informational hashes cover everything after the first (HASH) payload.
/// </summary>
public sealed class IsakmpMessage
{
    public IsakmpMessage(IsakmpHeader header, IReadOnlyList<IsakmpPayload> payloads, ReadOnlyMemory<byte> chain, int firstPayloadLength, bool wasEncrypted)
    {
        Header = header;
        Payloads = payloads;
        Chain = chain;
        FirstPayloadLength = firstPayloadLength;
        WasEncrypted = wasEncrypted;
    }

    public IsakmpHeader Header { get; }

    public IReadOnlyList<IsakmpPayload> Payloads { get; }

    public ReadOnlyMemory<byte> Chain { get; }

    /// <summary>Octets of the first payload, generic header included.</summary>
    public int FirstPayloadLength { get; }

    public bool WasEncrypted { get; }

    /// <summary>The payload octets after the first payload: the input of HASH(1), HASH(2) and the informational HASH.</summary>
    public ReadOnlyMemory<byte> AfterFirstPayload => Chain[FirstPayloadLength..];

    public T? Find<T>()
        where T : IsakmpPayload
    {
        foreach (var payload in Payloads)
        {
            if (payload is T match)
            {
                return match;
            }
        }

        return null;
    }

    public IEnumerable<T> All<T>()
        where T : IsakmpPayload => Payloads.OfType<T>();

    public override string ToString() => $"{Header} [{string.Join(", ", Payloads)}]";
}
