using System.Buffers.Binary;

namespace SharpSwan.Crypto;

/// <summary>AES-GCM-16 (RFC 4106, RFC 5282) and ChaCha20-Poly1305 (RFC 7634) with an 8-byte explicit IV.</summary>
internal sealed class AeadPacketProtector : PacketProtector
{
    public const int TagLength = 16;
    private const int ExplicitIvLength = 8;
    private const int NonceLength = 12;

    private readonly IAeadCipher _cipher;
    private readonly uint _salt;

    /// <summary>Protectors that share one key (one per data-plane worker) take IVs from disjoint ranges: at most 256 of them.</summary>
    public const int MaxIvPartitions = 256;

    private const int PartitionShift = 56;

    // IVs are a 64-bit counter from a random start: unique for this key until 2^64 messages, which we refuse to pass.
    // A partitioned protector starts at partition << 56 | a random 55-bit offset and may issue 2^55 IVs, so it never
    // reaches the next partition's range: several protectors on one key never repeat an IV.
    private readonly ulong _ivLimit;
    private ulong _nextIv;
    private ulong _ivsIssued;

    /// <param name="cipher">The keyed AEAD; the protector owns it from here on.</param>
    /// <param name="ivPartition">-1: the whole IV space; 0 to <see cref="MaxIvPartitions"/> - 1: that partition's range only.</param>
    public AeadPacketProtector(IAeadCipher cipher, ReadOnlySpan<byte> salt, IRandomSource random, int ivPartition = -1)
        : this(cipher, salt, DrawIvStart(random), ivPartition)
    {
    }

    /// <param name="cipher">The keyed AEAD; the protector owns it from here on.</param>
    /// <param name="ivStart">8 random bytes drawn earlier (<see cref="DrawIvStart"/>): where the IV counter starts, cut to
    /// the partition's range. Lets a protector be created later, on another thread, without touching the random source.</param>
    /// <param name="ivPartition">-1: the whole IV space; 0 to <see cref="MaxIvPartitions"/> - 1: that partition's range only.</param>
    public AeadPacketProtector(IAeadCipher cipher, ReadOnlySpan<byte> salt, ulong ivStart, int ivPartition)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ivPartition, -1);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(ivPartition, MaxIvPartitions);
        _cipher = cipher;
        _salt = BinaryPrimitives.ReadUInt32BigEndian(salt);
        _nextIv = ivStart;
        _ivLimit = ulong.MaxValue;
        if (ivPartition >= 0)
        {
            _nextIv = ((ulong)ivPartition << PartitionShift) | (_nextIv & ((1UL << (PartitionShift - 1)) - 1));
            _ivLimit = 1UL << (PartitionShift - 1);
        }
    }

    public override int IvSize => ExplicitIvLength;

    public override int IcvSize => TagLength;

    public override int BlockSize => 1;

    public override bool IsAead => true;

    internal override CryptoBackend Backend => _cipher.Backend;

    private protected override void SealCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        if (_ivsIssued == _ivLimit)
        {
            throw new InvalidOperationException("The IV space of this key is exhausted; the SA must be rekeyed.");
        }

        _ivsIssued++;
        var iv = message.Slice(aadLength, ExplicitIvLength);
        BinaryPrimitives.WriteUInt64BigEndian(iv, _nextIv);
        _nextIv = unchecked(_nextIv + 1);

        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildNonce(nonce, iv);
        Span<byte> extended = stackalloc byte[SequenceHigh.EspHeaderLength + SequenceHigh.Length];
        var associatedData = AssociatedData(message, aadLength, high, extended);
        var payload = message.Slice(aadLength + ExplicitIvLength, payloadLength);
        var tag = message.Slice(aadLength + ExplicitIvLength + payloadLength, TagLength);

        _cipher.Encrypt(nonce, payload, tag, associatedData);
    }

    private protected override bool TryOpenCore(Span<byte> message, int aadLength, int payloadLength, SequenceHigh high)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        BuildNonce(nonce, message.Slice(aadLength, ExplicitIvLength));
        Span<byte> extended = stackalloc byte[SequenceHigh.EspHeaderLength + SequenceHigh.Length];
        var associatedData = AssociatedData(message, aadLength, high, extended);
        var payload = message.Slice(aadLength + ExplicitIvLength, payloadLength);
        var tag = message.Slice(aadLength + ExplicitIvLength + payloadLength, TagLength);

        return _cipher.TryDecrypt(nonce, payload, tag, associatedData);
    }

    /// <summary>
    /// The header as it is, or with ESN the 12-octet AAD SPI | high-order bits | low-order bits (RFC 4106 §5,
    /// RFC 7634 §2.1) built in <paramref name="extended"/>, so the cipher still takes the AAD in one call.
    /// </summary>
    private static ReadOnlySpan<byte> AssociatedData(ReadOnlySpan<byte> message, int aadLength, SequenceHigh high, Span<byte> extended)
    {
        if (!high.Present)
        {
            return message[..aadLength];
        }

        message[..sizeof(uint)].CopyTo(extended);
        BinaryPrimitives.WriteUInt32BigEndian(extended[sizeof(uint)..], high.Value);
        message[sizeof(uint)..SequenceHigh.EspHeaderLength].CopyTo(extended[(sizeof(uint) + SequenceHigh.Length)..]);
        return extended;
    }

    private void BuildNonce(Span<byte> nonce, ReadOnlySpan<byte> iv)
    {
        BinaryPrimitives.WriteUInt32BigEndian(nonce, _salt);
        iv.CopyTo(nonce[sizeof(uint)..]);
    }

    private protected override void DisposeCore() => _cipher.Dispose();
}
