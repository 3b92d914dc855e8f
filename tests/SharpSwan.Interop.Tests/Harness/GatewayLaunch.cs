namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// How a gateway is started when not plainly as root: a command between <c>ip netns exec NS</c> and the launcher (e.g.
/// setpriv, to start it as another user with capabilities), extra <c>run</c> options (e.g. <c>--user</c>), and the
/// account given its work directory (configuration, state, control socket) so that user can use it.
/// </summary>
public sealed record GatewayLaunch(IReadOnlyList<string> Prefix, IReadOnlyList<string> RunOptions, string? WorkOwner)
{
    public static GatewayLaunch AsRoot { get; } = new([], [], null);
}
