using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The dial-up tests' PKI, made with the project's own <see cref="CertificateFactory"/>: a lab CA with the hub's
/// certificate (ECDSA P-256, hub.lab), an ECDSA P-256 client (client2.lab) and an RSA-2048 client (client3.lab);
/// and a second CA nobody trusts with a client of its own (intruder.lab). Created once per test run: the
/// scenarios only read it. Valid from an hour ago for two days.
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
        DateTimeOffset notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        DateTimeOffset notAfter = DateTimeOffset.UtcNow.AddDays(2);
        IssuedCertificate authority = CertificateFactory.CreateAuthority(
            "CN=SharpSwan Lab CA, O=Lab", CertificateKeyAlgorithm.EcdsaP256, notBefore, notAfter.AddDays(1));
        IssuedCertificate untrustedAuthority = CertificateFactory.CreateAuthority(
            "CN=Elsewhere CA, O=Elsewhere", CertificateKeyAlgorithm.EcdsaP256, notBefore, notAfter.AddDays(1));
        return new LabCertificates(
            authority,
            Issue(authority, HubId, CertificateKeyAlgorithm.EcdsaP256),
            Issue(authority, EcdsaClientId, CertificateKeyAlgorithm.EcdsaP256),
            Issue(authority, RsaClientId, CertificateKeyAlgorithm.Rsa2048),
            untrustedAuthority,
            Issue(untrustedAuthority, UntrustedClientId, CertificateKeyAlgorithm.EcdsaP256));

        IssuedCertificate Issue(IssuedCertificate issuer, string name, CertificateKeyAlgorithm algorithm) =>
            CertificateFactory.Issue(issuer, $"CN={name}, O=Lab", [$"dns:{name}"], algorithm, notBefore, notAfter);
    }
}
