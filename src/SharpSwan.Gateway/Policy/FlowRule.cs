using SharpSwan.Gateway.Diagnostics;

namespace SharpSwan.Gateway.Policy;

/// <summary>
/// What a rule of SharpSwan's nftables table means to a flow trace when a traced packet matches it: the step it stands for,
/// and for a policy's rule, the policy and (ipsec) its action. <see cref="Kind"/> null: a rule the trace does not show.
/// </summary>
public sealed record FlowRule(FlowStepKind? Kind, long? PolicyId = null, string? Action = null);
