using SharpSwan.Crypto.Certificates;
using SharpSwan.Testing;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The dial-up tests' PKI, made with the project's own <see cref="CertificateFactory"/> through <see cref="CertificateTables"/>: a lab CA with the hub's
/// certificate (ECDSA P-256, hub.lab), an ECDSA P-256 client (client2.lab) and an RSA-2048 client (client3.lab);
/// and a second CA nobody trusts with a client of its own (intruder.lab). Created once per test run: the
/// scenarios only read it. Validity as <see cref="CertificateTables"/> gives it (the leaves a year, the CAs five).
/// </summary>
public sealed class LabCertificates
{
    public const string HubId = "hub.lab";
    public const string EcdsaClientId = "client2.lab";
    public const string RsaClientId = "client3.lab";
    public const string UntrustedClientId = "intruder.lab";

    private static readonly Lazy<LabCertificates> LazyShared = new(Create);

    private LabCertificates(
        IssuedCertificate authority,
        IssuedCertificate hub,
        IssuedCertificate ecdsaClient,
        IssuedCertificate rsaClient,
        IssuedCertificate untrustedAuthority,
        IssuedCertificate untrustedClient)
    {
        Authority = authority;
        Hub = hub;
        EcdsaClient = ecdsaClient;
        RsaClient = rsaClient;
        UntrustedAuthority = untrustedAuthority;
        UntrustedClient = untrustedClient;
    }

    public static LabCertificates Shared => LazyShared.Value;

    public IssuedCertificate Authority { get; }

    public IssuedCertificate Hub { get; }

    public IssuedCertificate EcdsaClient { get; }

    public IssuedCertificate RsaClient { get; }

    public IssuedCertificate UntrustedAuthority { get; }

    public IssuedCertificate UntrustedClient { get; }

    private static LabCertificates Create()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        IssuedCertificate authority = CertificateTables.Authority("CN=SharpSwan Lab CA, O=Lab", now);
        IssuedCertificate untrustedAuthority = CertificateTables.Authority("CN=Elsewhere CA, O=Elsewhere", now);
        return new LabCertificates(
            authority,
            Issue(authority, HubId, CertificateKeyAlgorithm.EcdsaP256),
            Issue(authority, EcdsaClientId, CertificateKeyAlgorithm.EcdsaP256),
            Issue(authority, RsaClientId, CertificateKeyAlgorithm.Rsa2048),
            untrustedAuthority,
            Issue(untrustedAuthority, UntrustedClientId, CertificateKeyAlgorithm.EcdsaP256));

        IssuedCertificate Issue(IssuedCertificate issuer, string name, CertificateKeyAlgorithm algorithm) =>
            CertificateTables.Leaf(issuer, $"CN={name}, O=Lab", $"dns:{name}", algorithm, now);
    }
}
