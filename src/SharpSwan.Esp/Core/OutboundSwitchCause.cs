namespace SharpSwan.Esp.Core;

/// <summary>Why the outbound SA of a phase 2 changed.</summary>
public enum OutboundSwitchCause
{
    /// <summary>The SA was installed as the outbound one (asked to, or the phase 2 had none).</summary>
    Installed,

    /// <summary>The engine activated it (the rekey it started completed).</summary>
    Activated,

    /// <summary>A packet arrived on the newer SA: the peer has it, so we send on it too (make-before-break).</summary>
    FirstUse,

    /// <summary>The outbound SA was removed and the newest remaining SA took over.</summary>
    Fallback,
}
