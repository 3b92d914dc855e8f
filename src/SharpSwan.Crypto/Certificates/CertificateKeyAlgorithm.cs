namespace SharpSwan.Crypto.Certificates;

/// <summary>Key types <see cref="CertificateFactory"/> can generate.</summary>
public enum CertificateKeyAlgorithm
{
    EcdsaP256,
    EcdsaP384,
    Rsa2048,
    Rsa3072,
}
