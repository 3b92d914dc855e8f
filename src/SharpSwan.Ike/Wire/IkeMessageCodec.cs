using System.Buffers.Binary;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.Wire;

/// <summary>
/// Turns IKEv2 messages into datagrams and back (RFC 7296 §3). Encoding trusts its caller and throws
/// <see cref="ArgumentException"/> for payloads that cannot be represented on the wire; decoding faces the
/// network and never throws: every malformed input comes back as an <see cref="IkeParseResult"/> error.
/// </summary>
public static class IkeMessageCodec
{
    private const int GenericHeaderLength = 4;
    private const byte CriticalBit = 0x80;

    /// <summary>Offset of the IV in a message built by <see cref="EncodeProtected"/>: header plus the SK generic header.</summary>
    private const int ProtectedAadLength = IkeHeader.Size + GenericHeaderLength;

    /// <summary>
    /// Encodes a plain (unencrypted) message. The header's NextPayload and Length are computed here; the
    /// values passed in for them are ignored.
    /// </summary>
    public static byte[] Encode(IkeHeader header, IReadOnlyList<IkePayload> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        int chainLength = MeasureChain(payloads);
        var message = new byte[IkeHeader.Size + chainLength];
        (header with { NextPayload = FirstType(payloads), Length = (uint)message.Length }).Write(message);
        WriteChain(payloads, message.AsSpan(IkeHeader.Size));
        return message;
    }

    /// <summary>
    /// Encodes a message whose payloads all travel inside one Encrypted (SK) payload (RFC 7296 §3.14):
    /// header | SK generic header | IV | encrypted(inner payloads | padding | pad length) | ICV.
    /// </summary>
    public static byte[] EncodeProtected(IkeHeader header, IReadOnlyList<IkePayload> payloads, PacketProtector protector)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        ArgumentNullException.ThrowIfNull(protector);

        int innerLength = MeasureChain(payloads);
        int blockSize = Math.Max(1, protector.BlockSize);
        int padding = (blockSize - ((innerLength + 1) % blockSize)) % blockSize;
        int payloadLength = innerLength + padding + 1;
        int encryptedPayloadLength = GenericHeaderLength + protector.IvSize + payloadLength + protector.IcvSize;
        if (encryptedPayloadLength > ushort.MaxValue)
        {
            throw new ArgumentException($"Encrypted payload of {encryptedPayloadLength} octets exceeds the 16-bit length field.", nameof(payloads));
        }

        var message = new byte[IkeHeader.Size + encryptedPayloadLength];
        (header with { NextPayload = PayloadType.Encrypted, Length = (uint)message.Length }).Write(message);
        WriteGenericHeader(message.AsSpan(IkeHeader.Size), FirstType(payloads), critical: false, encryptedPayloadLength);

        int plaintextStart = ProtectedAadLength + protector.IvSize;
        WriteChain(payloads, message.AsSpan(plaintextStart, innerLength));

        // Padding octets stay zero; the last plaintext octet is the pad length.
        message[plaintextStart + payloadLength - 1] = (byte)padding;
        protector.Seal(message, ProtectedAadLength, payloadLength);
        return message;
    }

    /// <summary>
    /// Decodes one datagram (without the non-ESP marker used on port 4500). An Encrypted payload is opened with
    /// <paramref name="protector"/>, which must then be supplied; the datagram itself is never modified.
    /// </summary>
    public static IkeParseResult Decode(ReadOnlySpan<byte> datagram, PacketProtector? protector)
    {
        if (!IkeHeader.TryRead(datagram, out var header))
        {
            return IkeParseResult.Fail(IkeParseError.Truncated, $"datagram of {datagram.Length} octets is shorter than the IKE header");
        }

        if (header.MajorVersion != 2)
        {
            return IkeParseResult.Fail(IkeParseError.UnsupportedMajorVersion, $"major version {header.MajorVersion}", header);
        }

        if (header.Length < IkeHeader.Size)
        {
            return IkeParseResult.Fail(IkeParseError.InvalidLength, $"header length {header.Length} is shorter than the header", header);
        }

        if (header.Length > (uint)datagram.Length)
        {
            return IkeParseResult.Fail(IkeParseError.Truncated, $"header announces {header.Length} octets, datagram has {datagram.Length}", header);
        }

        if (header.Length < (uint)datagram.Length)
        {
            return IkeParseResult.Fail(IkeParseError.InvalidLength, $"{datagram.Length - header.Length} octets follow the announced message length", header);
        }

        var payloads = new List<IkePayload>();
        var outer = ParseChain(datagram, IkeHeader.Size, header.NextPayload, payloads, allowEncrypted: true);
        if (outer.Failure is ChainFailure outerFailure)
        {
            return outerFailure.ToResult(header);
        }

        if (outer.EncryptedOffset < 0)
        {
            return IkeParseResult.Ok(new IkeMessage(header, payloads, wasProtected: false));
        }

        if (protector is null)
        {
            return IkeParseResult.Fail(IkeParseError.MissingProtector, "message carries an Encrypted payload but no keys are available", header);
        }

        var inner = OpenEncryptedPayload(datagram, outer.EncryptedOffset, protector, out var openFailure);
        if (openFailure is ChainFailure failure)
        {
            return failure.ToResult(header);
        }

        var innerResult = ParseChain(inner.Span, 0, outer.InnerFirstPayload, payloads, allowEncrypted: false);
        if (innerResult.Failure is ChainFailure innerFailure)
        {
            return innerFailure.ToResult(header).AfterVerification();
        }

        return IkeParseResult.Ok(new IkeMessage(header, payloads, wasProtected: true));
    }

    /// <summary>
    /// Builds the message whose inner payload chain was reassembled from verified fragments (RFC 7383 §2.6): the chain
    /// starts with <paramref name="first"/> (the first fragment's Next Payload). A failure inside it is marked verified,
    /// since every fragment passed its integrity check.
    /// </summary>
    public static IkeParseResult DecodeReassembled(IkeHeader header, PayloadType first, ReadOnlySpan<byte> inner)
    {
        var payloads = new List<IkePayload>();
        var chain = ParseChain(inner, 0, first, payloads, allowEncrypted: false);
        if (chain.Failure is ChainFailure failure)
        {
            return failure.ToResult(header).AfterVerification();
        }

        return IkeParseResult.Ok(new IkeMessage(header, payloads, wasProtected: true));
    }

    /// <summary>The inner payload chain of <paramref name="payloads"/> as it travels inside SK or SKF, unpadded.</summary>
    internal static byte[] EncodeChain(IReadOnlyList<IkePayload> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        var chain = new byte[MeasureChain(payloads)];
        WriteChain(payloads, chain);
        return chain;
    }

    internal static PayloadType FirstType(IReadOnlyList<IkePayload> payloads) =>
        payloads.Count == 0 ? PayloadType.None : payloads[0].Type;

    private static int MeasureChain(IReadOnlyList<IkePayload> payloads)
    {
        int total = 0;
        foreach (var payload in payloads)
        {
            int length = GenericHeaderLength + payload.BodyLength;
            if (length > ushort.MaxValue)
            {
                throw new ArgumentException($"{payload.Type} payload of {length} octets exceeds the 16-bit length field.", nameof(payloads));
            }

            total += length;
        }

        return total;
    }

    private static void WriteChain(IReadOnlyList<IkePayload> payloads, Span<byte> destination)
    {
        int offset = 0;
        for (int i = 0; i < payloads.Count; i++)
        {
            var payload = payloads[i];
            var next = i + 1 < payloads.Count ? payloads[i + 1].Type : PayloadType.None;
            int bodyLength = payload.BodyLength;
            WriteGenericHeader(destination[offset..], next, payload.Critical, GenericHeaderLength + bodyLength);
            payload.WriteBody(destination.Slice(offset + GenericHeaderLength, bodyLength));
            offset += GenericHeaderLength + bodyLength;
        }
    }

    internal static void WriteGenericHeader(Span<byte> destination, PayloadType next, bool critical, int length)
    {
        destination[0] = (byte)next;
        destination[1] = critical ? CriticalBit : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)length);
    }

    /// <summary>
    /// Walks a payload chain from <paramref name="start"/> to the end of <paramref name="region"/>, appending to
    /// <paramref name="payloads"/>. Stops at an Encrypted payload, which must end the region.
    /// </summary>
    private static ChainOutcome ParseChain(ReadOnlySpan<byte> region, int start, PayloadType first, List<IkePayload> payloads, bool allowEncrypted)
    {
        int offset = start;
        var type = first;
        while (type != PayloadType.None)
        {
            int remaining = region.Length - offset;
            if (remaining < GenericHeaderLength)
            {
                return ChainOutcome.Failed(IkeParseError.Truncated, $"data ends where a {Describe(type)} payload should start", type);
            }

            var next = (PayloadType)region[offset];
            bool critical = (region[offset + 1] & CriticalBit) != 0;
            int length = BinaryPrimitives.ReadUInt16BigEndian(region[(offset + 2)..]);
            if (length < GenericHeaderLength || length > remaining)
            {
                return ChainOutcome.Failed(IkeParseError.InvalidLength, $"{Describe(type)} payload length {length} with {remaining} octets left", type);
            }

            if (type == PayloadType.Encrypted)
            {
                if (!allowEncrypted)
                {
                    return ChainOutcome.Failed(IkeParseError.MalformedPayload, "Encrypted payload nested inside an Encrypted payload", type);
                }

                if (length != remaining)
                {
                    return ChainOutcome.Failed(IkeParseError.MalformedPayload, "Encrypted payload is not the last payload", type);
                }

                return ChainOutcome.Encrypted(offset, next);
            }

            var body = region.Slice(offset + GenericHeaderLength, length - GenericHeaderLength);
            var payload = DecodeBody(type, body, out string? error);
            if (payload is null)
            {
                if (IsKnown(type))
                {
                    return ChainOutcome.Failed(IkeParseError.MalformedPayload, $"{type}: {error}", type);
                }

                if (critical)
                {
                    return ChainOutcome.Failed(IkeParseError.UnsupportedCriticalPayload, $"unknown payload type {(byte)type} marked critical", type);
                }

                payload = new UnknownPayload(type, body.ToArray());
            }

            payloads.Add(critical ? payload with { Critical = true } : payload);
            offset += length;
            type = next;
        }

        if (offset != region.Length)
        {
            return ChainOutcome.Failed(IkeParseError.InvalidLength, $"{region.Length - offset} octets follow the last payload", null);
        }

        return ChainOutcome.Completed;
    }

    private static bool IsKnown(PayloadType type) =>
        type is >= PayloadType.SecurityAssociation and <= PayloadType.Eap or PayloadType.EncryptedFragment;

    /// <summary>Decodes a known payload body; null with an error for a malformed one, null without an error for an unknown type.</summary>
    private static IkePayload? DecodeBody(PayloadType type, ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        return type switch
        {
            PayloadType.SecurityAssociation => SecurityAssociationPayload.TryDecode(body, out error),
            PayloadType.KeyExchange => KeyExchangePayload.TryDecode(body, out error),
            PayloadType.IdInitiator => IdentificationPayload.TryDecode(isInitiator: true, body, out error),
            PayloadType.IdResponder => IdentificationPayload.TryDecode(isInitiator: false, body, out error),
            PayloadType.Certificate => CertificatePayload.TryDecode(body, out error),
            PayloadType.CertificateRequest => CertificateRequestPayload.TryDecode(body, out error),
            PayloadType.Authentication => AuthenticationPayload.TryDecode(body, out error),
            PayloadType.Nonce => NoncePayload.TryDecode(body, out error),
            PayloadType.Notify => NotifyPayload.TryDecode(body, out error),
            PayloadType.Delete => DeletePayload.TryDecode(body, out error),
            PayloadType.VendorId => VendorIdPayload.TryDecode(body),
            PayloadType.TrafficSelectorInitiator => TrafficSelectorPayload.TryDecode(isInitiator: true, body, out error),
            PayloadType.TrafficSelectorResponder => TrafficSelectorPayload.TryDecode(isInitiator: false, body, out error),
            PayloadType.Configuration => ConfigurationPayload.TryDecode(body, out error),
            PayloadType.Eap => EapPayload.TryDecode(body, out error),

            // A fragment is never part of a whole message: it goes through IkeFragmentCodec and reassembly (RFC 7383 §2.5).
            PayloadType.EncryptedFragment => Reject("an Encrypted Fragment payload is only valid alone, as one fragment of a message", out error),
            _ => null,
        };
    }

    private static IkePayload? Reject(string reason, out string? error)
    {
        error = reason;
        return null;
    }

    /// <summary>
    /// Verifies and decrypts the Encrypted payload at <paramref name="offset"/> in a private copy of the datagram
    /// and returns the inner payload chain with padding removed.
    /// </summary>
    private static ReadOnlyMemory<byte> OpenEncryptedPayload(ReadOnlySpan<byte> datagram, int offset, PacketProtector protector, out ChainFailure? failure)
    {
        int bodyLength = datagram.Length - offset - GenericHeaderLength;
        int payloadLength = bodyLength - protector.IvSize - protector.IcvSize;
        int blockSize = Math.Max(1, protector.BlockSize);
        if (payloadLength < 1)
        {
            failure = new ChainFailure(IkeParseError.MalformedPayload, $"Encrypted payload body of {bodyLength} octets cannot hold IV, pad length and ICV", PayloadType.Encrypted);
            return default;
        }

        if (payloadLength % blockSize != 0)
        {
            failure = new ChainFailure(IkeParseError.MalformedPayload, $"encrypted data of {payloadLength} octets is not a multiple of the {blockSize}-octet block", PayloadType.Encrypted);
            return default;
        }

        // The protector decrypts in place; the caller's datagram stays untouched.
        byte[] copy = datagram.ToArray();
        int aadLength = offset + GenericHeaderLength;
        if (!protector.TryOpen(copy, aadLength, payloadLength))
        {
            failure = new ChainFailure(IkeParseError.IntegrityCheckFailed, "Encrypted payload failed its integrity check", PayloadType.Encrypted);
            return default;
        }

        int plaintextStart = aadLength + protector.IvSize;
        int padLength = copy[plaintextStart + payloadLength - 1];
        if (padLength + 1 > payloadLength)
        {
            failure = new ChainFailure(IkeParseError.InvalidPadding, $"pad length {padLength} exceeds {payloadLength} decrypted octets", PayloadType.Encrypted);
            return default;
        }

        failure = null;
        return copy.AsMemory(plaintextStart, payloadLength - padLength - 1);
    }

    private static string Describe(PayloadType type) =>
        IsKnown(type) || type == PayloadType.None ? type.ToString() : $"type {(byte)type}";

    private readonly record struct ChainFailure(IkeParseError Error, string Detail, PayloadType? Offending)
    {
        public IkeParseResult ToResult(IkeHeader header) => IkeParseResult.Fail(Error, Detail, header, Offending);
    }

    private readonly record struct ChainOutcome(ChainFailure? Failure, int EncryptedOffset, PayloadType InnerFirstPayload)
    {
        public static ChainOutcome Completed => new(null, -1, PayloadType.None);

        public static ChainOutcome Encrypted(int offset, PayloadType innerFirst) => new(null, offset, innerFirst);

        public static ChainOutcome Failed(IkeParseError error, string detail, PayloadType? offending) =>
            new(new ChainFailure(error, detail, offending), -1, PayloadType.None);
    }
}
