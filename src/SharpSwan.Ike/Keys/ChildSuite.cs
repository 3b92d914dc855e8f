using SharpSwan.Crypto;

namespace SharpSwan.Ike.Keys;

/// <summary>The transforms chosen for a child (ESP) SA; Group is None without PFS.</summary>
public sealed record ChildSuite(EncryptionAlgorithm Encryption, int KeyBits, IntegrityAlgorithm Integrity, DiffieHellmanGroup Group, bool ExtendedSequenceNumbers = false)
{
    public string DisplayName => SuiteNames.Esp(Encryption, KeyBits, Integrity);
}
