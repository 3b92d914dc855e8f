namespace SharpSwan.Ike.Engine;

/// <summary>Last use of a child SA in either direction (null if never) and the bytes it carried.</summary>
public readonly record struct ChildSaActivity(DateTimeOffset? LastInbound, DateTimeOffset? LastOutbound, long InboundBytes, long OutboundBytes)
{
    public DateTimeOffset? LastAny =>
        LastInbound is null ? LastOutbound : LastOutbound is null ? LastInbound : (LastInbound > LastOutbound ? LastInbound : LastOutbound);
}
