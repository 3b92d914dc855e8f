using System.Buffers.Binary;
using System.Security.Cryptography;
using SharpSwan.Crypto;

namespace SharpSwan.Ike.V1.Keys;

/// <summary>
/// The ISAKMP SA keying material of RFC 2409 §5: SKEYID (PSK or signature form), SKEYID_d/_a/_e and the cipher key
/// expanded from SKEYID_e by Appendix B. Keys are never printed and are wiped by <see cref="Dispose"/>.
/// </summary>
public sealed class IsakmpSaKeys : IDisposable
{
    private IsakmpSaKeys(Phase1HashAlgorithm hash, byte[] skeyid, byte[] d, byte[] a, byte[] e, byte[] encryptionKey)
    {
        Hash = hash;
        Prf = Phase1Hash.PrfOf(hash);
        AuthPrf = Prf;
        Skeyid = skeyid;
        SkeyidD = d;
        SkeyidA = a;
        SkeyidE = e;
        EncryptionKey = encryptionKey;
    }

    public Phase1HashAlgorithm Hash { get; }

    public Prf Prf { get; }

    /// <summary>The prf of HASH_I/HASH_R: the negotiated one, except for ECDSA signatures (see <see cref="DeriveSignature"/>).</summary>
    public Prf AuthPrf { get; private init; }

    public byte[] Skeyid { get; }

    /// <summary>Keys the quick-mode KEYMAT.</summary>
    public byte[] SkeyidD { get; }

    /// <summary>Keys HASH_I/HASH_R's successors: quick-mode and informational hashes.</summary>
    public byte[] SkeyidA { get; }

    public byte[] SkeyidE { get; }

    /// <summary>The phase-1 cipher key, <c>encryptionKeyLength</c> octets of SKEYID_e or its Appendix B expansion.</summary>
    public byte[] EncryptionKey { get; }

    /// <summary>Pre-shared key authentication: SKEYID = prf(pre-shared-key, Ni_b | Nr_b).</summary>
    public static IsakmpSaKeys DerivePsk(Phase1HashAlgorithm hash, ReadOnlySpan<byte> preSharedKey, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR,
        ReadOnlySpan<byte> sharedSecret, ulong cookieI, ulong cookieR, int encryptionKeyLength)
    {
        var skeyid = Phase1Hash.PrfOf(hash).Compute(preSharedKey, Concat(nonceI, nonceR));
        return DeriveFromSkeyid(hash, skeyid, sharedSecret, cookieI, cookieR, encryptionKeyLength);
    }

    /// <summary>
    /// Signature authentication: SKEYID = prf(Ni_b | Nr_b, g^xy). With <paramref name="authHash"/> (an ECDSA method's own
    /// hash) HASH_I/HASH_R use that hash's HMAC keyed with SKEYID, so the signed value has the size the curve expects.
    /// </summary>
    public static IsakmpSaKeys DeriveSignature(Phase1HashAlgorithm hash, ReadOnlySpan<byte> nonceI, ReadOnlySpan<byte> nonceR,
        ReadOnlySpan<byte> sharedSecret, ulong cookieI, ulong cookieR, int encryptionKeyLength, Phase1HashAlgorithm authHash = Phase1HashAlgorithm.None)
    {
        var skeyid = Phase1Hash.PrfOf(hash).Compute(Concat(nonceI, nonceR), sharedSecret);
        var keys = DeriveFromSkeyid(hash, skeyid, sharedSecret, cookieI, cookieR, encryptionKeyLength);
        return authHash == Phase1HashAlgorithm.None ? keys : keys.WithAuthPrf(Phase1Hash.PrfOf(authHash));
    }

    private IsakmpSaKeys WithAuthPrf(Prf authPrf) => new(Hash, Skeyid, SkeyidD, SkeyidA, SkeyidE, EncryptionKey) { AuthPrf = authPrf };

    private static IsakmpSaKeys DeriveFromSkeyid(Phase1HashAlgorithm hash, byte[] skeyid, ReadOnlySpan<byte> sharedSecret, ulong cookieI, ulong cookieR, int encryptionKeyLength)
    {
        var prf = Phase1Hash.PrfOf(hash);
        Span<byte> cookies = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(cookies, cookieI);
        BinaryPrimitives.WriteUInt64BigEndian(cookies[8..], cookieR);

        // SKEYID_d = prf(SKEYID, g^xy | CKY-I | CKY-R | 0); _a and _e chain the previous key in front.
        var d = prf.Compute(skeyid, Concat([], sharedSecret, cookies, [0]));
        var a = prf.Compute(skeyid, Concat(d, sharedSecret, cookies, [1]));
        var e = prf.Compute(skeyid, Concat(a, sharedSecret, cookies, [2]));
        return new IsakmpSaKeys(hash, skeyid, d, a, e, ExpandCipherKey(prf, e, encryptionKeyLength));
    }

    /// <summary>
    /// RFC 2409 Appendix B: SKEYID_e itself when long enough, else K1 | K2 | ... with K1 = prf(SKEYID_e, 0) and
    /// Kn = prf(SKEYID_e, Kn-1), truncated to the key length.
    /// </summary>
    public static byte[] ExpandCipherKey(Prf prf, ReadOnlySpan<byte> skeyidE, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        if (skeyidE.Length >= length)
        {
            return skeyidE[..length].ToArray();
        }

        var key = new byte[length];
        byte[] block = prf.Compute(skeyidE, [0]);
        int written = 0;
        while (true)
        {
            int take = Math.Min(block.Length, length - written);
            block.AsSpan(0, take).CopyTo(key.AsSpan(written));
            written += take;
            if (written == length)
            {
                CryptographicOperations.ZeroMemory(block);
                return key;
            }

            var next = prf.Compute(skeyidE, block);
            CryptographicOperations.ZeroMemory(block);
            block = next;
        }
    }

    /// <summary>HASH_I = prf(SKEYID, g^xi | g^xr | CKY-I | CKY-R | SAi_b | IDii_b) (RFC 2409 §5).</summary>
    public byte[] HashInitiator(ReadOnlySpan<byte> publicI, ReadOnlySpan<byte> publicR, ulong cookieI, ulong cookieR, ReadOnlySpan<byte> saBody, ReadOnlySpan<byte> idBody) =>
        AuthPrf.Compute(Skeyid, Concat(publicI, publicR, Cookies(cookieI, cookieR), saBody, idBody));

    /// <summary>HASH_R = prf(SKEYID, g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b): the roles of both halves swap.</summary>
    public byte[] HashResponder(ReadOnlySpan<byte> publicI, ReadOnlySpan<byte> publicR, ulong cookieI, ulong cookieR, ReadOnlySpan<byte> saBody, ReadOnlySpan<byte> idBody) =>
        AuthPrf.Compute(Skeyid, Concat(publicR, publicI, Cookies(cookieR, cookieI), saBody, idBody));

    private static byte[] Cookies(ulong first, ulong second)
    {
        var octets = new byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(octets, first);
        BinaryPrimitives.WriteUInt64BigEndian(octets.AsSpan(8), second);
        return octets;
    }

    internal static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c = default, ReadOnlySpan<byte> d = default, ReadOnlySpan<byte> e = default)
    {
        var all = new byte[a.Length + b.Length + c.Length + d.Length + e.Length];
        int offset = 0;
        a.CopyTo(all);
        b.CopyTo(all.AsSpan(offset += a.Length));
        c.CopyTo(all.AsSpan(offset += b.Length));
        d.CopyTo(all.AsSpan(offset += c.Length));
        e.CopyTo(all.AsSpan(offset + d.Length));
        return all;
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(Skeyid);
        CryptographicOperations.ZeroMemory(SkeyidD);
        CryptographicOperations.ZeroMemory(SkeyidA);
        CryptographicOperations.ZeroMemory(SkeyidE);
        CryptographicOperations.ZeroMemory(EncryptionKey);
    }

    public override string ToString() => $"IsakmpSaKeys({Hash}, hidden)";
}
