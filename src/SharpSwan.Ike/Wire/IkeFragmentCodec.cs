using System.Buffers.Binary;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.Wire;

/// <summary>
/// IKEv2 message fragmentation (RFC 7383 §2.5): a protected message's inner payload chain cut into pieces, each sent as
/// its own message with one Encrypted Fragment (SKF) payload, encrypted and integrity-protected on its own:
/// header | SKF generic header | Fragment Number | Total Fragments | IV | encrypted(piece | padding | pad length) | ICV.
/// The authenticated data of each piece is everything before its IV. Encoding trusts its caller and throws
/// <see cref="ArgumentException"/>; decoding faces the network and never throws.
/// </summary>
public static class IkeFragmentCodec
{
    /// <summary>SKF generic header (4) plus Fragment Number (2) and Total Fragments (2).</summary>
    public const int FragmentHeaderLength = 8;

    /// <summary>The most fragments one message may be cut into here, sent or received (the 16-bit field allows more).</summary>
    public const int MaxFragments = 128;

    private const int AadLength = IkeHeader.Size + FragmentHeaderLength;

    /// <summary>
    /// Cuts the protected message of <paramref name="header"/> and <paramref name="payloads"/> into fragment messages of at
    /// most <paramref name="maxMessageLength"/> octets each (IKE header included), every one sealed with
    /// <paramref name="protector"/>.
    /// </summary>
    public static IReadOnlyList<byte[]> Encode(IkeHeader header, IReadOnlyList<IkePayload> payloads, PacketProtector protector, int maxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(protector);
        var chain = IkeMessageCodec.EncodeChain(payloads);
        int pieceLength = MaxPieceLength(protector, maxMessageLength);
        if (pieceLength < 1)
        {
            throw new ArgumentException($"A fragment of at most {maxMessageLength} octets cannot carry any data with this protector.", nameof(maxMessageLength));
        }

        int total = Math.Max(1, (chain.Length + pieceLength - 1) / pieceLength);
        if (total > MaxFragments)
        {
            throw new ArgumentException($"A message of {chain.Length} octets needs {total} fragments of {maxMessageLength} octets, more than {MaxFragments}.", nameof(payloads));
        }

        var fragments = new byte[total][];
        for (int i = 0; i < total; i++)
        {
            var piece = chain.AsSpan(i * pieceLength, Math.Min(pieceLength, chain.Length - (i * pieceLength)));
            var first = i == 0 ? IkeMessageCodec.FirstType(payloads) : PayloadType.None;
            fragments[i] = Seal(header, first, (ushort)(i + 1), (ushort)total, piece, protector);
        }

        return fragments;
    }

    /// <summary>
    /// At most how many fragments of at most <paramref name="maxMessageLength"/> octets the protected message of
    /// <paramref name="protectedLength"/> octets (as <see cref="IkeMessageCodec.EncodeProtected"/> made it) becomes.
    /// </summary>
    public static int CountFragments(int protectedLength, PacketProtector protector, int maxMessageLength)
    {
        int pieceLength = MaxPieceLength(protector, maxMessageLength);
        return pieceLength < 1 ? int.MaxValue : Math.Max(1, (protectedLength + pieceLength - 1) / pieceLength);
    }

    /// <summary>The most inner-chain octets one fragment of at most <paramref name="maxMessageLength"/> octets can carry.</summary>
    public static int MaxPieceLength(PacketProtector protector, int maxMessageLength)
    {
        ArgumentNullException.ThrowIfNull(protector);
        int room = maxMessageLength - AadLength - protector.IvSize - protector.IcvSize;
        int blockSize = Math.Max(1, protector.BlockSize);
        int encrypted = room - (room % blockSize);

        // The pad length octet always travels; a block-aligned cipher may need no other padding.
        return encrypted - 1;
    }

    private static byte[] Seal(IkeHeader header, PayloadType first, ushort number, ushort total, ReadOnlySpan<byte> piece, PacketProtector protector)
    {
        int blockSize = Math.Max(1, protector.BlockSize);
        int padding = (blockSize - ((piece.Length + 1) % blockSize)) % blockSize;
        int payloadLength = piece.Length + padding + 1;
        int skfLength = FragmentHeaderLength + protector.IvSize + payloadLength + protector.IcvSize;
        var message = new byte[IkeHeader.Size + skfLength];
        (header with { NextPayload = PayloadType.EncryptedFragment, Length = (uint)message.Length }).Write(message);
        IkeMessageCodec.WriteGenericHeader(message.AsSpan(IkeHeader.Size), first, critical: false, skfLength);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 4), number);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 6), total);
        int plaintextStart = AadLength + protector.IvSize;
        piece.CopyTo(message.AsSpan(plaintextStart));
        message[plaintextStart + payloadLength - 1] = (byte)padding;
        protector.Seal(message, AadLength, payloadLength);
        return message;
    }

    /// <summary>
    /// Reads, verifies and decrypts one fragment message (without the non-ESP marker). The datagram is never modified.
    /// </summary>
    public static IkeFragment Decode(ReadOnlySpan<byte> datagram, PacketProtector protector)
    {
        ArgumentNullException.ThrowIfNull(protector);
        if (ReadFrame(datagram, out var frame) is { } framingError)
        {
            return framingError;
        }

        int payloadLength = datagram.Length - AadLength - protector.IvSize - protector.IcvSize;
        if (payloadLength < 1 || payloadLength % Math.Max(1, protector.BlockSize) != 0)
        {
            return IkeFragment.Fail(IkeParseError.MalformedPayload, $"SKF payload of {datagram.Length - IkeHeader.Size} octets cannot hold IV, whole blocks, pad length and ICV", frame.Header);
        }

        // The protector decrypts in place; the caller's datagram stays untouched.
        byte[] copy = datagram.ToArray();
        if (!protector.TryOpen(copy, AadLength, payloadLength))
        {
            return IkeFragment.Fail(IkeParseError.IntegrityCheckFailed, "Encrypted Fragment payload failed its integrity check", frame.Header);
        }

        int plaintextStart = AadLength + protector.IvSize;
        int padLength = copy[plaintextStart + payloadLength - 1];
        if (padLength + 1 > payloadLength)
        {
            return IkeFragment.Fail(IkeParseError.InvalidPadding, $"pad length {padLength} exceeds {payloadLength} decrypted octets", frame.Header, verified: true);
        }

        var content = copy.AsMemory(plaintextStart, payloadLength - padLength - 1);
        return IkeFragment.Ok(frame.Header, frame.Number, frame.Total, frame.Number == 1 ? frame.First : PayloadType.None, content);
    }

    /// <summary>The checks that need no keys: header, one SKF payload filling the message, sane numbering.</summary>
    private static IkeFragment? ReadFrame(ReadOnlySpan<byte> datagram, out Frame frame)
    {
        frame = default;
        if (!IkeHeader.TryRead(datagram, out var header))
        {
            return IkeFragment.Fail(IkeParseError.Truncated, $"datagram of {datagram.Length} octets is shorter than the IKE header");
        }

        if (header.MajorVersion != 2)
        {
            return IkeFragment.Fail(IkeParseError.UnsupportedMajorVersion, $"major version {header.MajorVersion}", header);
        }

        if (header.Length != (uint)datagram.Length)
        {
            return IkeFragment.Fail(IkeParseError.InvalidLength, $"header announces {header.Length} octets, datagram has {datagram.Length}", header);
        }

        if (header.NextPayload != PayloadType.EncryptedFragment)
        {
            return IkeFragment.Fail(IkeParseError.MalformedPayload, $"first payload is {header.NextPayload}, not an Encrypted Fragment", header);
        }

        if (datagram.Length < AadLength)
        {
            return IkeFragment.Fail(IkeParseError.Truncated, "datagram ends inside the Encrypted Fragment header", header);
        }

        var skf = datagram[IkeHeader.Size..];
        int length = BinaryPrimitives.ReadUInt16BigEndian(skf[2..]);
        if (length != skf.Length)
        {
            // SKF must be the message's only payload (RFC 7383 §2.5): it is the last one, and nothing may precede it unprotected.
            return IkeFragment.Fail(IkeParseError.InvalidLength, $"Encrypted Fragment payload length {length} with {skf.Length} octets after the header", header);
        }

        var number = BinaryPrimitives.ReadUInt16BigEndian(skf[4..]);
        var total = BinaryPrimitives.ReadUInt16BigEndian(skf[6..]);
        if (number == 0 || total == 0 || number > total)
        {
            return IkeFragment.Fail(IkeParseError.MalformedPayload, $"fragment {number} of {total}", header);
        }

        frame = new Frame(header, (PayloadType)skf[0], number, total);
        return null;
    }

    private readonly record struct Frame(IkeHeader Header, PayloadType First, ushort Number, ushort Total);
}
