namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set mode</c>: the IKEv1 phase-1 exchange (ignored by IKEv2, which refuses anything but the default).</summary>
public enum Ikev1Mode
{
    /// <summary>Main mode (identity protection, six messages).</summary>
    Main,

    /// <summary>Aggressive mode (three messages, identities in clear, one DH group).</summary>
    Aggressive,
}
