namespace SharpSwan.Crypto.Certificates;

/// <summary>The signature families RFC 7427 AUTH data may name.</summary>
internal enum SignatureScheme
{
    RsaPkcs1,
    RsaPss,
    Ecdsa,
}
