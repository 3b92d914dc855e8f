using System.Buffers.Binary;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Fuzz;

/// <summary>
/// IKEv2 after decryption: what an authenticated peer (or a bug in our own decryption) can put inside the SK payload.
/// The input's first byte is the SK payload's Next Payload (the first inner payload's type), its second byte picks
/// AES-GCM-16 (even) or AES-CBC + HMAC-SHA-256 (odd), and the rest is the plaintext, pad length octet included. It is
/// sealed with fixed keys and decoded with the same keys, so the fuzzer reaches the padding check and the inner payload
/// chain instead of stopping at the ICV.
/// </summary>
internal sealed class IkeProtectedTarget : IFuzzTarget
{
    private const int GenericHeaderLength = 4;
    private const int AadLength = IkeHeader.Size + GenericHeaderLength;

    private readonly PacketProtector _gcm = PacketProtector.Create(
        EncryptionAlgorithm.AesGcm16, 128, IntegrityAlgorithm.None, Key(20, 0x11), [], new SeededRandomSource(1));

    private readonly PacketProtector _cbc = PacketProtector.Create(
        EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha256_128, Key(16, 0x22), Key(32, 0x33), new SeededRandomSource(2));

    public string Name => "ike-sk";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 2)
        {
            return;
        }

        var protector = (input[1] & 1) == 0 ? _gcm : _cbc;
        var message = Seal(protector, (PayloadType)input[0], input[2..]);
        if (message is null)
        {
            return;
        }

        var result = IkeMessageCodec.Decode(message, protector);
        IkeTarget.Inspect(result);
        if (result.Success && !result.Message!.WasProtected)
        {
            throw new InvalidOperationException("a message sealed in an SK payload decoded as unprotected");
        }
    }

    public IEnumerable<(string Name, byte[] Data)> Seeds() => IkeSeeds.InnerChains();

    /// <summary>header | SK generic header | IV | plaintext (padded with zeros to the block size) | ICV, sealed.</summary>
    internal static byte[]? Seal(PacketProtector protector, PayloadType first, ReadOnlySpan<byte> plaintext)
    {
        int payloadLength = (plaintext.Length + protector.BlockSize - 1) / protector.BlockSize * protector.BlockSize;
        int skLength = GenericHeaderLength + protector.IvSize + payloadLength + protector.IcvSize;
        if (payloadLength == 0 || skLength > ushort.MaxValue)
        {
            return null;
        }

        var message = new byte[IkeHeader.Size + skLength];
        var header = new IkeHeader(0x0102030405060708, 0x1112131415161718, PayloadType.Encrypted, ExchangeType.IkeAuth, IkeFlags.Initiator, 1, (uint)message.Length);
        header.Write(message);
        message[IkeHeader.Size] = (byte)first;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(IkeHeader.Size + 2), (ushort)skLength);
        plaintext.CopyTo(message.AsSpan(AadLength + protector.IvSize));
        protector.Seal(message, AadLength, payloadLength);
        return message;
    }

    internal static byte[] Key(int length, byte value) => Enumerable.Repeat(value, length).ToArray();
}
