namespace SharpSwan.Esp.Policy;

/// <summary>The outcome of a policy lookup: the policy that decided (0: none matched, FortiOS's implicit deny) and its verdict.</summary>
/// <param name="PolicyId">The <c>edit</c> id of the deciding policy; 0 for the implicit deny.</param>
/// <param name="Verdict">Deny, accept or ipsec.</param>
/// <param name="Tunnel">For <see cref="PolicyVerdict.Ipsec"/>, the policy-based phase 1 (<c>vpntunnel</c>).</param>
public readonly record struct PolicyDecision(long PolicyId, PolicyVerdict Verdict, string? Tunnel)
{
    /// <summary>FortiOS's "Denied by forward policy check (policy 0)".</summary>
    public static PolicyDecision ImplicitDeny { get; } = new(0, PolicyVerdict.Deny, null);

    public bool Allowed => Verdict != PolicyVerdict.Deny;
}
