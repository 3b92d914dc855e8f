namespace SharpSwan.Esp.Core;

/// <summary>What happens to an outbound packet of a phase 2.</summary>
public enum OutboundDecision
{
    /// <summary>The phase 2 has an SA: encrypt and send on it.</summary>
    Send,

    /// <summary>No SA yet: the trigger queue holds a copy until one is installed.</summary>
    Held,

    /// <summary>No SA and no room (or not queueable): dropped, counted.</summary>
    Dropped,
}
