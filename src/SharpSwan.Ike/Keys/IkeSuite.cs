using SharpSwan.Crypto;

namespace SharpSwan.Ike.Keys;

/// <summary>The transforms chosen for an IKE SA.</summary>
public sealed record IkeSuite(EncryptionAlgorithm Encryption, int KeyBits, IntegrityAlgorithm Integrity, PseudoRandomFunction Prf, DiffieHellmanGroup Group)
{
    /// <summary>FortiOS-style name, e.g. aes256gcm-prfsha384 or aes128-sha256.</summary>
    public string DisplayName => SuiteNames.Ike(Encryption, KeyBits, Integrity, Prf);
}
