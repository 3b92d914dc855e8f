using System.Security.Cryptography;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Our IKE_AUTH signature over the octets RFC 7296 §2.15 names (RFC 7427 Digital Signature), to be made on any thread: the
/// credential is held for the work (a reload does not dispose it under it), the octets are wiped and the credential let
/// go once it is done. ECDSA (RFC 6979) and RSA PKCS#1 v1.5 signatures draw no randomness, so where it runs changes no byte.
/// </summary>
internal sealed class OwnSignature(LocalCredential credential, CredentialGeneration generation, byte[] octets, IReadOnlyList<SignatureHash> peerHashes)
{
    /// <summary>The AUTH payload's data; null until signed, or when signing failed (<see cref="Error"/>).</summary>
    public byte[]? AuthData { get; private set; }

    /// <summary>Why there is no signature (also when the work failed on its worker and the host completed it all the same).</summary>
    public string Error { get; private set; } = "our signature could not be made";

    public void Sign()
    {
        try
        {
            AuthData = credential.SignAuthData(octets, peerHashes);
        }
        catch (CryptographicException e)
        {
            Error = $"our signature could not be made with certificate {credential}: {e.Message}";
        }
    }

    /// <summary>Wipes the octets and lets the credential go; once, signed or not.</summary>
    public void Release()
    {
        CryptographicOperations.ZeroMemory(octets);
        generation.Release();
    }
}
