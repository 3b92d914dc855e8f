using System.Security.Cryptography;
using SharpSwan.Crypto;
using SharpSwan.Ike.Keys;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Keys and message protection for an IKE SA, from IKE_SA_INIT or from a rekey.</summary>
internal static class IkeSaKeying
{
    /// <summary>Derives a new IKE SA's keys from IKE_SA_INIT (no SK_d before it) and sets up its protection; the secret is wiped.</summary>
    public static void Establish(IkeSa sa, IkeSuite suite, byte[] secret, IRandomSource random)
    {
        sa.Suite = suite;
        sa.Keys = IkeSaKeys.Derive(suite, secret, sa.NonceInitiator, sa.NonceResponder, sa.InitiatorSpi, sa.ResponderSpi, []);
        CryptographicOperations.ZeroMemory(secret);
        CreateProtectors(sa, random);
    }

    /// <summary>The SA's inbound and outbound protection, from its keys and its role.</summary>
    public static void CreateProtectors(IkeSa sa, IRandomSource random)
    {
        var suite = sa.Suite!;
        var keys = sa.Keys!;
        var initiatorToResponder = PacketProtector.Create(suite.Encryption, suite.KeyBits, suite.Integrity, keys.SkEi, keys.SkAi, random);
        var responderToInitiator = PacketProtector.Create(suite.Encryption, suite.KeyBits, suite.Integrity, keys.SkEr, keys.SkAr, random);
        sa.Outbound = sa.IsOriginalInitiator ? initiatorToResponder : responderToInitiator;
        sa.Inbound = sa.IsOriginalInitiator ? responderToInitiator : initiatorToResponder;
    }
}
