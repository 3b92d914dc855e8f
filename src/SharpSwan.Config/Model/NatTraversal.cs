namespace SharpSwan.Config;

/// <summary>Phase 1 <c>set nattraversal</c>.</summary>
public enum NatTraversal
{
    Enable,
    Disable,

    /// <summary><c>forced</c>: always encapsulate ESP in UDP 4500, even without a NAT.</summary>
    Forced,
}
