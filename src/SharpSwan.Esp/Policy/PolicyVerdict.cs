namespace SharpSwan.Esp.Policy;

/// <summary>What the firewall policies decide for a connection.</summary>
public enum PolicyVerdict
{
    /// <summary>Dropped: a deny policy matched, an ipsec policy does not let this side start connections, or no policy matched (policy 0).</summary>
    Deny,

    /// <summary>Allowed as routed (route-based tunnels are interfaces, so routing picks the tunnel).</summary>
    Accept,

    /// <summary>Allowed through the policy-based tunnel <see cref="PolicyDecision.Tunnel"/>.</summary>
    Ipsec,
}
