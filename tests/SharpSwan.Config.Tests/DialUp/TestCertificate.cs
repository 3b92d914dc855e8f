using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Config.Tests.DialUp;

/// <summary>
/// A lab certificate and its key as the parser tests paste them between quotes: trimmed (the closing quote right after the
/// END line, as FortiOS prints them), with the key also encrypted under <see cref="TestPki.KeyPassword"/>.
/// </summary>
internal sealed record TestCertificate(IssuedCertificate Issued, string EncryptedPrivateKeyPem)
{
    public string CertificatePem => Issued.CertificatePem.Trim();

    public string PrivateKeyPem => Issued.PrivateKeyPem.Trim();
}
