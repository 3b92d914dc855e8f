using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SharpSwan.Crypto;

namespace SharpSwan.Esp;

/// <summary>
/// One direction of one ESP child SA in tunnel mode (RFC 4303), with 32-bit or extended (64-bit) sequence numbers.
/// The UDP encapsulation (RFC 3948) around the ESP packet belongs to the caller.
/// </summary>
/// <remarks>
/// Packet layout: SPI (4) | sequence number (4) | IV | encrypted (inner IP packet | padding 1, 2, 3... |
/// pad length | next header) | ICV. The encrypted part is aligned to max(4, cipher block size). With extended
/// sequence numbers only the low-order 32 bits are sent; the high-order bits are authenticated (PacketProtector) and
/// the receiver infers them from its replay window (RFC 4303 Appendix A).
/// Encapsulate and Decapsulate do not allocate. An inbound SA is used by one thread at a time. An outbound SA may be
/// used by several threads at once, each on its own lane (a data-plane worker): every lane has its own cipher context,
/// AEAD IVs come from disjoint per-lane ranges, sequence numbers are taken with one compare-and-swap so none is ever
/// used twice, and counters are kept per lane and summed on read (<see cref="LaneCounters"/>). Counters may be read
/// from any thread.
/// A lane's cipher context is created when that lane first sends, not at install: a tunnel that carries one flow (or
/// none) holds one context (or none) instead of one per worker; the inbound SA's one context likewise waits for the
/// first packet that passes the cheap checks. A lane's IV range and IV start are fixed at install by its lane number, so
/// lanes created late, in any order, never share an IV; the keys stay in one pinned buffer until the SA is disposed,
/// which frees every lane created and wipes the keys whether or not every lane was ever used.
/// </remarks>
public sealed class EspSecurityAssociation : IDisposable
{
    private const int HeaderLength = 8;
    private const int TrailerLength = 2;
    private const int MinimumAlignment = 4;
    private const byte NextHeaderIPv4 = 4;
    private const byte NextHeaderIPv6 = 41;

    /// <summary>
    /// The outbound soft point on the 32-bit sequence number (no ESN): 2^32 - 2^28, so about 268 million packets remain for
    /// the rekey it triggers, minutes even at line rate. The hard point is 2^32 - 1, after which the SA sends nothing.
    /// </summary>
    public const uint SequenceSoftLimit = 0xF000_0000;

    /// <summary>The soft point with extended sequence numbers: 2^64 - 2^60; the hard point is 2^64 - 1.</summary>
    public const ulong EsnSequenceSoftLimit = 0xF000_0000_0000_0000;

    // Inbound: the one protector; outbound: one per lane. Each is created by its first packet.
    private readonly PacketProtector?[] _lanes;

    // What a lane needs to create its protector later: encryption key material then integrity key (pinned, so
    // the GC never leaves a copy behind; wiped on Dispose), each lane's AEAD IV start (drawn at install, in lane order, so
    // creating a lane takes nothing from the random source), and the random source CBC suites draw every IV from.
    private readonly byte[] _keys;
    private readonly int _encryptionKeyLength;
    private readonly ulong[]? _ivStarts;
    private readonly IRandomSource _random;
    private readonly int _ivSize;
    private readonly int _icvSize;
    private readonly int _blockSize;
    private readonly LaneCounters _counters;
    private readonly ReplayWindow? _replayWindow;
    private readonly TimeProvider _timeProvider;
    private readonly int _alignment;

    private readonly bool _esn;
    private ulong _lastSentSequence;
    private ulong _highestAuthenticated;
    private long _authenticationFailures;
    private long _replayDrops;
    private long _malformedDrops;
    private long _sequenceExhaustedDrops;
    private ulong _lastSequenceNumber;
    private volatile bool _disposed;
    private int _lanesCreated;

    private EspSecurityAssociation(
        uint spi,
        EspTransform transform,
        bool isOutbound,
        PacketProtector?[] lanes,
        ReplayWindow? replayWindow,
        TimeProvider timeProvider,
        byte[] keys,
        int encryptionKeyLength,
        ulong[]? ivStarts,
        IRandomSource random)
    {
        Spi = spi;
        Transform = transform;
        IsOutbound = isOutbound;
        _lanes = lanes;
        _keys = keys;
        _encryptionKeyLength = encryptionKeyLength;
        _ivStarts = ivStarts;
        _random = random;
        (_ivSize, _blockSize) = PacketProtector.Geometry(transform.Encryption);
        _icvSize = PacketProtector.IcvLength(transform.Encryption, transform.Integrity);
        _counters = new LaneCounters(lanes.Length);
        _replayWindow = replayWindow;
        _timeProvider = timeProvider;
        _alignment = Math.Max(MinimumAlignment, _blockSize);
        _esn = transform.ExtendedSequenceNumbers;
        CreatedTimestamp = timeProvider.GetTimestamp();
    }

    public uint Spi { get; }

    public EspTransform Transform { get; }

    public bool IsOutbound { get; }

    /// <summary>The most bytes ESP adds to an inner packet: header, IV, worst-case padding, trailer and ICV.</summary>
    public int MaxOverhead => HeaderLength + _ivSize + (_alignment - 1) + TrailerLength + _icvSize;

    /// <summary>Inbound packets accepted, or outbound packets sent.</summary>
    public long Packets => _counters.Packets;

    /// <summary>Inner (plaintext IP packet) bytes carried.</summary>
    public long Bytes => _counters.Bytes;

    public long AuthenticationFailures => Interlocked.Read(ref _authenticationFailures);

    public long ReplayDrops => Interlocked.Read(ref _replayDrops);

    public long MalformedDrops => Interlocked.Read(ref _malformedDrops);

    /// <summary>
    /// Outbound packets refused because the sequence number reached 2^32 - 1, or 2^64 - 1 with extended sequence
    /// numbers (it never wraps, RFC 4303 §3.3.3).
    /// </summary>
    public long SequenceExhaustedDrops => Interlocked.Read(ref _sequenceExhaustedDrops);

    /// <summary>The SA has 64-bit (extended) sequence numbers.</summary>
    public bool ExtendedSequenceNumbers => _esn;

    /// <summary>
    /// Outbound: the sequence number passed <see cref="SequenceSoftLimit"/> (<see cref="EsnSequenceSoftLimit"/> with
    /// extended sequence numbers), so the SA must be replaced soon.
    /// </summary>
    public bool SequenceNearLimit => LastSequenceNumber >= (_esn ? EsnSequenceSoftLimit : SequenceSoftLimit);

    /// <summary>Outbound: the last sequence number sent. Inbound: the highest authenticated sequence number received.</summary>
    public ulong LastSequenceNumber => IsOutbound ? Interlocked.Read(ref _lastSentSequence) : Interlocked.Read(ref _lastSequenceNumber);

    /// <summary>Timestamp (of the SA's TimeProvider) of the last packet processed successfully; the creation time before that.</summary>
    public long LastActivityTimestamp => Math.Max(CreatedTimestamp, _counters.LastActivity);

    /// <summary>Threads that may encapsulate on this SA at once, each with its own lane number (1 for an inbound SA).</summary>
    public int Lanes => _lanes.Length;

    /// <summary>Lanes whose cipher context exists (each is created by its first packet; an inbound SA has one lane).</summary>
    public int LanesCreated => Volatile.Read(ref _lanesCreated);

    /// <summary>Timestamp (of the SA's TimeProvider) when the SA was created.</summary>
    public long CreatedTimestamp { get; }

    public TimeProvider TimeProvider => _timeProvider;

    public static EspSecurityAssociation CreateOutbound(
        uint spi,
        EspTransform transform,
        ReadOnlySpan<byte> encryptionKeyMaterial,
        ReadOnlySpan<byte> integrityKey,
        IRandomSource random,
        TimeProvider? timeProvider = null) =>
        CreateOutbound(spi, transform, encryptionKeyMaterial, integrityKey, random, lanes: 1, timeProvider);

    /// <summary>An outbound SA that <paramref name="lanes"/> threads may use at once, each passing its own lane number.</summary>
    /// <param name="lanes">1 to <see cref="MaxLanes"/> (the number of disjoint AEAD IV ranges).</param>
    public static EspSecurityAssociation CreateOutbound(
        uint spi,
        EspTransform transform,
        ReadOnlySpan<byte> encryptionKeyMaterial,
        ReadOnlySpan<byte> integrityKey,
        IRandomSource random,
        int lanes,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, MaxLanes);

        // Bad keys are refused here, at install, although no cipher context is created until a lane sends.
        PacketProtector.CheckKeys(transform.Encryption, transform.KeyBits, transform.Integrity, encryptionKeyMaterial.Length, integrityKey.Length);
        ulong[]? ivStarts = null;
        if (PacketProtector.IsAeadAlgorithm(transform.Encryption))
        {
            // Drawn now, in lane order, as creating every lane at install did: a seeded run stays what it was.
            ivStarts = new ulong[lanes];
            for (var lane = 0; lane < lanes; lane++)
            {
                ivStarts[lane] = PacketProtector.DrawIvStart(random);
            }
        }

        return WithKeysProven(new EspSecurityAssociation(
            spi, transform, isOutbound: true, new PacketProtector?[lanes], replayWindow: null, timeProvider ?? TimeProvider.System,
            PinnedKeys(encryptionKeyMaterial, integrityKey), encryptionKeyMaterial.Length, ivStarts, random));
    }

    /// <summary>The most lanes an outbound SA may have (one AEAD IV partition each).</summary>
    public const int MaxLanes = 256;

    public static EspSecurityAssociation CreateInbound(
        uint spi,
        EspTransform transform,
        ReadOnlySpan<byte> encryptionKeyMaterial,
        ReadOnlySpan<byte> integrityKey,
        bool replayCheck,
        int replayWindowSize,
        IRandomSource random,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(transform);
        ArgumentNullException.ThrowIfNull(random);
        PacketProtector.CheckKeys(transform.Encryption, transform.KeyBits, transform.Integrity, encryptionKeyMaterial.Length, integrityKey.Length);
        var window = replayCheck ? new ReplayWindow(replayWindowSize) : null;

        // An AEAD protector draws its IV start when made, even one that only opens: drawn here so a seeded run is unchanged.
        ulong[]? ivStarts = PacketProtector.IsAeadAlgorithm(transform.Encryption) ? [PacketProtector.DrawIvStart(random)] : null;
        return WithKeysProven(new EspSecurityAssociation(
            spi, transform, isOutbound: false, new PacketProtector?[1], window, timeProvider ?? TimeProvider.System,
            PinnedKeys(encryptionKeyMaterial, integrityKey), encryptionKeyMaterial.Length, ivStarts, random));
    }

    /// <summary>
    /// DES and 3DES run on .NET, which refuses a known weak key when the cipher is made, not when the length is checked:
    /// their first lane is made at install, so such a key fails the install (as before lanes were lazy) and never
    /// throws on a packet. The same keys serve every lane, so the other lanes cannot fail later.
    /// </summary>
    private static EspSecurityAssociation WithKeysProven(EspSecurityAssociation sa)
    {
        if (sa.Transform.Encryption is EncryptionAlgorithm.Des or EncryptionAlgorithm.TripleDes)
        {
            try
            {
                sa.CreateLane(0);
            }
            catch
            {
                sa.Dispose();
                throw;
            }
        }

        return sa;
    }

    /// <summary>One pinned copy of both keys (so the GC never moves it and leaves a copy behind), wiped on Dispose.</summary>
    private static byte[] PinnedKeys(ReadOnlySpan<byte> encryptionKeyMaterial, ReadOnlySpan<byte> integrityKey)
    {
        var keys = GC.AllocateArray<byte>(encryptionKeyMaterial.Length + integrityKey.Length, pinned: true);
        encryptionKeyMaterial.CopyTo(keys);
        integrityKey.CopyTo(keys.AsSpan(encryptionKeyMaterial.Length));
        return keys;
    }

    /// <summary>
    /// Where in an ESP packet the inner packet starts (after SPI, sequence number and IV): an inner packet written there
    /// is encrypted where it lies by <see cref="Encapsulate"/>, with no copy.
    /// </summary>
    public int PayloadOffset => HeaderLength + _ivSize;

    /// <summary>Size of the ESP packet that <see cref="Encapsulate"/> produces for an inner packet of this length.</summary>
    public int GetEncapsulatedLength(int innerLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(innerLength);
        return checked((int)(HeaderLength + _ivSize + PaddedPayloadLength(innerLength) + _icvSize));
    }

    /// <summary>
    /// Builds the ESP packet for <paramref name="innerIpPacket"/> into <paramref name="destination"/>. The inner
    /// packet may already sit inside <paramref name="destination"/> (any overlap is handled).
    /// </summary>
    public EspResult Encapsulate(ReadOnlySpan<byte> innerIpPacket, Span<byte> destination, out int written) =>
        Encapsulate(innerIpPacket, destination, out written, lane: 0);

    /// <summary>
    /// <see cref="Encapsulate(ReadOnlySpan{byte}, Span{byte}, out int)"/> on <paramref name="lane"/>'s cipher context: threads
    /// with different lanes may call it at once on one SA; one lane is one thread at a time.
    /// </summary>
    public EspResult Encapsulate(ReadOnlySpan<byte> innerIpPacket, Span<byte> destination, out int written, int lane)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!IsOutbound)
        {
            throw new InvalidOperationException("Encapsulate is only valid on an outbound SA.");
        }

        written = 0;
        byte nextHeader;
        if (innerIpPacket.IsEmpty || !TryGetNextHeader(innerIpPacket[0], out nextHeader))
        {
            Interlocked.Increment(ref _malformedDrops);
            return EspResult.Malformed;
        }

        if ((uint)lane >= (uint)_lanes.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(lane), lane, $"The SA has {_lanes.Length} lanes.");
        }

        if (Interlocked.Read(ref _lastSentSequence) == SequenceMax)
        {
            Interlocked.Increment(ref _sequenceExhaustedDrops);
            return EspResult.SequenceOverflow;
        }

        var protector = Volatile.Read(ref _lanes[lane]) ?? CreateLane(lane);
        var ivLength = _ivSize;
        var totalLength = HeaderLength + ivLength + PaddedPayloadLength(innerIpPacket.Length) + _icvSize;
        if (destination.Length < totalLength)
        {
            return EspResult.BufferTooSmall;
        }

        var payloadLength = (int)PaddedPayloadLength(innerIpPacket.Length);

        var packet = destination[..(int)totalLength];
        var payload = packet.Slice(HeaderLength + ivLength, payloadLength);

        // Copy first: the inner packet may overlap the header area of the destination. Already in place: nothing to copy.
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(innerIpPacket), ref MemoryMarshal.GetReference(payload)))
        {
            innerIpPacket.CopyTo(payload);
        }

        var padLength = payloadLength - innerIpPacket.Length - TrailerLength;
        DefaultPadding[..padLength].CopyTo(payload.Slice(innerIpPacket.Length, padLength));

        payload[^2] = (byte)padLength;
        payload[^1] = nextHeader;

        if (!TryTakeSequence(out var sequence))
        {
            Interlocked.Increment(ref _sequenceExhaustedDrops);
            return EspResult.SequenceOverflow;
        }

        BinaryPrimitives.WriteUInt32BigEndian(packet, Spi);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], (uint)sequence);
        protector.Seal(packet, HeaderLength, payloadLength, _esn ? SequenceHigh.Of((uint)(sequence >> 32)) : SequenceHigh.None);

        written = packet.Length;
        _counters.Count(lane, innerIpPacket.Length, _timeProvider.GetTimestamp());
        return EspResult.Ok;
    }

    private ulong SequenceMax => _esn ? ulong.MaxValue : uint.MaxValue;

    /// <summary>
    /// Creates <paramref name="lane"/>'s protector on its first packet. If two threads race on one lane, both build one and
    /// the first compare-and-swap wins; the loser frees its own, so exactly one context stays. A lane that appears after (or
    /// while) the SA is disposed is taken back and freed here or by <see cref="Dispose"/>, whichever swaps it out first.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private PacketProtector CreateLane(int lane)
    {
        var keys = _keys;
        var created = PacketProtector.Create(
            Transform.Encryption,
            Transform.KeyBits,
            Transform.Integrity,
            keys.AsSpan(0, _encryptionKeyLength),
            keys.AsSpan(_encryptionKeyLength),
            _random,
            // One lane keeps the whole IV space; several take one partition each, by lane number, so they never share an IV.
            _lanes.Length == 1 ? -1 : lane,
            _ivStarts?[lane] ?? 0);
        var winner = Interlocked.CompareExchange(ref _lanes[lane], created, null);
        if (winner is not null)
        {
            created.Dispose();
            LaneDiscarded?.Invoke(created);
            return winner;
        }

        Interlocked.Increment(ref _lanesCreated);

        // Dispose sets the flag before it swaps the lanes out, so either it finds this lane or this check sees the flag.
        if (_disposed)
        {
            Interlocked.Exchange(ref _lanes[lane], null)?.Dispose();
            ObjectDisposedException.ThrowIf(true, this);
        }

        return created;
    }

    /// <summary>Test hook: a protector built by the loser of a race to create a lane, after it was freed.</summary>
    internal Action<PacketProtector>? LaneDiscarded { get; set; }

    /// <summary>Test hook: the protector of <paramref name="lane"/>, created if it is not yet (as its first packet would).</summary>
    internal PacketProtector LaneProtector(int lane) => Volatile.Read(ref _lanes[lane]) ?? CreateLane(lane);

    /// <summary>Test hook: the protector of <paramref name="lane"/> if it was created, without creating it.</summary>
    internal PacketProtector? PeekLane(int lane) => Volatile.Read(ref _lanes[lane]);

    /// <summary>Test hook: whether the key copy the SA keeps for its lanes is all zero bytes (it is after Dispose).</summary>
    internal bool KeysWiped => !_keys.AsSpan().ContainsAnyExcept((byte)0);

    /// <summary>
    /// Takes the next outbound sequence number. Each successful compare-and-swap moves the counter from the value it read
    /// to that value + 1 and hands out exactly that number, so no number is handed out twice however many lanes race,
    /// and none past the hard point (RFC 4303 §3.3.3: the counter never wraps).
    /// </summary>
    private bool TryTakeSequence(out ulong sequence)
    {
        var current = Interlocked.Read(ref _lastSentSequence);
        while (current != SequenceMax)
        {
            var seen = Interlocked.CompareExchange(ref _lastSentSequence, current + 1, current);
            if (seen == current)
            {
                sequence = current + 1;
                return true;
            }

            current = seen;
        }

        sequence = 0;
        return false;
    }

    /// <summary>
    /// Verifies and decrypts <paramref name="espPacket"/> in place. On <see cref="EspResult.Ok"/> the inner IP
    /// packet is <c>espPacket.Slice(innerOffset, innerLength)</c> and <paramref name="nextHeader"/> is the ESP next
    /// header (4 = IPv4, 41 = IPv6, 59 = dummy packet). Never throws for bad input.
    /// </summary>
    public EspResult Decapsulate(Span<byte> espPacket, out int innerOffset, out int innerLength, out byte nextHeader)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsOutbound)
        {
            throw new InvalidOperationException("Decapsulate is only valid on an inbound SA.");
        }

        innerOffset = 0;
        innerLength = 0;
        nextHeader = 0;

        var ivLength = _ivSize;
        var payloadLength = espPacket.Length - HeaderLength - ivLength - _icvSize;
        if (payloadLength < TrailerLength
            || payloadLength % _blockSize != 0
            || BinaryPrimitives.ReadUInt32BigEndian(espPacket) != Spi)
        {
            return Malformed();
        }

        var low = BinaryPrimitives.ReadUInt32BigEndian(espPacket[4..]);
        var sequence = _esn ? InferSequence(low) : low;
        if (_replayWindow is not null && !_replayWindow.IsAcceptable(sequence))
        {
            Interlocked.Increment(ref _replayDrops);
            return EspResult.Replayed;
        }

        // A wrong guess of the high-order bits fails here and is counted as an authentication failure (RFC 4303 A.2.3).
        var high = _esn ? SequenceHigh.Of((uint)(sequence >> 32)) : SequenceHigh.None;

        // Made only for a packet that got this far: junk with the wrong length, SPI or sequence number costs no context.
        var protector = Volatile.Read(ref _lanes[0]) ?? CreateLane(0);
        if (!protector.TryOpen(espPacket, HeaderLength, payloadLength, high))
        {
            Interlocked.Increment(ref _authenticationFailures);
            return EspResult.AuthenticationFailed;
        }

        // RFC 4303 §3.4.3: the window is updated only for authenticated packets, and checked again right before.
        if (_replayWindow is not null)
        {
            if (!_replayWindow.IsAcceptable(sequence))
            {
                Interlocked.Increment(ref _replayDrops);
                return EspResult.Replayed;
            }

            _replayWindow.Accept(sequence);
        }

        var payload = espPacket.Slice(HeaderLength + ivLength, payloadLength);
        int padLength = payload[^2];
        if (padLength > payloadLength - TrailerLength)
        {
            return Malformed();
        }

        // RFC 4303 §2.4: the default padding is 1, 2, 3...; anything else means a broken or hostile sender.
        if (!payload.Slice(payloadLength - TrailerLength - padLength, padLength).SequenceEqual(DefaultPadding[..padLength]))
        {
            return Malformed();
        }

        innerOffset = HeaderLength + ivLength;
        innerLength = payloadLength - TrailerLength - padLength;
        nextHeader = payload[^1];

        _highestAuthenticated = Math.Max(_highestAuthenticated, sequence);
        Interlocked.Exchange(ref _lastSequenceNumber, _esn ? _highestAuthenticated : _replayWindow?.Highest ?? sequence);
        _counters.Count(0, innerLength, _timeProvider.GetTimestamp());
        return EspResult.Ok;
    }

    /// <summary>Test hook: pretend <paramref name="sequence"/> packets were already sent (beyond 2^32 - 1 only with ESN).</summary>
    internal void SetLastSentSequenceNumber(ulong sequence)
    {
        if (!_esn && sequence > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "An SA without ESN has 32-bit sequence numbers.");
        }

        Interlocked.Exchange(ref _lastSentSequence, sequence);
    }

    /// <summary>
    /// The full 64-bit sequence number of a packet carrying <paramref name="low"/>, inferred from the highest one
    /// authenticated so far and the replay window (RFC 4303 Appendix A.2.1): a number within the window below the
    /// highest belongs to its subspace (or the one before when the window straddles a 2^32 boundary), anything else to
    /// the highest's subspace or, when it lies below the window, to the next one.
    /// </summary>
    private ulong InferSequence(uint low)
    {
        var highest = _replayWindow?.Highest ?? _highestAuthenticated;
        var window = (uint)(_replayWindow?.Size ?? ReplayWindow.DefaultSize);
        var top = (uint)(highest >> 32);
        var bottom = (uint)highest;
        var windowStart = unchecked(bottom - window + 1);
        uint subspace;
        if (bottom >= window - 1)
        {
            // Case A: the window lies within one subspace.
            subspace = low >= windowStart ? top : top + 1;
        }
        else
        {
            // Case B: the window reaches back into the previous subspace (none before the first).
            subspace = low >= windowStart && top > 0 ? top - 1 : top;
        }

        return ((ulong)subspace << 32) | low;
    }

    private EspResult Malformed()
    {
        Interlocked.Increment(ref _malformedDrops);
        return EspResult.Malformed;
    }

    /// <summary>RFC 4303's default padding bytes 1, 2, 3, ... 255, copied and compared as a whole rather than byte by byte.</summary>
    private static ReadOnlySpan<byte> DefaultPadding =>
    [
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
        33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64,
        65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96,
        97, 98, 99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128,
        129, 130, 131, 132, 133, 134, 135, 136, 137, 138, 139, 140, 141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160,
        161, 162, 163, 164, 165, 166, 167, 168, 169, 170, 171, 172, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189, 190, 191, 192,
        193, 194, 195, 196, 197, 198, 199, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223, 224,
        225, 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237, 238, 239, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249, 250, 251, 252, 253, 254, 255,
    ];

    private long PaddedPayloadLength(int innerLength)
    {
        var unpadded = (long)innerLength + TrailerLength;
        return (unpadded + _alignment - 1) / _alignment * _alignment;
    }

    private static bool TryGetNextHeader(byte firstOctet, out byte nextHeader)
    {
        nextHeader = (firstOctet >> 4) switch
        {
            4 => NextHeaderIPv4,
            6 => NextHeaderIPv6,
            _ => 0,
        };
        return nextHeader != 0;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (var lane = 0; lane < _lanes.Length; lane++)
        {
            // Swapped out rather than read, so a lane created at this moment is freed once, here or by CreateLane.
            Interlocked.Exchange(ref _lanes[lane], null)?.Dispose();
        }

        System.Security.Cryptography.CryptographicOperations.ZeroMemory(_keys);
    }
}
