using System.Security.Cryptography.X509Certificates;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Crypto.Tests.Certificates;

/// <summary>Certificates made once per test run (RSA key generation is slow) and helpers to load them.</summary>
internal static class TestPki
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<IssuedCertificate> LazyEcdsaCa = new(() =>
        CertificateFactory.CreateAuthority("CN=Lab Root CA, O=Lab", CertificateKeyAlgorithm.EcdsaP256, Now.AddYears(-2), Now.AddYears(8)));

    private static readonly Lazy<IssuedCertificate> LazyRsaCa = new(() =>
        CertificateFactory.CreateAuthority("CN=Lab RSA CA, O=Lab", CertificateKeyAlgorithm.Rsa2048, Now.AddYears(-2), Now.AddYears(8)));

    private static readonly Lazy<IssuedCertificate> LazyRsaLeaf = new(() => Leaf(CertificateKeyAlgorithm.Rsa2048, "CN=rsa-client, O=Lab"));

    private static readonly Lazy<IssuedCertificate> LazyP256Leaf = new(() => Leaf(CertificateKeyAlgorithm.EcdsaP256, "CN=client1, O=Lab"));

    private static readonly Lazy<IssuedCertificate> LazyP384Leaf = new(() => Leaf(CertificateKeyAlgorithm.EcdsaP384, "CN=p384-client, O=Lab"));

    public static IssuedCertificate EcdsaCa => LazyEcdsaCa.Value;

    public static IssuedCertificate RsaCa => LazyRsaCa.Value;

    public static IssuedCertificate RsaLeaf => LazyRsaLeaf.Value;

    public static IssuedCertificate P256Leaf => LazyP256Leaf.Value;

    public static IssuedCertificate P384Leaf => LazyP384Leaf.Value;

    public static IssuedCertificate LeafFor(CertificateKeyAlgorithm algorithm) => algorithm switch
    {
        CertificateKeyAlgorithm.Rsa2048 => RsaLeaf,
        CertificateKeyAlgorithm.EcdsaP256 => P256Leaf,
        CertificateKeyAlgorithm.EcdsaP384 => P384Leaf,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static IssuedCertificate Leaf(CertificateKeyAlgorithm algorithm, string subject, params string[] altNames) =>
        CertificateFactory.Issue(EcdsaCa, subject, altNames.Length == 0 ? ["dns:client1.example", "email:user@lab", "ip:192.0.2.7"] : altNames,
            algorithm, Now.AddDays(-30), Now.AddDays(335));

    public static LocalCredential Credential(IssuedCertificate issued)
    {
        Assert.True(LocalCredential.TryFromPem(issued.CertificatePem, issued.PrivateKeyPem, null, out var credential, out var error), error);
        return credential!;
    }

    public static X509Certificate2 Certificate(IssuedCertificate issued) => X509Certificate2.CreateFromPem(issued.CertificatePem);

    public static TrustStore Store(params IssuedCertificate[] authorities)
    {
        Assert.True(TrustStore.TryFromPem(authorities.Select(a => a.CertificatePem), out var store, out var error), error);
        return store!;
    }
}
