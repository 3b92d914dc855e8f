namespace SharpSwan.Ike.Wire;

/// <summary>
/// A decoded IKE message: its header and payloads in wire order. For a protected message the payloads are the
/// ones found before the Encrypted payload followed by the decrypted inner payloads; the Encrypted payload
/// itself does not appear.
/// </summary>
public sealed class IkeMessage
{
    public IkeMessage(IkeHeader header, IReadOnlyList<IkePayload> payloads, bool wasProtected)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        Header = header;
        Payloads = payloads;
        WasProtected = wasProtected;
    }

    public IkeHeader Header { get; }

    public IReadOnlyList<IkePayload> Payloads { get; }

    /// <summary>True when the payloads arrived inside an integrity-checked Encrypted payload.</summary>
    public bool WasProtected { get; }

    public TrafficSelectorPayload? TsInitiator => FindAll<TrafficSelectorPayload>().FirstOrDefault(ts => ts.IsInitiator);

    public TrafficSelectorPayload? TsResponder => FindAll<TrafficSelectorPayload>().FirstOrDefault(ts => !ts.IsInitiator);

    public IdentificationPayload? IdInitiator => FindAll<IdentificationPayload>().FirstOrDefault(id => id.IsInitiator);

    public IdentificationPayload? IdResponder => FindAll<IdentificationPayload>().FirstOrDefault(id => !id.IsInitiator);

    /// <summary>The first payload of type <typeparamref name="T"/>, or null.</summary>
    public T? Find<T>()
        where T : IkePayload
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

    public IEnumerable<T> FindAll<T>()
        where T : IkePayload => Payloads.OfType<T>();

    /// <summary>The first Notify payload of the given type, or null.</summary>
    public NotifyPayload? FindNotify(NotifyType type) =>
        FindAll<NotifyPayload>().FirstOrDefault(notify => notify.NotifyType == type);

    public override string ToString() =>
        $"{Header} [{string.Join(" ", Payloads)}]{(WasProtected ? " (protected)" : string.Empty)}";
}
