namespace SharpSwan.Simulation;

/// <summary>Inner-packet counters of one phase 2 on one gateway.</summary>
public sealed class Phase2Traffic
{
    /// <summary>Encrypted and handed to the network.</summary>
    public long Sent { get; internal set; }

    /// <summary>Received, decrypted and inside the negotiated selectors.</summary>
    public long Delivered { get; internal set; }

    /// <summary>Outbound packets dropped because the phase 2 had no SA (each one asks the engine to negotiate), including those a full trigger queue refused.</summary>
    public long DroppedWithoutSa { get; internal set; }

    /// <summary>Inbound packets that failed authentication, were malformed or fell outside the selectors; outbound encryption failures.</summary>
    public long Errors { get; internal set; }

    /// <summary>Inbound packets the replay window refused (e.g. network duplicates).</summary>
    public long Replayed { get; internal set; }

    /// <summary>Outbound packets held by the trigger queue while the SA was negotiated.</summary>
    public long Queued { get; internal set; }

    /// <summary>Held packets sent through the new SA once it was installed.</summary>
    public long QueueReleased { get; internal set; }

    /// <summary>Held packets dropped because negotiation failed or took longer than the phase 1 negotiate-timeout.</summary>
    public long QueueDropped { get; internal set; }

    public override string ToString() =>
        $"sent={Sent} delivered={Delivered} dropped-no-sa={DroppedWithoutSa} errors={Errors} replayed={Replayed}" +
        (Queued == 0 ? string.Empty : $" queued={Queued} released={QueueReleased} queue-dropped={QueueDropped}");
}
