using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpSwan.Crypto.Certificates;

/// <summary>
/// Our own certificate and private key (`config vpn certificate local`), able to produce RFC 7427 AUTH data.
/// The key never appears in <see cref="ToString"/>.
/// </summary>
public sealed class LocalCredential : IDisposable
{
    // Preference when signing: strongest first.
    private static readonly SignatureHash[] StrongestFirst = [SignatureHash.Sha512, SignatureHash.Sha384, SignatureHash.Sha256];

    private readonly RSA? _rsa;
    private readonly ECDsa? _ecdsa;

    private LocalCredential(X509Certificate2 certificate, IReadOnlyList<byte[]> chainDer, RSA? rsa, ECDsa? ecdsa, string keyDescription)
    {
        Certificate = certificate;
        CertificateDer = certificate.RawData;
        ChainDer = chainDer;
        _rsa = rsa;
        _ecdsa = ecdsa;
        KeyDescription = keyDescription;
    }

    /// <summary>The certificate, with its private key attached.</summary>
    public X509Certificate2 Certificate { get; }

    public byte[] CertificateDer { get; }

    /// <summary>Further certificates found after the leaf in the certificate PEM (intermediates to send along).</summary>
    public IReadOnlyList<byte[]> ChainDer { get; }

    /// <summary>"ECDSA P-256", "RSA 2048", ...</summary>
    public string KeyDescription { get; }

    /// <summary>
    /// Loads a certificate PEM (leaf first, then optional intermediates) and its private key PEM: PKCS#8 "PRIVATE KEY",
    /// "ENCRYPTED PRIVATE KEY" (needs <paramref name="password"/>), "RSA PRIVATE KEY" or "EC PRIVATE KEY". Never throws.
    /// </summary>
    public static bool TryFromPem(string certificatePem, string privateKeyPem, string? password, out LocalCredential? credential, out string error)
    {
        credential = null;
        if (string.IsNullOrWhiteSpace(certificatePem))
        {
            error = "the certificate PEM is empty";
            return false;
        }

        if (string.IsNullOrWhiteSpace(privateKeyPem))
        {
            error = "the private key PEM is empty";
            return false;
        }

        var certificates = new List<X509Certificate2>();
        try
        {
            if (!PemCertificates.TryRead(certificatePem, certificates, out var reason))
            {
                error = $"certificate: {reason}";
                return false;
            }

            var leaf = certificates[0];
            var chainDer = certificates.Skip(1).Select(c => c.RawData).ToList();
            return leaf.GetKeyAlgorithm() switch
            {
                "1.2.840.113549.1.1.1" => TryLoadRsa(leaf, chainDer, privateKeyPem, password, out credential, out error),
                "1.2.840.10045.2.1" => TryLoadEcdsa(leaf, chainDer, privateKeyPem, password, out credential, out error),
                var other => Fail($"certificate {CertificateIdentity.DescribeName(leaf.SubjectName)} has a key of type {other}; only RSA and ECDSA are supported", out credential, out error),
            };
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }

    /// <summary>
    /// RFC 7427 §3 AUTH data over <paramref name="signedOctets"/>: RSA signs PKCS#1 v1.5 with the strongest hash both
    /// sides support; ECDSA prefers the hash matching its curve (as strongSwan does) when the peer supports it.
    /// SHA-256 when the peer announced none.
    /// </summary>
    public byte[] SignAuthData(ReadOnlySpan<byte> signedOctets, IReadOnlyCollection<SignatureHash> peerHashes)
    {
        ArgumentNullException.ThrowIfNull(peerHashes);
        if (_ecdsa is not null)
        {
            var hash = ChooseEcdsaHash(peerHashes);
            var algorithm = new SignatureAlgorithm(SignatureScheme.Ecdsa, hash);
            // RFC 6979: no random k, so the same octets always sign to the same AUTH payload.
            var signature = DeterministicEcdsa.Sign(_ecdsa, signedOctets, hash);
            return DigitalSignatureAuth.BuildAuthData(algorithm, signature);
        }

        var rsaAlgorithm = new SignatureAlgorithm(SignatureScheme.RsaPkcs1, ChooseStrongest(peerHashes));
        var rsaSignature = _rsa!.SignData(signedOctets, rsaAlgorithm.HashName, RSASignaturePadding.Pkcs1);
        return DigitalSignatureAuth.BuildAuthData(rsaAlgorithm, rsaSignature);
    }

    /// <summary>The key's type and size: ECDSA keys' bits name their curve (256, 384, 521).</summary>
    public (bool IsEcdsa, int KeySize) Key => _ecdsa is not null ? (true, _ecdsa.KeySize) : (false, _rsa!.KeySize);

    /// <summary>An IKEv1 signature (RFC 2409 §5.1) over <paramref name="digest"/> (HASH_I or HASH_R) itself; see <see cref="DigestSignature"/>.</summary>
    public byte[] SignDigest(ReadOnlySpan<byte> digest) =>
        _ecdsa is not null ? DeterministicEcdsa.SignDigestFixed(_ecdsa, digest) : DigestSignature.SignRsa(_rsa!, digest);

    public override string ToString() => $"{CertificateIdentity.DescribeName(Certificate.SubjectName)} ({KeyDescription})";

    public void Dispose()
    {
        Certificate.Dispose();
        _rsa?.Dispose();
        _ecdsa?.Dispose();
    }

    private static SignatureHash ChooseStrongest(IReadOnlyCollection<SignatureHash> peerHashes) =>
        StrongestFirst.FirstOrDefault(peerHashes.Contains, SignatureHash.Sha256);

    private SignatureHash ChooseEcdsaHash(IReadOnlyCollection<SignatureHash> peerHashes)
    {
        var matching = _ecdsa!.KeySize switch
        {
            <= 256 => SignatureHash.Sha256,
            <= 384 => SignatureHash.Sha384,
            _ => SignatureHash.Sha512,
        };
        return peerHashes.Contains(matching) ? matching : ChooseStrongest(peerHashes);
    }

    private static bool TryLoadRsa(X509Certificate2 leaf, List<byte[]> chainDer, string keyPem, string? password, out LocalCredential? credential, out string error)
    {
        var rsa = RSA.Create();
        if (!TryImportKey(rsa, keyPem, password, "RSA PRIVATE KEY", der => rsa.ImportRSAPrivateKey(der, out _), out error)
            || !TryAttach(leaf, () => leaf.CopyWithPrivateKey(rsa), out var withKey, out error))
        {
            rsa.Dispose();
            credential = null;
            return false;
        }

        credential = new LocalCredential(withKey!, chainDer, rsa, null, $"RSA {rsa.KeySize}");
        return true;
    }

    private static bool TryLoadEcdsa(X509Certificate2 leaf, List<byte[]> chainDer, string keyPem, string? password, out LocalCredential? credential, out string error)
    {
        var ecdsa = ECDsa.Create();
        if (!TryImportKey(ecdsa, keyPem, password, "EC PRIVATE KEY", der => ecdsa.ImportECPrivateKey(der, out _), out error)
            || !TryAttach(leaf, () => leaf.CopyWithPrivateKey(ecdsa), out var withKey, out error))
        {
            ecdsa.Dispose();
            credential = null;
            return false;
        }

        var curve = ecdsa.ExportParameters(includePrivateParameters: false).Curve.Oid.Value switch
        {
            "1.2.840.10045.3.1.7" => "P-256",
            "1.3.132.0.34" => "P-384",
            "1.3.132.0.35" => "P-521",
            var other => other ?? $"{ecdsa.KeySize}-bit curve",
        };
        credential = new LocalCredential(withKey!, chainDer, null, ecdsa, $"ECDSA {curve}");
        return true;
    }

    private static bool TryImportKey(AsymmetricAlgorithm key, string keyPem, string? password, string legacyLabel, Action<byte[]> importLegacy, out string error)
    {
        var text = keyPem.AsSpan();
        while (PemEncoding.TryFind(text, out var fields))
        {
            var label = text[fields.Label].ToString();
            var der = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(text[fields.Base64Data], der, out _))
            {
                error = $"private key: the \"{label}\" block has invalid base64";
                return false;
            }

            try
            {
                switch (label)
                {
                    case "PRIVATE KEY":
                        key.ImportPkcs8PrivateKey(der, out _);
                        error = string.Empty;
                        return true;
                    case "ENCRYPTED PRIVATE KEY":
                        if (string.IsNullOrEmpty(password))
                        {
                            error = "private key: it is encrypted (ENCRYPTED PRIVATE KEY) but no password is set";
                            return false;
                        }

                        try
                        {
                            key.ImportEncryptedPkcs8PrivateKey(password, der, out _);
                        }
                        catch (CryptographicException)
                        {
                            error = "private key: it could not be decrypted with the configured password (wrong password, or not a key of the certificate's type)";
                            return false;
                        }

                        error = string.Empty;
                        return true;
                    default:
                        if (label == legacyLabel)
                        {
                            importLegacy(der);
                            error = string.Empty;
                            return true;
                        }

                        break;
                }
            }
            catch (CryptographicException)
            {
                var expected = key is RSA ? "RSA" : "ECDSA";
                error = $"private key: the \"{label}\" block is not a valid {expected} private key (the certificate's key is {expected})";
                return false;
            }

            text = text[fields.Location.End..];
        }

        var wanted = key is RSA ? "RSA" : "ECDSA";
        error = $"private key: no \"PRIVATE KEY\", \"ENCRYPTED PRIVATE KEY\" or \"{legacyLabel}\" block found for the certificate's {wanted} key";
        return false;
    }

    private static bool TryAttach(X509Certificate2 leaf, Func<X509Certificate2> attach, out X509Certificate2? withKey, out string error)
    {
        try
        {
            withKey = attach();
            error = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            withKey = null;
            error = $"the private key does not belong to certificate {CertificateIdentity.DescribeName(leaf.SubjectName)}";
            return false;
        }
    }

    private static bool Fail(string message, out LocalCredential? credential, out string error)
    {
        credential = null;
        error = message;
        return false;
    }
}
