namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set authmethod</c>.</summary>
public enum AuthMethod
{
    /// <summary><c>psk</c>: pre-shared key (<c>psksecret</c>).</summary>
    Psk,

    /// <summary><c>signature</c>: certificate signatures.</summary>
    Signature,
}
