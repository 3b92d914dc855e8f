using System.Buffers.Binary;
using SharpSwan.Crypto;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>Small wire helpers several exchanges share: SPI bytes, group order, and the names the debug log prints.</summary>
internal static class WireText
{
    public static byte[] SpiBytes(uint spi)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, spi);
        return bytes;
    }

    /// <summary>The configured groups with <paramref name="first"/> moved to the front (the one our key exchange uses).</summary>
    public static IReadOnlyList<DiffieHellmanGroup> OrderedGroups(IReadOnlyList<DiffieHellmanGroup> groups, DiffieHellmanGroup first) =>
        [first, .. groups.Where(g => g != first)];

    /// <summary>The group a peer's INVALID_KE_PAYLOAD asks for (None when its data is malformed).</summary>
    public static DiffieHellmanGroup WantedGroup(NotifyPayload notify) =>
        notify.Data.Length == 2 ? (DiffieHellmanGroup)BinaryPrimitives.ReadUInt16BigEndian(notify.Data) : DiffieHellmanGroup.None;

    /// <summary>An INVALID_KE_PAYLOAD asking the peer for <paramref name="group"/>.</summary>
    public static NotifyPayload InvalidKe(DiffieHellmanGroup group)
    {
        var data = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)group);
        return new NotifyPayload(ProtocolId.None, [], NotifyType.InvalidKePayload, data);
    }

    /// <summary>An error notify with no SPI and no data.</summary>
    public static NotifyPayload Error(NotifyType type) => new(ProtocolId.None, [], type, []);

    public static string NotifyName(NotifyType type) => type switch
    {
        NotifyType.NoProposalChosen => "NO_PROPOSAL_CHOSEN",
        NotifyType.AuthenticationFailed => "AUTHENTICATION_FAILED",
        NotifyType.TsUnacceptable => "TS_UNACCEPTABLE",
        NotifyType.InvalidKePayload => "INVALID_KE_PAYLOAD",
        NotifyType.TemporaryFailure => "TEMPORARY_FAILURE",
        NotifyType.ChildSaNotFound => "CHILD_SA_NOT_FOUND",
        NotifyType.InvalidSyntax => "INVALID_SYNTAX",
        NotifyType.SinglePairRequired => "SINGLE_PAIR_REQUIRED",
        NotifyType.InternalAddressFailure => "INTERNAL_ADDRESS_FAILURE",
        NotifyType.FailedCpRequired => "FAILED_CP_REQUIRED",
        NotifyType.UnsupportedCriticalPayload => "UNSUPPORTED_CRITICAL_PAYLOAD",
        _ => ((ushort)type).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static string ExchangeName(ExchangeType exchange) => exchange switch
    {
        ExchangeType.IkeSaInit => "SA_INIT",
        ExchangeType.IkeAuth => "AUTH",
        ExchangeType.CreateChildSa => "CREATE_CHILD",
        ExchangeType.Informational => "INFORMATIONAL",
        _ => ((byte)exchange).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
