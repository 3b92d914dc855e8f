using System.Buffers.Binary;
using System.Collections.Concurrent;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Events;

namespace SharpSwan.Esp.Core;

/// <summary>
/// The packet rules of the data plane, shared by the gateway and the simulation: the SA database (install, activate,
/// remove, fall back to the newest remaining SA), the outbound decision (send / hold in the trigger queue / drop, and
/// ask for negotiation at most once a second per phase 2), inbound processing (decrypt, replay, selector check,
/// make-before-break) and the release of retired SAs' ciphers. Hosts own threads, sockets and devices.
/// </summary>
/// <remarks>
/// Threads (the gateway's guarantees): <see cref="Install"/>, <see cref="ActivateOutbound"/>, <see cref="Remove"/>,
/// <see cref="RemoveAll"/> and <see cref="NegotiationFailed"/> are called by one control thread (the engine's) at a
/// time. <see cref="Outbound"/>, <see cref="Seal(ChildSaPath, ReadOnlySpan{byte}, Span{byte}, out int, int)"/> and <see cref="ServiceQueue"/> run on the data-plane workers, several
/// at once for one phase 2 with a multi-queue TUN device: each seals on its own lane of the outbound SA (own cipher
/// context, disjoint IV range, sequence numbers by compare-and-swap), and the trigger queue, used only while there is
/// no SA, is locked. <see cref="Inbound"/> runs on any socket thread, but an SA accepts
/// packets only from the transport and local address it was negotiated on (one socket, so one thread), and its inbound
/// state is used under its own lock, so two threads never decrypt on one SA at once. The inbound table
/// is concurrent, a phase 2's installed list is guarded by its lock, its outbound SA is published with volatile writes
/// (compare-and-swap for the first-use switch), and counters are interlocked. A removed SA's ciphers are freed
/// <see cref="CipherGrace"/> later, by whichever call next finds the deadline passed, since a packet thread may still
/// hold it. The ESP path allocates nothing per packet.
/// </remarks>
public sealed class PacketCore : IDisposable
{
    /// <summary>Inbound replay window in packets (RFC 4303 recommends at least 64; bursts over fast links need more).</summary>
    public const int ReplayWindowSize = 1024;

    /// <summary>The engine is asked to negotiate a phase 2 at most this often, however many packets find it without an SA.</summary>
    public static readonly TimeSpan AcquireInterval = TimeSpan.FromSeconds(1);

    /// <summary>How long a packet thread may still use an SA after its removal; its ciphers are freed after that.</summary>
    public static readonly TimeSpan CipherGrace = TimeSpan.FromSeconds(2);

    private const int Ipv4HeaderLength = 20;
    private const byte NextHeaderIpv4 = 4;

    private readonly ConcurrentDictionary<uint, ChildSaPath> _inbound = new();
    private readonly List<(ChildSaPath Sa, long RemovedAt)> _retired = [];
    private readonly TimeProvider _time;
    private readonly IPacketCoreEvents? _events;
    private long _generation;
    private bool _disposed;

    public PacketCore(TimeProvider time, IPacketCoreEvents? events)
        : this(time, events, outboundLanes: 1)
    {
    }

    /// <param name="outboundLanes">
    /// How many threads may seal on one SA at once, each with its own lane (the gateway: one per data-plane worker),
    /// 1 to <see cref="EspSecurityAssociation.MaxLanes"/>. Each lane costs every outbound SA one cipher context.
    /// </param>
    public PacketCore(TimeProvider time, IPacketCoreEvents? events, int outboundLanes)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(outboundLanes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(outboundLanes, EspSecurityAssociation.MaxLanes);
        this._time = time;
        this._events = events;
        OutboundLanes = outboundLanes;
    }

    /// <summary>Threads that may seal on one SA at once (lanes 0 to this - 1).</summary>
    public int OutboundLanes { get; }

    /// <summary>Every installed SA, in no particular order.</summary>
    public ICollection<ChildSaPath> InstalledSas => _inbound.Values;

    public ChildSaPath? Find(uint inboundSpi) => _inbound.GetValueOrDefault(inboundSpi);

    /// <summary>
    /// Installs both directions of a child SA in its phase 2. It carries outbound traffic if the engine says so or the
    /// phase 2 had none, unless the install holds outbound back (<see cref="ChildSaInstall.HoldOutbound"/>). Held packets
    /// are sent by the next <see cref="ServiceQueue"/>.
    /// </summary>
    public ChildSaPath Install(Phase2Path phase2, ChildSaInstall install, IRandomSource random, object? hostState = null)
    {
        ArgumentNullException.ThrowIfNull(phase2);
        ArgumentNullException.ThrowIfNull(install);
        ReleaseRetired();
        var transform = new EspTransform(install.Suite.Encryption, install.Suite.KeyBits, install.Suite.Integrity, install.Suite.ExtendedSequenceNumbers);
        var sa = new ChildSaPath(
            phase2,
            install,
            EspSecurityAssociation.CreateInbound(install.InboundSpi, transform, install.InboundEncryptionKey, install.InboundIntegrityKey, install.ReplayProtection, ReplayWindowSize, random, _time),
            EspSecurityAssociation.CreateOutbound(install.OutboundSpi, transform, install.OutboundEncryptionKey, install.OutboundIntegrityKey, random, OutboundLanes, _time),
            Interlocked.Increment(ref _generation),
            _time.GetUtcNow(),
            hostState)
        {
            Events = _events,
        };
        if (_inbound.TryGetValue(install.InboundSpi, out var clash))
        {
            // The engine never reuses a live SPI; if it did, the newer SA wins as in a kernel SAD.
            Detach(clash, fallBack: false);
        }

        bool activate;
        lock (phase2.Installed)
        {
            phase2.Installed.Add(sa);
            activate = !install.HoldOutbound && (install.ActivateOutbound || phase2.Active is null);
            if (activate)
            {
                phase2.SetActive(sa);
            }
        }

        _inbound[install.InboundSpi] = sa;
        if (activate)
        {
            Switched(sa, OutboundSwitchCause.Installed);
        }

        return sa;
    }

    /// <summary>The engine's word that outbound traffic moves to the SA with this outbound SPI. False if it is not installed.</summary>
    public bool ActivateOutbound(Phase2Path phase2, uint outboundSpi)
    {
        ArgumentNullException.ThrowIfNull(phase2);
        ChildSaPath? sa;
        bool first;
        lock (phase2.Installed)
        {
            sa = phase2.Installed.FirstOrDefault(s => s.Install.OutboundSpi == outboundSpi);
            if (sa is null || phase2.Active == sa)
            {
                return sa is not null;
            }

            first = phase2.Active is null;
            phase2.SetActive(sa);
        }

        // A held SA (HoldOutbound) of a phase 2 that had none is its first: installed, not the end of a rekey.
        Switched(sa, first ? OutboundSwitchCause.Installed : OutboundSwitchCause.Activated);
        return true;
    }

    /// <summary>Removes an SA; if it carried outbound traffic, the newest remaining SA of its phase 2 takes over.</summary>
    public ChildSaPath? Remove(uint inboundSpi)
    {
        ReleaseRetired();
        if (!_inbound.TryGetValue(inboundSpi, out var sa))
        {
            return null;
        }

        Detach(sa, fallBack: true);
        return sa;
    }

    /// <summary>Every SA vanishes at once (the process died): no fall-back, no events.</summary>
    public void RemoveAll()
    {
        foreach (var sa in _inbound.Values)
        {
            Detach(sa, fallBack: false);
        }
    }

    /// <summary>Last use of an SA in either direction (null if never) and the bytes it carried.</summary>
    public ChildSaActivity Activity(uint inboundSpi)
    {
        if (!_inbound.TryGetValue(inboundSpi, out var sa))
        {
            return default;
        }

        return new ChildSaActivity(LastUse(sa.Inbound), LastUse(sa.Outbound), sa.Inbound.Bytes, sa.Outbound.Bytes);
    }

    /// <summary>
    /// The host learned that negotiating the phase 2 failed: its held packets are dropped at the next
    /// <see cref="ServiceQueue"/> instead of waiting for negotiate-timeout.
    /// </summary>
    public static void NegotiationFailed(Phase2Path phase2)
    {
        ArgumentNullException.ThrowIfNull(phase2);
        Volatile.Write(ref phase2._negotiationFailedFlag, 1);
    }

    /// <summary>
    /// The engine reported a failed negotiation: the phase 2s it concerns give up their held packets. A failure of the
    /// IKE SA being set up (start, IKE_SA_INIT, IKE_AUTH) concerns every phase 2 of the tunnel unless it names one; a
    /// child SA failure only the phase 2 it names. A failed IKE rekey or a broken established SA holds no packets.
    /// </summary>
    public static void NegotiationFailed(IEnumerable<Phase2Path> phase2s, NegotiationFailed failure)
    {
        ArgumentNullException.ThrowIfNull(phase2s);
        ArgumentNullException.ThrowIfNull(failure);
        var wholeTunnel = failure.Stage is NegotiationStage.Start or NegotiationStage.IkeSaInit or NegotiationStage.IkeAuth;
        if (failure.Phase2 is null && !wholeTunnel)
        {
            return;
        }

        if (failure.Stage is NegotiationStage.IkeRekey or NegotiationStage.Established)
        {
            return;
        }

        foreach (var phase2 in phase2s)
        {
            if (phase2.Phase1 == failure.Phase1 && (failure.Phase2 is null || failure.Phase2 == phase2.Name))
            {
                NegotiationFailed(phase2);
            }
        }
    }

    /// <summary>
    /// Decides what happens to an outbound packet of <paramref name="phase2"/>. Without an SA the packet is held (when
    /// <paramref name="queueable"/> and there is room) or dropped, and the engine is asked to negotiate, at most once per
    /// <see cref="AcquireInterval"/>.
    /// </summary>
    public OutboundDecision Outbound(Phase2Path phase2, ReadOnlySpan<byte> packet, bool queueable, out ChildSaPath? sa)
    {
        ArgumentNullException.ThrowIfNull(phase2);
        sa = phase2.Active;
        if (sa is not null && !sa.Removed)
        {
            // RFC 4301 outbound check: what the negotiated selectors (addresses, protocol, ports; the peer may have narrowed
            // them) do not cover is dropped and counted here, not sent for the peer to discard.
            if (!PacketFlow.TryRead(packet, out var flow) || !sa.CoversOutbound(flow))
            {
                sa = null;
                phase2.Traffic.CountOutsideSelectors();
                return OutboundDecision.Dropped;
            }

            return OutboundDecision.Send;
        }

        sa = null;
        var now = _time.GetTimestamp();
        bool held;
        var neverSent = 0;
        lock (phase2.Trigger)
        {
            // Several workers may find the phase 2 without an SA at once (multi-queue TUN): the queue is locked, on this slow path only.
            held = queueable && phase2.Trigger.TryEnqueue(packet, now);
            if (held && !phase2.Initiates)
            {
                neverSent = phase2.Trigger.DiscardAll();
            }
        }

        if (!held)
        {
            phase2.Traffic.CountDroppedWithoutSa();
            if (phase2.Initiates)
            {
                RequestAcquire(phase2, now);
            }

            return OutboundDecision.Dropped;
        }

        phase2.Traffic.CountQueued();
        if (!phase2.Initiates)
        {
            // Nothing will be negotiated for it: what the queue took goes at once.
            DropHeld(phase2, neverSent, TriggerQueueDropReason.NeverInitiates);
            return OutboundDecision.Dropped;
        }

        // Last: the host may run the engine from the event, and the packet must already be where a drop can find it.
        RequestAcquire(phase2, now);
        return OutboundDecision.Held;
    }

    /// <summary>
    /// Encrypts an inner packet on <paramref name="sa"/> into <paramref name="destination"/>; counts it either way. Past the
    /// sequence soft point the SA asks once for its replacement (<see cref="SequenceLimitReached"/>); at 2^32 - 1 it
    /// drops and counts what it can no longer number, and says so once.
    /// </summary>
    public static bool Seal(ChildSaPath sa, ReadOnlySpan<byte> packet, Span<byte> destination, out int written) =>
        Seal(sa, packet, destination, out written, lane: 0);

    /// <summary>
    /// <see cref="Seal(ChildSaPath, ReadOnlySpan{byte}, Span{byte}, out int)"/> on the caller's lane (its worker number, below
    /// <see cref="OutboundLanes"/>): workers on different lanes may seal on one SA at once.
    /// </summary>
    public static bool Seal(ChildSaPath sa, ReadOnlySpan<byte> packet, Span<byte> destination, out int written, int lane)
    {
        ArgumentNullException.ThrowIfNull(sa);
        var result = sa.Outbound.Encapsulate(packet, destination, out written, lane);
        if (result != EspResult.Ok)
        {
            if (result == EspResult.SequenceOverflow)
            {
                sa.Phase2.Traffic.CountSequenceExhausted();
                ReportSequenceLimit(sa, exhausted: true);
            }
            else
            {
                sa.Phase2.Traffic.CountError();
            }

            return false;
        }

        sa.Phase2.Traffic.CountSent();
        if (sa.Outbound.SequenceNearLimit)
        {
            ReportSequenceLimit(sa, exhausted: false);
        }

        return true;
    }

    private static void ReportSequenceLimit(ChildSaPath sa, bool exhausted)
    {
        if (sa.FirstSequenceReport(exhausted))
        {
            sa.Events?.Publish(new SequenceLimitReached(sa.Phase2.Phase1, sa.Phase2.Name, sa.Install.InboundSpi, sa.Install.OutboundSpi, sa.Outbound.LastSequenceNumber, exhausted));
        }
    }

    /// <summary>
    /// Runs the trigger queue of a phase 2: once there is an SA the held packets go to <paramref name="sender"/>, oldest
    /// first; after a reported failure they are dropped; otherwise those that waited the negotiate-timeout are dropped.
    /// Returns true while packets are still held. Any worker may call it: one at a time runs the queue (it is locked).
    /// </summary>
    public bool ServiceQueue(Phase2Path phase2, IHeldPacketSender sender)
    {
        ArgumentNullException.ThrowIfNull(phase2);
        ArgumentNullException.ThrowIfNull(sender);
        var queue = phase2.Trigger;
        var failed = Interlocked.Exchange(ref phase2._negotiationFailedFlag, 0) == 1;
        if (queue.Count == 0)
        {
            return false;
        }

        lock (queue)
        {
            return ServiceLocked(phase2, queue, sender, failed);
        }
    }

    private bool ServiceLocked(Phase2Path phase2, TriggerQueue queue, IHeldPacketSender sender, bool failed)
    {
        if (phase2.Active is { Removed: false } sa)
        {
            var released = 0;
            while (queue.TryRelease(out var packet))
            {
                if (!PacketFlow.TryRead(packet, out var flow) || !sa.CoversOutbound(flow))
                {
                    phase2.Traffic.CountOutsideSelectors();
                    continue;
                }

                released++;
                sender.SendHeld(sa, packet);
            }

            phase2.Traffic.CountReleased(released);
            _events?.Publish(new TriggerQueueReleased(phase2.Phase1, phase2.Name, sa.Install.InboundSpi, sa.Install.OutboundSpi, released));
            return false;
        }

        var reason = failed ? TriggerQueueDropReason.NegotiationFailed : TriggerQueueDropReason.NegotiateTimeout;
        DropHeld(phase2, failed ? queue.DiscardAll() : queue.DiscardOlderThan(_time.GetTimestamp() - TimeoutTicks(phase2) + 1), reason);
        return queue.Count > 0;
    }

    /// <summary>How long until the oldest held packet has waited the negotiate-timeout; null when nothing is held.</summary>
    public TimeSpan? TimeToQueueDeadline(Phase2Path phase2)
    {
        ArgumentNullException.ThrowIfNull(phase2);
        long? held;
        lock (phase2.Trigger)
        {
            held = phase2.Trigger.OldestTimestamp;
        }

        if (held is not { } oldest)
        {
            return null;
        }

        var remaining = _time.GetElapsedTime(_time.GetTimestamp(), oldest + TimeoutTicks(phase2));
        return remaining < TimeSpan.Zero ? TimeSpan.Zero : remaining;
    }

    /// <summary>A configuration change kept the phase 2 but edited it: new selectors, a resized trigger queue.</summary>
    public static void Reconfigure(Phase2Path phase2, Phase2Settings settings)
    {
        ArgumentNullException.ThrowIfNull(phase2);
        ArgumentNullException.ThrowIfNull(settings);
        phase2.SetSettings(settings);
        int dropped;
        lock (phase2.Trigger)
        {
            dropped = phase2.Trigger.Resize(settings.TriggerQueue);
        }

        phase2.Traffic.CountQueueDropped(dropped);
    }

    /// <summary>
    /// Decrypts one ESP packet in place. On <see cref="InboundResult.Delivered"/> the inner IPv4 packet is
    /// esp[offset..offset+length]; a packet on a newer SA than the outbound one moves outbound to it (make-before-break).
    /// <paramref name="arrival"/> is the transport and local address it came in on; an SA negotiated on another is refused.
    /// </summary>
    public InboundResult Inbound(Span<byte> esp, EspArrival arrival, out ChildSaPath? sa, out int offset, out int length) =>
        Inbound(esp, arrival, InboundDscp.Unknown, out sa, out offset, out length);

    /// <inheritdoc cref="Inbound(Span{byte}, EspArrival, out ChildSaPath?, out int, out int)"/>
    /// <param name="outerTos">
    /// The TOS byte of the IP header the ESP packet came in (0-255), or <see cref="InboundDscp.Unknown"/>; with
    /// <c>inbound-dscp-copy</c> on the SA's phase 2 its DSCP is copied into the delivered packet.
    /// </param>
    public InboundResult Inbound(Span<byte> esp, EspArrival arrival, int outerTos, out ChildSaPath? sa, out int offset, out int length)
    {
        offset = 0;
        length = 0;
        sa = null;
        if (esp.Length < UdpEncapsulation.MinimumEspLength)
        {
            return InboundResult.TooShort;
        }

        if (!_inbound.TryGetValue(BinaryPrimitives.ReadUInt32BigEndian(esp), out sa) || sa.Removed)
        {
            sa = null;
            return InboundResult.UnknownSpi;
        }

        var traffic = sa.Phase2.Traffic;
        if (sa.Arrival != arrival)
        {
            // Someone sent our SPI over the other transport or to another address: never let a second thread near the SA.
            traffic.CountWrongTransport();
            return InboundResult.WrongTransport;
        }

        EspResult result;
        byte nextHeader;
        using (sa.InboundLock.EnterScope())
        {
            result = sa.Inbound.Decapsulate(esp, out offset, out length, out nextHeader);
        }

        if (result == EspResult.Replayed)
        {
            traffic.CountReplayed();
            return InboundResult.Replayed;
        }

        if (result != EspResult.Ok || nextHeader != NextHeaderIpv4 || length < Ipv4HeaderLength)
        {
            traffic.CountError();
            return InboundResult.Invalid;
        }

        if (!PacketFlow.TryRead(esp.Slice(offset, length), out var flow) || !sa.CoversInbound(flow))
        {
            // Decrypted fine but outside the negotiated selectors (addresses, protocol or ports): not ours to forward.
            traffic.CountOutsideSelectors();
            return InboundResult.OutsideSelectors;
        }

        if (outerTos >= 0 && sa.Phase2.Settings.CopiesInboundDscp)
        {
            InboundDscp.Copy(esp.Slice(offset, length), (byte)outerTos);
        }

        SwitchOnFirstUse(sa);
        traffic.CountDelivered();
        return InboundResult.Delivered;
    }

    /// <summary>Frees the ciphers of SAs removed at least <see cref="CipherGrace"/> ago. Hosts call it now and then.</summary>
    public void ReleaseRetired()
    {
        lock (_retired)
        {
            var now = _time.GetTimestamp();
            _retired.RemoveAll(entry =>
            {
                if (_time.GetElapsedTime(entry.RemovedAt, now) < CipherGrace)
                {
                    return false;
                }

                entry.Sa.ReleaseCiphers();
                return true;
            });
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        RemoveAll();
        lock (_retired)
        {
            foreach (var (sa, _) in _retired)
            {
                sa.ReleaseCiphers();
            }

            _retired.Clear();
        }
    }

    private void Detach(ChildSaPath sa, bool fallBack)
    {
        _inbound.TryRemove(new KeyValuePair<uint, ChildSaPath>(sa.Install.InboundSpi, sa));
        sa.MarkRemoved();
        var phase2 = sa.Phase2;
        ChildSaPath? successor = null;
        lock (phase2.Installed)
        {
            phase2.Installed.Remove(sa);
            if (phase2.Active == sa)
            {
                // Fall back to the newest remaining SA, if any.
                successor = fallBack && phase2.Installed.Count > 0 ? phase2.Installed[^1] : null;
                phase2.SetActive(successor);
            }
        }

        lock (_retired)
        {
            _retired.Add((sa, _time.GetTimestamp()));
        }

        if (successor is not null)
        {
            Switched(successor, OutboundSwitchCause.Fallback);
        }
    }

    private void DropHeld(Phase2Path phase2, int dropped, TriggerQueueDropReason reason)
    {
        if (dropped > 0)
        {
            phase2.Traffic.CountQueueDropped(dropped);
            _events?.Publish(new TriggerQueueDropped(phase2.Phase1, phase2.Name, dropped, reason));
        }
    }

    private void SwitchOnFirstUse(ChildSaPath sa)
    {
        var phase2 = sa.Phase2;
        var current = phase2.Active;
        if (current != sa && (current is null ? !sa.Removed : current.Generation < sa.Generation) && phase2.TrySwitchActive(current, sa))
        {
            // The peer already sends on the SA it rekeyed, or on one held back from outbound (the only one): it has it,
            // so we may send on it too.
            Switched(sa, OutboundSwitchCause.FirstUse);
        }
    }

    private void RequestAcquire(Phase2Path phase2, long now)
    {
        var last = Interlocked.Read(ref phase2._lastAcquire);
        if (last != long.MinValue && _time.GetElapsedTime(last, now) < AcquireInterval)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref phase2._lastAcquire, now, last) == last)
        {
            _events?.Publish(new AcquireRequested(phase2.Phase1, phase2.Name));
        }
    }

    private void Switched(ChildSaPath sa, OutboundSwitchCause cause) =>
        _events?.Publish(new OutboundSwitched(sa.Phase2.Phase1, sa.Phase2.Name, sa.Install.InboundSpi, sa.Install.OutboundSpi, cause));

    private long TimeoutTicks(Phase2Path phase2) => phase2.NegotiateTimeoutSeconds * _time.TimestampFrequency;

    private DateTimeOffset? LastUse(EspSecurityAssociation sa)
    {
        var last = sa.LastActivityTimestamp;
        if (last == 0 || last == sa.CreatedTimestamp)
        {
            return null;
        }

        return _time.GetUtcNow() - _time.GetElapsedTime(last);
    }
}
