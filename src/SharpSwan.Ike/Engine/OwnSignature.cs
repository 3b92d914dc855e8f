using System.Security.Cryptography;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Ike.Engine;

/// <summary>
/// Our signature, to be made on any thread: IKEv2's IKE_AUTH over the octets RFC 7296 §2.15 names (RFC 7427 Digital
/// Signature), or IKEv1's SIG over HASH_I/HASH_R itself (RFC 2409 §5.1, <see cref="OverDigest"/>). The credential is held
/// for the work (a reload does not dispose it under it), the signed bytes are wiped and the credential let go once it is
/// done. ECDSA (RFC 6979) and RSA PKCS#1 v1.5 signatures draw no randomness, so where it runs changes no byte.
/// </summary>
internal sealed class OwnSignature
{
    private readonly LocalCredential _credential;
    private readonly CredentialGeneration _generation;
    private readonly byte[] _signed;

    // Null: an IKEv1 signature over a ready digest; else the hashes the IKEv2 peer announced for RFC 7427.
    private readonly IReadOnlyList<SignatureHash>? _peerHashes;

    private OwnSignature(LocalCredential credential, CredentialGeneration generation, byte[] signed, IReadOnlyList<SignatureHash>? peerHashes)
    {
        _credential = credential;
        _generation = generation;
        _signed = signed;
        _peerHashes = peerHashes;
    }

    /// <summary>IKEv2: RFC 7427 AUTH data over <paramref name="octets"/>, with a hash the peer announced.</summary>
    public static OwnSignature OverOctets(LocalCredential credential, CredentialGeneration generation, byte[] octets, IReadOnlyList<SignatureHash> peerHashes) =>
        new(credential, generation, octets, peerHashes);

    /// <summary>IKEv1: a SIG over <paramref name="digest"/> (HASH_I or HASH_R) itself.</summary>
    public static OwnSignature OverDigest(LocalCredential credential, CredentialGeneration generation, byte[] digest) =>
        new(credential, generation, digest, null);

    /// <summary>The AUTH payload's data (IKEv2) or the SIG payload's (IKEv1); null until signed, or when signing failed (<see cref="Error"/>).</summary>
    public byte[]? AuthData { get; private set; }

    /// <summary>Why there is no signature (also when the work failed on its worker and the host completed it all the same).</summary>
    public string Error { get; private set; } = "our signature could not be made";

    public void Sign()
    {
        try
        {
            AuthData = _peerHashes is null ? _credential.SignDigest(_signed) : _credential.SignAuthData(_signed, _peerHashes);
        }
        catch (CryptographicException e)
        {
            Error = $"our signature could not be made with certificate {_credential}: {e.Message}";
        }
    }

    /// <summary>Wipes the signed bytes and lets the credential go; once, signed or not.</summary>
    public void Release()
    {
        CryptographicOperations.ZeroMemory(_signed);
        _generation.Release();
    }
}
