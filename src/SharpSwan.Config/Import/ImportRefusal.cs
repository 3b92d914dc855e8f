namespace SharpSwan.Config.Import;

/// <summary>Something of the FortiGate configuration that was not taken over, and why.</summary>
/// <param name="What">e.g. <c>config vpn ipsec phase1-interface &gt; edit "to-hq"</c>, or <c>line 12</c>.</param>
/// <param name="Reason">The checker's reason, with the way forward.</param>
public sealed record ImportRefusal(string What, string Reason);
