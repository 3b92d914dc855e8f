using SharpSwan.Ike.Events;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// The partial messages of one IKE SA waiting for their other fragments (RFC 7383 §2.6): at most one request and one
/// response (window size 1), each capped in fragments and octets and charged to the engine's <see cref="FragmentBudget"/>.
/// Only verified fragments of the message ID the window expects are handed in; the engine checks that first.
/// </summary>
internal sealed class FragmentReassembly(FragmentBudget budget)
{
    /// <summary>The most inner-chain octets one reassembled message may have (a certificate chain fits many times over).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>All partial messages of one engine together (see <see cref="FragmentBudget"/>).</summary>
    public const long MaxHeldBytes = 16L * 1024 * 1024;

    /// <summary>A partial message older than this is discarded: the peer's retransmissions come sooner, or it gave up.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private Partial? _request;
    private Partial? _response;

    public bool IsEmpty => _request is null && _response is null;

    /// <summary>Keeps <paramref name="fragment"/> (verified) and, when it completes its message, returns the whole inner chain.</summary>
    public FragmentAdded Add(IkeFragment fragment, bool isResponse, DateTimeOffset now)
    {
        ref var slot = ref isResponse ? ref _response : ref _request;
        var messageId = fragment.Header!.Value.MessageId;
        uint? stale = null;
        if (slot is { } old && (old.MessageId != messageId || now - old.Started > Timeout))
        {
            stale = old.MessageId;
            Discard(ref slot);
        }

        if (fragment.Total > IkeFragmentCodec.MaxFragments)
        {
            Discard(ref slot);
            return FragmentAdded.Dropped(IkeFragmentDropReason.TooManyFragments, stale);
        }

        if (slot is { } held && fragment.Total != held.Total)
        {
            // A retransmission cut smaller has more fragments and replaces what we hold; fewer means a late, older copy.
            if (fragment.Total < held.Total)
            {
                return FragmentAdded.Dropped(IkeFragmentDropReason.FewerFragments, stale);
            }

            Discard(ref slot);
        }

        slot ??= new Partial(messageId, fragment.Total, now);
        return Keep(ref slot, fragment, stale);
    }

    private FragmentAdded Keep(ref Partial? slot, IkeFragment fragment, uint? stale)
    {
        var partial = slot!;
        int index = fragment.Number - 1;
        if (partial.Parts[index] is not null)
        {
            return FragmentAdded.Dropped(IkeFragmentDropReason.Duplicate, stale);
        }

        int length = fragment.Content.Length;
        if (partial.Bytes + length > MaxMessageBytes)
        {
            Discard(ref slot);
            return FragmentAdded.Dropped(IkeFragmentDropReason.TooLarge, stale);
        }

        if (!budget.TryTake(length))
        {
            return FragmentAdded.Dropped(IkeFragmentDropReason.TooLarge, stale);
        }

        partial.Parts[index] = fragment.Content.ToArray();
        partial.Bytes += length;
        partial.Count++;
        if (fragment.Number == 1)
        {
            partial.First = fragment.FirstPayload;
        }

        if (partial.Count < partial.Total)
        {
            return new FragmentAdded(null, PayloadType.None, 0, null, stale);
        }

        var message = new byte[partial.Bytes];
        int offset = 0;
        foreach (var part in partial.Parts)
        {
            part!.CopyTo(message, offset);
            offset += part.Length;
        }

        var (first, total) = (partial.First, partial.Total);
        Discard(ref slot);
        return new FragmentAdded(message, first, total, null, stale);
    }

    /// <summary>The moment <see cref="DiscardStale"/> finds a partial message stale (null when none is held).</summary>
    public DateTimeOffset? StaleAt
    {
        get
        {
            // Stale once strictly older than the timeout.
            var oldest = _request is null ? _response?.Started : _response is null || _request.Started <= _response.Started ? _request.Started : _response.Started;
            return oldest + Timeout + TimeSpan.FromTicks(1);
        }
    }

    /// <summary>Discards partial messages older than <see cref="Timeout"/>; returns their message IDs and directions.</summary>
    public List<(uint MessageId, bool IsResponse)> DiscardStale(DateTimeOffset now)
    {
        var discarded = new List<(uint, bool)>();
        if (_request is { } request && now - request.Started > Timeout)
        {
            discarded.Add((request.MessageId, false));
            Discard(ref _request);
        }

        if (_response is { } response && now - response.Started > Timeout)
        {
            discarded.Add((response.MessageId, true));
            Discard(ref _response);
        }

        return discarded;
    }

    /// <summary>Drops everything held (the IKE SA is gone) and gives its octets back to the budget.</summary>
    public void Clear()
    {
        Discard(ref _request);
        Discard(ref _response);
    }

    private void Discard(ref Partial? slot)
    {
        if (slot is not null)
        {
            budget.Release(slot.Bytes);
            slot = null;
        }
    }

    private sealed class Partial(uint messageId, ushort total, DateTimeOffset started)
    {
        public uint MessageId { get; } = messageId;

        public ushort Total { get; } = total;

        public DateTimeOffset Started { get; } = started;

        public byte[]?[] Parts { get; } = new byte[]?[total];

        public int Bytes { get; set; }

        public int Count { get; set; }

        public PayloadType First { get; set; }
    }
}
