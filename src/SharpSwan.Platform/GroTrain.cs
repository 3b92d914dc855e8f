namespace SharpSwan.Platform;

/// <summary>
/// Walks the datagrams of a UDP GRO train: the kernel joined datagrams of one sender, all <c>segmentSize</c> bytes long
/// but the last, which may be shorter. A segment size of 0 (or one not smaller than the train) means a single datagram.
/// Allocation-free; the segments are slices of the train, so they can be decrypted in place.
/// </summary>
public ref struct GroTrain
{
    private readonly Span<byte> _train;
    private readonly int _segmentSize;
    private int _offset;

    public GroTrain(Span<byte> train, int segmentSize)
    {
        _train = train;
        _segmentSize = segmentSize <= 0 || segmentSize >= train.Length ? Math.Max(train.Length, 1) : segmentSize;
        _offset = -1;
        Current = default;
    }

    /// <summary>The datagram <see cref="MoveNext"/> stepped to.</summary>
    public Span<byte> Current { get; private set; }

    /// <summary>For use in a foreach.</summary>
    public readonly GroTrain GetEnumerator() => this;

    /// <summary>Steps to the next datagram; false after the last (an empty train has none).</summary>
    public bool MoveNext()
    {
        var next = _offset < 0 ? 0 : _offset + _segmentSize;
        if (next >= _train.Length)
        {
            Current = default;
            return false;
        }

        _offset = next;
        Current = _train.Slice(next, Math.Min(_segmentSize, _train.Length - next));
        return true;
    }
}
