namespace SharpSwan.Gateway.Control;

/// <summary>What applying a configuration did: the new revision, and the tunnels it touched (or why it failed).</summary>
public sealed record ConfigurationApplyResult(bool Applied, int Revision, IReadOnlyList<string> ChangedTunnels, string? Error);
