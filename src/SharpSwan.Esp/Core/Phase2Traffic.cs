namespace SharpSwan.Esp.Core;

/// <summary>Inner-packet counters of one phase 2, kept by the packet core. Safe to read from any thread.</summary>
public sealed class Phase2Traffic
{
    private long _sent;
    private long _delivered;
    private long _droppedWithoutSa;
    private long _errors;
    private long _replayed;
    private long _wrongTransport;
    private long _queued;
    private long _queueReleased;
    private long _queueDropped;
    private long _sequenceExhausted;
    private long _outsideSelectors;

    /// <summary>Encrypted and handed to the network.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Received, decrypted and inside the negotiated selectors.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Outbound packets dropped because the phase 2 had no SA, including those a full trigger queue refused.</summary>
    public long DroppedWithoutSa => Interlocked.Read(ref _droppedWithoutSa);

    /// <summary>Inbound packets that failed authentication, were malformed or fell outside the selectors; outbound encryption failures.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>Inbound packets the replay window refused (e.g. network duplicates).</summary>
    public long Replayed => Interlocked.Read(ref _replayed);

    /// <summary>Inbound packets carrying one of our SPIs on the wrong transport or local address (also counted in <see cref="Errors"/>).</summary>
    public long WrongTransport => Interlocked.Read(ref _wrongTransport);

    /// <summary>Outbound packets held by the trigger queue while the SA was negotiated.</summary>
    public long Queued => Interlocked.Read(ref _queued);

    /// <summary>Held packets sent through the new SA once it was installed.</summary>
    public long QueueReleased => Interlocked.Read(ref _queueReleased);

    /// <summary>Held packets dropped because negotiation failed or took longer than the phase 1 negotiate-timeout.</summary>
    public long QueueDropped => Interlocked.Read(ref _queueDropped);

    /// <summary>Outbound packets dropped because their SA had used its last sequence number (also counted in <see cref="Errors"/>).</summary>
    public long SequenceExhausted => Interlocked.Read(ref _sequenceExhausted);

    /// <summary>
    /// Packets outside the negotiated selectors (addresses, protocol or ports): decrypted ones not forwarded, and outbound
    /// ones the phase 2's SA may not carry (the peer narrowed it). Also counted in <see cref="Errors"/>.
    /// </summary>
    public long OutsideSelectors => Interlocked.Read(ref _outsideSelectors);

    public override string ToString() =>
        $"sent={Sent} delivered={Delivered} dropped-no-sa={DroppedWithoutSa} errors={Errors} replayed={Replayed}" +
        (WrongTransport == 0 ? string.Empty : $" wrong-transport={WrongTransport}") +
        (OutsideSelectors == 0 ? string.Empty : $" outside-selectors={OutsideSelectors}") +
        (SequenceExhausted == 0 ? string.Empty : $" seq-exhausted={SequenceExhausted}") +
        (Queued == 0 ? string.Empty : $" queued={Queued} released={QueueReleased} queue-dropped={QueueDropped}");

    internal void CountSent() => Interlocked.Increment(ref _sent);

    internal void CountDelivered() => Interlocked.Increment(ref _delivered);

    internal void CountDroppedWithoutSa() => Interlocked.Increment(ref _droppedWithoutSa);

    internal void CountError() => Interlocked.Increment(ref _errors);

    internal void CountWrongTransport()
    {
        Interlocked.Increment(ref _wrongTransport);
        Interlocked.Increment(ref _errors);
    }

    internal void CountOutsideSelectors()
    {
        Interlocked.Increment(ref _outsideSelectors);
        Interlocked.Increment(ref _errors);
    }

    internal void CountSequenceExhausted()
    {
        Interlocked.Increment(ref _sequenceExhausted);
        Interlocked.Increment(ref _errors);
    }

    internal void CountReplayed() => Interlocked.Increment(ref _replayed);

    internal void CountQueued() => Interlocked.Increment(ref _queued);

    internal void CountReleased(int packets) => Interlocked.Add(ref _queueReleased, packets);

    internal void CountQueueDropped(int packets) => Interlocked.Add(ref _queueDropped, packets);
}
