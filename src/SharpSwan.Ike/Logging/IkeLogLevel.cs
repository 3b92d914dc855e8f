namespace SharpSwan.Ike.Logging;

/// <summary>
/// Verbosity of the IKE debug log, modelled on FortiOS's `diagnose debug application ike &lt;level&gt;`:
/// a negative level (-1) shows everything.
/// </summary>
public enum IkeLogLevel
{
    /// <summary>Tunnel and SA events: up, down, installed, deleted, failures.</summary>
    Event = 1,

    /// <summary>Negotiation detail: proposals, selectors, state changes.</summary>
    Negotiation = 2,

    /// <summary>Every message sent and received.</summary>
    Packet = 3,
}
