using SharpSwan.Esp.Core;

namespace SharpSwan.Simulation;

/// <summary>
/// The simulated kernel's connection tracking, as the gateway relies on it (nftables <c>ct state established</c> and the
/// conntrack mark): a flow a policy let through is remembered with where it goes, so its later packets and its replies
/// follow without a policy decision. Like the kernel's table it belongs to the machine, so it survives a gateway crash.
/// Entries do not time out: simulated flows are short and each test starts its own.
/// </summary>
internal sealed class SimulatedConnections
{
    private readonly Dictionary<PacketFlow, string> _flows = [];

    /// <summary>What the flow or its reverse was admitted to (a tunnel, or <see cref="NoTunnel"/>); null for a new flow.</summary>
    public string? Find(in PacketFlow flow) =>
        _flows.TryGetValue(flow, out var owner) || _flows.TryGetValue(flow.Reversed, out owner) ? owner : null;

    public void Add(in PacketFlow flow, string owner) => _flows.TryAdd(flow, owner);

    /// <summary>Forgets every flow (`diagnose sys session clear`): each is decided by the policies again at its next packet.</summary>
    public void Clear() => _flows.Clear();

    /// <summary>The owner of flows accepted for an interface that is not a tunnel.</summary>
    public const string NoTunnel = "";
}
