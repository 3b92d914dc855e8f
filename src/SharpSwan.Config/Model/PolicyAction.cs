namespace SharpSwan.Config;

/// <summary><c>set action</c> of a firewall policy.</summary>
public enum PolicyAction
{
    /// <summary>FortiOS default: drop the traffic.</summary>
    Deny,

    /// <summary>Let the traffic through (route-based tunnels: the tunnel interface is srcintf or dstintf).</summary>
    Accept,

    /// <summary>Policy-based VPN: the traffic goes through the phase 1 named by <c>vpntunnel</c>.</summary>
    Ipsec,
}
