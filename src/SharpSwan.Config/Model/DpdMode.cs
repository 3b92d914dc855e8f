namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set dpd</c>: dead peer detection.</summary>
public enum DpdMode
{
    Disable,

    /// <summary><c>on-idle</c>: probe when nothing has been received for the retry interval.</summary>
    OnIdle,

    /// <summary><c>on-demand</c>: probe only when we send traffic and receive nothing back.</summary>
    OnDemand,
}
