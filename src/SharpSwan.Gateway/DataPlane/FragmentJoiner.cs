using System.Buffers.Binary;

namespace SharpSwan.Gateway.DataPlane;

/// <summary>
/// Receive-side joining of IPv4 fragments that arrive back to back in one receive batch (a datagram the sender's
/// tunnel MTU cut in two, say): the fragments of one datagram, in order and with nothing in between, become the whole
/// datagram again, so the TUN device gets one write instead of one per fragment, the kernel skips its reassembly, and a
/// UDP datagram can join its flow's super-packet (<see cref="UdpCoalescer"/>). Anything else (out of order, interleaved,
/// split across batches, overlapping, too many pieces) is handed back unchanged for the kernel to reassemble as before.
/// The data is copied once, to its place in the joined datagram; each fragment's own header is kept, so a fragment that
/// is not joined can be given back exactly as it came. One per thread; nothing is allocated per packet.
/// A joiner made for gathered writes keeps each datagram it hands out (a coalesced frame may reference it until written):
/// the next one is joined behind it in a pinned arena, and the arena is reused only after <see cref="Recycle"/>, which
/// the writer calls once everything written from it has completed; until then a full arena refuses new datagrams.
/// </summary>
public sealed class FragmentJoiner
{
    public const int MaxPacketLength = 65535;

    /// <summary>Room for this many largest datagrams in a gathering joiner's arena before it must be recycled.</summary>
    public const int GatherArenaDatagrams = 4;

    /// <summary>The most fragments held for one datagram (a 64 KB datagram through a 1280-byte MTU takes 52).</summary>
    public const int MaxFragments = 64;

    private const int MaxHeaderLength = 60;
    private const ushort MoreFragments = 0x2000;
    private const ushort OffsetMask = 0x1fff;

    // The datagram being joined starts at _base; a copying joiner always reuses the start.
    private readonly byte[] _joined;
    private readonly bool _keep;
    private int _base;
    private readonly byte[] _headers = new byte[MaxFragments * MaxHeaderLength];
    private readonly byte[] _scratch = new byte[MaxPacketLength];
    private readonly int[] _headerLengths = new int[MaxFragments];
    private readonly int[] _dataLengths = new int[MaxFragments];
    private int _held;
    private int _headerLength;
    private int _dataLength;
    private bool _complete;

    /// <summary>A joiner whose datagram is valid until the next call (copying writes).</summary>
    public FragmentJoiner()
        : this(gather: false)
    {
    }

    /// <param name="gather">Keep each joined datagram until <see cref="Recycle"/> (gathered writes reference it).</param>
    public FragmentJoiner(bool gather)
    {
        _keep = gather;
        _joined = gather
            ? GC.AllocateUninitializedArray<byte>(GatherArenaDatagrams * MaxPacketLength, pinned: true)
            : new byte[MaxPacketLength];
    }

    /// <summary>
    /// True when a new datagram can be started; false when a gathering joiner's arena is full of datagrams handed out
    /// since the last <see cref="Recycle"/> (write them out, then recycle).
    /// </summary>
    public bool HasRoom => _base + MaxPacketLength <= _joined.Length;

    /// <summary>Fragments held that do not make a whole datagram yet (give them back with <see cref="Held"/>).</summary>
    public int HeldCount => _complete ? 0 : _held;

    /// <summary>True when the last fragment added completed a datagram: take it with <see cref="TakeJoined"/>.</summary>
    public bool IsComplete => _complete;

    /// <summary>Datagrams made whole from their fragments (each saved the TUN writes of all but one).</summary>
    public long JoinedDatagrams { get; private set; }

    /// <summary>True for an IPv4 packet that is a fragment (more-fragments set or a non-zero offset).</summary>
    public static bool IsFragment(ReadOnlySpan<byte> packet) =>
        packet.Length >= 20 && (packet[0] >> 4) == 4 &&
        (BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & (MoreFragments | OffsetMask)) != 0;

    /// <summary>
    /// Offers a decrypted IPv4 fragment. True when it is now held (and, if it was the last, the datagram is
    /// <see cref="IsComplete"/>). False means it does not continue what is held: give back the held fragments
    /// (<see cref="Held"/>, then <see cref="Clear"/>) and offer it again; refused again, it is written as it is.
    /// </summary>
    public bool TryAdd(ReadOnlySpan<byte> fragment)
    {
        if (_complete || !TryParse(fragment, out var headerLength, out var offset, out var more))
        {
            return false;
        }

        var dataLength = fragment.Length - headerLength;
        if (_held == 0)
        {
            // Only a first fragment starts a datagram; its header (options included) becomes the datagram's.
            if (offset != 0 || !more || !HasRoom)
            {
                return false;
            }

            fragment[..headerLength].CopyTo(_joined.AsSpan(_base));
            _headerLength = headerLength;
            _dataLength = 0;
        }
        else if (_held == MaxFragments || offset != _dataLength || !SameDatagram(_joined.AsSpan(_base), fragment) ||
                 _headerLength + _dataLength + dataLength > MaxPacketLength)
        {
            return false;
        }

        fragment[headerLength..].CopyTo(_joined.AsSpan(_base + _headerLength + _dataLength));
        fragment[..headerLength].CopyTo(_headers.AsSpan(_held * MaxHeaderLength));
        _headerLengths[_held] = headerLength;
        _dataLengths[_held] = dataLength;
        _held++;
        _dataLength += dataLength;
        if (!more)
        {
            Finish();
        }

        return true;
    }

    /// <summary>
    /// The whole datagram; the joiner is empty afterwards. Valid until the next call, or for a gathering joiner until
    /// <see cref="Recycle"/> (in pinned memory).
    /// </summary>
    public ReadOnlySpan<byte> TakeJoined()
    {
        if (!_complete)
        {
            return ReadOnlySpan<byte>.Empty;
        }

        var start = _base;
        var length = _headerLength + _dataLength;
        Clear();
        JoinedDatagrams++;
        if (_keep)
        {
            _base += length;
        }

        return _joined.AsSpan(start, length);
    }

    /// <summary>
    /// Lets a gathering joiner reuse its arena: call only when nothing written from the datagrams it handed out is still
    /// waiting to be written. While fragments are held it keeps the arena (they are in it) and returns false.
    /// </summary>
    public bool Recycle()
    {
        if (_held > 0)
        {
            return false;
        }

        _base = 0;
        return true;
    }

    /// <summary>Held fragment <paramref name="index"/> exactly as it arrived (valid until the next call).</summary>
    public ReadOnlySpan<byte> Held(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)HeldCount, nameof(index));
        var dataStart = _base + _headerLength;
        for (var i = 0; i < index; i++)
        {
            dataStart += _dataLengths[i];
        }

        var headerLength = _headerLengths[index];
        _headers.AsSpan(index * MaxHeaderLength, headerLength).CopyTo(_scratch);
        _joined.AsSpan(dataStart, _dataLengths[index]).CopyTo(_scratch.AsSpan(headerLength));
        return _scratch.AsSpan(0, headerLength + _dataLengths[index]);
    }

    /// <summary>Forgets what is held.</summary>
    public void Clear()
    {
        _held = 0;
        _complete = false;
    }

    // The first fragment's header with the whole datagram's length, no fragment fields, and a new header checksum.
    private void Finish()
    {
        var packet = _joined.AsSpan(_base, _headerLength + _dataLength);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)packet.Length);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        BinaryPrimitives.WriteUInt16BigEndian(packet[6..], (ushort)(flags & ~(MoreFragments | OffsetMask)));
        InternetChecksum.RewriteIpv4HeaderChecksum(packet, _headerLength);
        _complete = true;
    }

    // A sound IPv4 fragment: header length and total length agree with the packet, and it carries data.
    private static bool TryParse(ReadOnlySpan<byte> packet, out int headerLength, out int offset, out bool more)
    {
        headerLength = 0;
        offset = 0;
        more = false;
        if (!IsFragment(packet))
        {
            return false;
        }

        headerLength = (packet[0] & 0x0f) * 4;
        var fields = BinaryPrimitives.ReadUInt16BigEndian(packet[6..]);
        offset = (fields & OffsetMask) * 8;
        more = (fields & MoreFragments) != 0;
        return headerLength >= 20 && packet.Length > headerLength &&
               BinaryPrimitives.ReadUInt16BigEndian(packet[2..]) == packet.Length;
    }

    // Same datagram (identification, protocol, addresses) and the same TOS byte: fragments whose ECN bits differ are
    // left to the kernel, which knows how to combine them.
    private static bool SameDatagram(ReadOnlySpan<byte> first, ReadOnlySpan<byte> fragment) =>
        first[1] == fragment[1] &&
        first[4] == fragment[4] && first[5] == fragment[5] &&
        first[9] == fragment[9] &&
        first.Slice(12, 8).SequenceEqual(fragment.Slice(12, 8));
}
