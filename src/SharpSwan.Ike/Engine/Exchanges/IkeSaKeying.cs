using SharpSwan.Crypto;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Keys and message protection for an IKE SA, whether they came from IKE_SA_INIT or from a rekey.</summary>
internal static class IkeSaKeying
{
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
