using System.Net;

namespace SharpSwan.Ike.Events;

/// <summary>
/// Something that happened to a tunnel, as the engine saw it: the typed form of the engine's event-level log lines,
/// published through <see cref="Engine.IIkeEngineHost.Publish"/> on the engine's thread at the moment it happens.
/// Consumers (event log, syslog, timeline, monitor, simulation checks) read these, never the log text.
/// </summary>
public abstract record IkeEvent
{
    /// <summary>When it happened, by the engine's clock.</summary>
    public DateTimeOffset At { get; init; }

    /// <summary>The phase 1 (or dial-up instance) name; null for gateway-wide events such as an unknown peer.</summary>
    public string? Phase1 { get; init; }

    /// <summary>Serial of the IKE SA involved (the number in the log prefix), where there is one.</summary>
    public int? IkeSerial { get; init; }

    /// <summary>Our IKE endpoint for this IKE SA (or the address the peer's request came to), when known.</summary>
    public IPEndPoint? Local { get; init; }

    /// <summary>The peer's IKE endpoint, when known.</summary>
    public IPEndPoint? Remote { get; init; }
}
