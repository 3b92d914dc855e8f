namespace SharpSwan.Crypto.Certificates;

/// <summary>A certificate and its unencrypted PKCS#8 private key, both PEM ("CERTIFICATE", "PRIVATE KEY").</summary>
public sealed record IssuedCertificate(string CertificatePem, string PrivateKeyPem)
{
    // The private key is a secret: keep it out of logs and test output.
    public override string ToString() => $"IssuedCertificate {{ CertificatePem = {CertificatePem.Length} chars, PrivateKeyPem = (hidden) }}";
}
