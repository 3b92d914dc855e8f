using SharpSwan.Crypto;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Exchanges;

/// <summary>
/// Encrypting and decrypting ISAKMP messages with the SA's phase-1 cipher, and the HASH payload that leads quick-mode and
/// informational messages. Decryption never moves an IV: the caller commits the returned one once the message verified.
/// </summary>
internal static class IsakmpProtection
{
    public const ushort NotifyInitialContact = 24578;
    public const ushort NotifyRuThere = 36136;
    public const ushort NotifyRuThereAck = 36137;

    /// <summary>Encodes the chain, encrypts it with <paramref name="iv"/> (advanced) and prepends the header with the E flag.</summary>
    public static byte[] Seal(IsakmpSaState v1, IsakmpHeader header, IsakmpPayloadType first, byte[] chain, byte[] iv)
    {
        var ciphertext = v1.Cipher!.Encrypt(chain, iv);
        return IsakmpCodec.Assemble(header with { Flags = header.Flags | IsakmpFlags.Encryption }, first, ciphertext);
    }

    /// <summary>A chain led by a HASH payload over the payloads after it, as <paramref name="hash"/> computes it.</summary>
    public static byte[] ChainWithHash(IReadOnlyList<IsakmpPayload> rest, Func<byte[], byte[]> hash, int hashLength)
    {
        var chain = IsakmpCodec.EncodeChain([new HashPayload(new byte[hashLength]), .. rest]);
        int after = 4 + hashLength;
        hash(chain[after..]).CopyTo(chain, 4);
        return chain;
    }

    /// <summary>Decrypts and parses an encrypted message with a copy of <paramref name="iv"/>; the IV after it comes back in <paramref name="nextIv"/>.</summary>
    public static IsakmpParseResult Open(IsakmpSaState v1, IsakmpParseResult outer, byte[] iv, out byte[] nextIv)
    {
        nextIv = (byte[])iv.Clone();
        if (v1.Cipher is null)
        {
            return IsakmpParseResult.Fail(IsakmpParseError.UnexpectedProtection, "encrypted message before keys exist", outer.Header);
        }

        if (!v1.Cipher.TryDecrypt(outer.Ciphertext.Span, nextIv, out var plaintext))
        {
            return IsakmpParseResult.Fail(IsakmpParseError.InvalidEncryptedLength, $"encrypted body of {outer.Ciphertext.Length} octets is not whole blocks", outer.Header);
        }

        return IsakmpCodec.DecodeDecrypted(outer.Header!.Value, plaintext);
    }

    /// <summary>Whether a message starts with a HASH payload equal to <paramref name="expected"/> (constant time).</summary>
    public static bool HashMatches(IsakmpMessage message, byte[] expected) =>
        message.Payloads.Count > 0 && message.Payloads[0] is HashPayload hash &&
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(hash.Data, expected);

    public static IsakmpHeader Header(IkeSa sa, IsakmpExchangeType exchange, uint messageId) =>
        new(sa.InitiatorSpi, sa.ResponderSpi, IsakmpPayloadType.None, exchange, IsakmpFlags.None, messageId, 0);

    public static byte[] Cookies(IkeSa sa)
    {
        var octets = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(octets, sa.InitiatorSpi);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(octets.AsSpan(8), sa.ResponderSpi);
        return octets;
    }

    /// <summary>A fresh non-zero message ID not used by an exchange of this SA.</summary>
    public static uint NewMessageId(IsakmpSaState v1, IRandomSource random)
    {
        Span<byte> octets = stackalloc byte[4];
        while (true)
        {
            random.Fill(octets);
            uint id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(octets);
            if (id != 0 && !v1.ExchangeIvs.ContainsKey(id) && !v1.Finished.Contains(id))
            {
                return id;
            }
        }
    }
}
