using SharpSwan.Config;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Negotiation;

namespace SharpSwan.Esp.Core;

/// <summary>
/// A child SA installed in the data plane: both ESP directions, the phase 2 it belongs to and its negotiated selectors.
/// The one name for this concept in the gateway and the simulation (the engine's own bookkeeping is Ike's ChildSa).
/// </summary>
public sealed class ChildSaPath
{
    internal ChildSaPath(Phase2Path phase2, ChildSaInstall install, EspSecurityAssociation inbound, EspSecurityAssociation outbound, long generation, DateTimeOffset installedAt, object? hostState)
    {
        HostState = hostState;
        Phase2 = phase2;
        Install = install;
        Inbound = inbound;
        Outbound = outbound;
        Generation = generation;
        InstalledAt = installedAt;
        Settings = phase2.Settings;
        LocalStart = SelectorMath.ToUInt32(install.LocalSelector.StartAddress);
        LocalEnd = SelectorMath.ToUInt32(install.LocalSelector.EndAddress);
        RemoteStart = SelectorMath.ToUInt32(install.RemoteSelector.StartAddress);
        RemoteEnd = SelectorMath.ToUInt32(install.RemoteSelector.EndAddress);
        LocalPorts = new PortSelector(install.LocalSelector.IpProtocol, install.LocalSelector.StartPort, install.LocalSelector.EndPort);
        RemotePorts = new PortSelector(install.RemoteSelector.IpProtocol, install.RemoteSelector.StartPort, install.RemoteSelector.EndPort);
        Arrival = EspArrival.For(install.UdpEncapsulation, install.LocalEndPoint.Address);
    }

    public Phase2Path Phase2 { get; }

    /// <summary>What the engine installed: SPIs, suite, keys, endpoints, selectors.</summary>
    public ChildSaInstall Install { get; }

    public EspSecurityAssociation Inbound { get; }

    public EspSecurityAssociation Outbound { get; }

    /// <summary>Install order: a packet arriving on a newer SA proves the peer has it, so outbound may move to it.</summary>
    public long Generation { get; }

    public DateTimeOffset InstalledAt { get; }

    /// <summary>The phase 2 settings the SA was negotiated under: its lifetimes do not change with a later edit.</summary>
    public Phase2Settings Settings { get; }

    public uint LocalStart { get; }

    public uint LocalEnd { get; }

    public uint RemoteStart { get; }

    public uint RemoteEnd { get; }

    /// <summary>The protocol and ports of the negotiated local selector (TSi for the initiator).</summary>
    public PortSelector LocalPorts { get; }

    /// <summary>The protocol and ports of the negotiated remote selector.</summary>
    public PortSelector RemotePorts { get; }

    /// <summary>The one transport and local address this SA's inbound packets may arrive on.</summary>
    public EspArrival Arrival { get; }

    /// <summary>
    /// Held while the inbound SA (replay window, cipher and HMAC contexts, none of them thread-safe) is used. The arrival
    /// binding already gives every SA a single receive thread, so it is uncontended; it makes a second thread wait
    /// rather than corrupt the state whatever a host does.
    /// </summary>
    internal Lock InboundLock { get; } = new();

    /// <summary>Whatever the host keeps per SA to carry it (the gateway: tunnel, socket address, keepalive time); set before the SA is visible.</summary>
    public object? HostState { get; }

    /// <summary>Set once the SA is removed; a packet thread that still holds it stops using it.</summary>
    public bool Removed => Volatile.Read(ref _removed);

    private bool _removed;

    private int _sequenceLimitReported;

    private int _sequenceExhaustedReported;

    /// <summary>Where <see cref="PacketCore.Seal"/> reports this SA's sequence-number limits; set by the core at install.</summary>
    internal IPacketCoreEvents? Events { get; set; }

    /// <summary>
    /// Whether an outbound packet fits the negotiated selectors, addresses, protocol and ports (RFC 4301 outbound check;
    /// also how a dial-up template finds its peer's SA).
    /// </summary>
    public bool CoversOutbound(in PacketFlow flow) =>
        flow.Source >= LocalStart && flow.Source <= LocalEnd && flow.Destination >= RemoteStart && flow.Destination <= RemoteEnd &&
        LocalPorts.Matches(flow, flow.SourcePort) && RemotePorts.Matches(flow, flow.DestinationPort);

    /// <summary>Whether a decrypted inbound packet fits the negotiated selectors, protocol and ports included (RFC 4301 inbound policy check).</summary>
    public bool CoversInbound(in PacketFlow flow) =>
        flow.Source >= RemoteStart && flow.Source <= RemoteEnd && flow.Destination >= LocalStart && flow.Destination <= LocalEnd &&
        RemotePorts.Matches(flow, flow.SourcePort) && LocalPorts.Matches(flow, flow.DestinationPort);

    public override string ToString() => $"{Install.Phase1}/{Install.Phase2} in={Install.InboundSpi:x8} out={Install.OutboundSpi:x8}";

    /// <summary>True the first time only: the soft point (or, with <paramref name="exhausted"/>, the end) is reported once per SA.</summary>
    internal bool FirstSequenceReport(bool exhausted) => exhausted
        ? Interlocked.Exchange(ref _sequenceExhaustedReported, 1) == 0
        : Interlocked.Exchange(ref _sequenceLimitReported, 1) == 0;

    internal void MarkRemoved() => Volatile.Write(ref _removed, true);

    /// <summary>The SA is gone for good: its ciphers are disposed and the keys the engine handed over are zeroed.</summary>
    internal void ReleaseCiphers()
    {
        Inbound.Dispose();
        Outbound.Dispose();
        foreach (var key in new[] { Install.InboundEncryptionKey, Install.InboundIntegrityKey, Install.OutboundEncryptionKey, Install.OutboundIntegrityKey })
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
    }
}
