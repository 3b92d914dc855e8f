namespace SharpSwan.Gateway.Hosting;

/// <summary>The host steps a live change has taken so far, so that a refused one can be undone (GatewayService.Undo).</summary>
internal sealed class HostChange
{
    /// <summary>Tunnel interfaces made for new phase1-interfaces.</summary>
    public List<string> Added { get; } = [];

    /// <summary>Tunnel interfaces that stay, whose address and MTU were set to the new configuration's (or were about to be).</summary>
    public List<string> Readdressed { get; } = [];

    public List<KernelRoute> DeletedRoutes { get; } = [];

    public List<KernelRoute> AddedRoutes { get; } = [];
}
