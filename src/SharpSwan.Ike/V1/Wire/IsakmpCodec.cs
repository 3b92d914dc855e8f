using System.Buffers.Binary;

namespace SharpSwan.Ike.V1.Wire;

/// <summary>
/// Turns ISAKMP (IKEv1) messages into datagrams and back (RFC 2408 §3). Encoding trusts its caller and throws
/// <see cref="ArgumentException"/> for payloads that cannot be represented; decoding faces the network and never
/// throws. The codec knows no keys: an encrypted message comes back as ciphertext, and the caller decrypts it and
/// hands the plaintext to <see cref="DecodeDecrypted"/>.
/// </summary>
public static class IsakmpCodec
{
    private const int GenericHeaderLength = 4;

    /// <summary>Encodes a plain message; NextPayload and Length of <paramref name="header"/> are computed here.</summary>
    public static byte[] Encode(IsakmpHeader header, IReadOnlyList<IsakmpPayload> payloads) =>
        Assemble(header with { Flags = header.Flags & ~IsakmpFlags.Encryption }, FirstType(payloads), EncodeChain(payloads));

    /// <summary>Encodes the payload chain alone (generic headers included): what gets hashed and encrypted.</summary>
    public static byte[] EncodeChain(IReadOnlyList<IsakmpPayload> payloads)
    {
        ArgumentNullException.ThrowIfNull(payloads);
        int total = 0;
        foreach (var payload in payloads)
        {
            int length = GenericHeaderLength + payload.BodyLength;
            total += length <= ushort.MaxValue ? length
                : throw new ArgumentException($"{payload.Type} payload of {length} octets exceeds the 16-bit length field.", nameof(payloads));
        }

        var chain = new byte[total];
        int offset = 0;
        for (int i = 0; i < payloads.Count; i++)
        {
            var next = i + 1 < payloads.Count ? payloads[i + 1].Type : IsakmpPayloadType.None;
            int bodyLength = payloads[i].BodyLength;
            chain[offset] = (byte)next;
            BinaryPrimitives.WriteUInt16BigEndian(chain.AsSpan(offset + 2), (ushort)(GenericHeaderLength + bodyLength));
            payloads[i].WriteBody(chain.AsSpan(offset + GenericHeaderLength, bodyLength));
            offset += GenericHeaderLength + bodyLength;
        }

        return chain;
    }

    /// <summary>Prepends the header to an already encoded (and possibly encrypted) body.</summary>
    public static byte[] Assemble(IsakmpHeader header, IsakmpPayloadType firstPayload, ReadOnlySpan<byte> body)
    {
        var message = new byte[IsakmpHeader.Size + body.Length];
        (header with { NextPayload = firstPayload, Length = (uint)message.Length }).Write(message);
        body.CopyTo(message.AsSpan(IsakmpHeader.Size));
        return message;
    }

    public static IsakmpPayloadType FirstType(IReadOnlyList<IsakmpPayload> payloads) =>
        payloads.Count == 0 ? IsakmpPayloadType.None : payloads[0].Type;

    /// <summary>Decodes one datagram (without the non-ESP marker of port 4500).</summary>
    public static IsakmpParseResult Decode(ReadOnlySpan<byte> datagram)
    {
        if (!IsakmpHeader.TryRead(datagram, out var header))
        {
            return IsakmpParseResult.Fail(IsakmpParseError.Truncated, $"datagram of {datagram.Length} octets is shorter than the ISAKMP header");
        }

        if (header.MajorVersion != 1)
        {
            return IsakmpParseResult.Fail(IsakmpParseError.UnsupportedMajorVersion, $"major version {header.MajorVersion}", header);
        }

        if (header.Length != (uint)datagram.Length)
        {
            var error = header.Length > (uint)datagram.Length ? IsakmpParseError.Truncated : IsakmpParseError.InvalidLength;
            return IsakmpParseResult.Fail(error, $"header announces {header.Length} octets, datagram has {datagram.Length}", header);
        }

        var body = datagram[IsakmpHeader.Size..];
        if (header.IsEncrypted)
        {
            return body.IsEmpty
                ? IsakmpParseResult.Fail(IsakmpParseError.InvalidEncryptedLength, "encrypted message without a body", header)
                : IsakmpParseResult.Encrypted(header, body.ToArray());
        }

        return ParseChain(header, body.ToArray(), allowTrailing: false);
    }

    /// <summary>
    /// Decodes the decrypted body of an encrypted message. Octets after the last payload are the cipher padding
    /// (RFC 2409 Appendix B leaves their content open) and are ignored.
    /// </summary>
    public static IsakmpParseResult DecodeDecrypted(IsakmpHeader header, ReadOnlySpan<byte> plaintext) =>
        ParseChain(header, plaintext.ToArray(), allowTrailing: true);

    private static IsakmpParseResult ParseChain(IsakmpHeader header, byte[] region, bool allowTrailing)
    {
        var payloads = new List<IsakmpPayload>();
        int offset = 0;
        int firstLength = 0;
        var type = header.NextPayload;
        while (type != IsakmpPayloadType.None)
        {
            int remaining = region.Length - offset;
            int length = remaining < GenericHeaderLength ? -1 : BinaryPrimitives.ReadUInt16BigEndian(region.AsSpan(offset + 2));
            if (length < GenericHeaderLength || length > remaining)
            {
                var error = remaining < GenericHeaderLength ? IsakmpParseError.Truncated : IsakmpParseError.InvalidLength;
                return IsakmpParseResult.Fail(error, $"{type} payload length {length} with {remaining} octets left", header, type);
            }

            var payload = DecodeBody(type, region.AsSpan(offset + GenericHeaderLength, length - GenericHeaderLength), out string? detail);
            if (payload is null)
            {
                return IsakmpParseResult.Fail(IsakmpParseError.MalformedPayload, $"{type}: {detail}", header, type);
            }

            payloads.Add(payload);
            firstLength = offset == 0 ? length : firstLength;
            type = (IsakmpPayloadType)region[offset];
            offset += length;
        }

        if (offset != region.Length && !allowTrailing)
        {
            return IsakmpParseResult.Fail(IsakmpParseError.InvalidLength, $"{region.Length - offset} octets follow the last payload", header);
        }

        var message = new IsakmpMessage(header, payloads, region.AsMemory(0, offset), firstLength, allowTrailing);
        return IsakmpParseResult.Ok(message);
    }

    /// <summary>Decodes a payload body; null with an error for a malformed one. Unknown types are kept as octets.</summary>
    private static IsakmpPayload? DecodeBody(IsakmpPayloadType type, ReadOnlySpan<byte> body, out string? error)
    {
        error = null;
        return type switch
        {
            IsakmpPayloadType.SecurityAssociation => SecurityAssociationPayload.TryDecode(body, out error),
            IsakmpPayloadType.KeyExchange => KeyExchangePayload.TryDecode(body, out error),
            IsakmpPayloadType.Identification => IdentificationPayload.TryDecode(body, out error),
            IsakmpPayloadType.Certificate => CertificatePayload.TryDecode(body, out error),
            IsakmpPayloadType.CertificateRequest => CertificateRequestPayload.TryDecode(body, out error),
            IsakmpPayloadType.Hash => HashPayload.TryDecode(body, out error),
            IsakmpPayloadType.Signature => SignaturePayload.TryDecode(body, out error),
            IsakmpPayloadType.Nonce => NoncePayload.TryDecode(body, out error),
            IsakmpPayloadType.Notification => NotificationPayload.TryDecode(body, out error),
            IsakmpPayloadType.Delete => DeletePayload.TryDecode(body, out error),
            IsakmpPayloadType.VendorId => VendorIdPayload.TryDecode(body, out error),
            IsakmpPayloadType.Attribute => AttributePayload.TryDecode(body, out error),
            IsakmpPayloadType.NatDiscovery => NatDiscoveryPayload.TryDecode(body, draft: false, out error),
            IsakmpPayloadType.NatDiscoveryDraft => NatDiscoveryPayload.TryDecode(body, draft: true, out error),
            IsakmpPayloadType.NatOriginalAddress => NatOriginalAddressPayload.TryDecode(body, draft: false, out error),
            IsakmpPayloadType.NatOriginalAddressDraft => NatOriginalAddressPayload.TryDecode(body, draft: true, out error),

            // Proposals and transforms only occur nested inside an SA payload.
            IsakmpPayloadType.Proposal or IsakmpPayloadType.Transform => Reject($"{type} outside an SA payload", out error),
            _ => new UnknownIsakmpPayload(type, body.ToArray()),
        };
    }

    private static IsakmpPayload? Reject(string reason, out string? error)
    {
        error = reason;
        return null;
    }
}
