using System.Collections.Frozen;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// Phase 1 name to current endpoints, for log lines that only name their tunnel. On the engine thread (where the engine
/// writes its log lines) the engine is asked directly, so a line about a brand-new IKE SA already carries its peer;
/// other threads get the snapshot taken by the last <see cref="Refresh"/>.
/// </summary>
public sealed class TunnelEndpointMap
{
    private IkeEngine? _engine;
    private int _engineThread = -1;
    private FrozenDictionary<string, TunnelEndpoints> _snapshot = FrozenDictionary<string, TunnelEndpoints>.Empty;

    /// <summary>Binds the map to its engine and snapshots every tunnel. Must run on the engine thread (EngineLoop.Post).</summary>
    public void Refresh(IkeEngine owner)
    {
        _engine = owner;
        Volatile.Write(ref _engineThread, Environment.CurrentManagedThreadId);
        Volatile.Write(ref _snapshot, owner.Tunnels.ToFrozenDictionary(t => t.Name, TunnelEndpoints.Of, StringComparer.Ordinal));
    }

    public TunnelEndpoints? Find(string phase1)
    {
        if (Environment.CurrentManagedThreadId == Volatile.Read(ref _engineThread) && _engine is { } live)
        {
            return live.FindTunnel(phase1) is { } tunnel ? TunnelEndpoints.Of(tunnel) : null;
        }

        return Volatile.Read(ref _snapshot).GetValueOrDefault(phase1);
    }
}
