using SharpSwan.Crypto;

namespace SharpSwan.Ike.Keys;

/// <summary>
/// The seven keys of an IKE SA (RFC 7296 §2.14), derived once and held only here.
/// </summary>
public sealed class IkeSaKeys
{
    private IkeSaKeys(byte[] skD, byte[] skAi, byte[] skAr, byte[] skEi, byte[] skEr, byte[] skPi, byte[] skPr)
    {
        SkD = skD;
        SkAi = skAi;
        SkAr = skAr;
        SkEi = skEi;
        SkEr = skEr;
        SkPi = skPi;
        SkPr = skPr;
    }

    public byte[] SkD { get; }

    public byte[] SkAi { get; private set; }

    public byte[] SkAr { get; private set; }

    public byte[] SkEi { get; private set; }

    public byte[] SkEr { get; private set; }

    public byte[] SkPi { get; private set; }

    public byte[] SkPr { get; private set; }

    /// <summary>
    /// SKEYSEED = prf(Ni | Nr, g^ir), or for an IKE SA rekey prf(SK_d(old), g^ir(new) | Ni | Nr);
    /// then {SK_d | SK_ai | SK_ar | SK_ei | SK_er | SK_pi | SK_pr} = prf+(SKEYSEED, Ni | Nr | SPIi | SPIr).
    /// </summary>
    public static IkeSaKeys Derive(
        IkeSuite suite,
        ReadOnlySpan<byte> sharedSecret,
        ReadOnlySpan<byte> nonceInitiator,
        ReadOnlySpan<byte> nonceResponder,
        ulong spiInitiator,
        ulong spiResponder,
        ReadOnlySpan<byte> previousSkD)
    {
        var prf = Prf.Create(suite.Prf);
        byte[] skeyseed;
        if (previousSkD.IsEmpty)
        {
            var nonces = Concat(nonceInitiator, nonceResponder);
            skeyseed = prf.Compute(nonces, sharedSecret);
        }
        else
        {
            var data = new byte[sharedSecret.Length + nonceInitiator.Length + nonceResponder.Length];
            sharedSecret.CopyTo(data);
            nonceInitiator.CopyTo(data.AsSpan(sharedSecret.Length));
            nonceResponder.CopyTo(data.AsSpan(sharedSecret.Length + nonceInitiator.Length));
            skeyseed = prf.Compute(previousSkD, data);
        }

        var seed = new byte[nonceInitiator.Length + nonceResponder.Length + 16];
        nonceInitiator.CopyTo(seed);
        nonceResponder.CopyTo(seed.AsSpan(nonceInitiator.Length));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(seed.AsSpan(nonceInitiator.Length + nonceResponder.Length), spiInitiator);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(seed.AsSpan(nonceInitiator.Length + nonceResponder.Length + 8), spiResponder);

        var prfSize = prf.OutputSize;
        var integSize = suite.Integrity == IntegrityAlgorithm.None ? 0 : PacketProtector.IntegrityKeyLength(suite.Integrity);
        var encSize = PacketProtector.EncryptionKeyMaterialLength(suite.Encryption, suite.KeyBits);
        var total = (3 * prfSize) + (2 * integSize) + (2 * encSize);
        var stream = prf.Expand(skeyseed, seed, total);
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(skeyseed);

        var offset = 0;
        byte[] Take(int length)
        {
            var part = stream.AsSpan(offset, length).ToArray();
            offset += length;
            return part;
        }

        var keys = new IkeSaKeys(Take(prfSize), Take(integSize), Take(integSize), Take(encSize), Take(encSize), Take(prfSize), Take(prfSize));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(stream);
        return keys;
    }

    private static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result);
        b.CopyTo(result.AsSpan(a.Length));
        return result;
    }

    /// <summary>Zeroes all seven keys: the IKE SA is gone (deleted, failed or rekeyed away) and nothing may derive from it again.</summary>
    public void Wipe()
    {
        foreach (var key in new[] { SkD, SkAi, SkAr, SkEi, SkEr, SkPi, SkPr })
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>
    /// Keeps only SK_d once the SA's ciphers are keyed and AUTH is done both ways: SK_e/SK_a live on inside the ciphers
    /// and SK_p only signs AUTH, so the copies here are zeroed and let go (issue 14: no per-SA data outlives setup).
    /// SK_d stays for the child SAs and the IKE SA rekey (RFC 7296 §2.17, §2.18).
    /// </summary>
    public void ForgetAllButSkD()
    {
        foreach (var key in new[] { SkAi, SkAr, SkEi, SkEr, SkPi, SkPr })
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(key);
        }

        (SkAi, SkAr, SkEi, SkEr, SkPi, SkPr) = ([], [], [], [], [], []);
    }

    public override string ToString() => "IkeSaKeys(hidden)";
}
