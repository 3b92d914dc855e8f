using System.Net;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Crypto.Certificates;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Ike.Engine.Exchanges;

/// <summary>IKE identities as pure functions: ours from the phase 1, whether the peer's is the one configured, and how to print one.</summary>
internal static class IkeIdentities
{
    /// <summary>Our ID payload from <c>localid</c>/<c>localid-type</c>, or our address when no local ID is set.</summary>
    public static IdentificationPayload Local(TunnelRuntime tunnel, IPAddress localAddress, bool isInitiator)
    {
        var settings = tunnel.Settings;
        if (string.IsNullOrEmpty(settings.LocalId))
        {
            return new IdentificationPayload(isInitiator, IdType.Ipv4Address, localAddress.GetAddressBytes());
        }

        var value = settings.LocalId;

        // The configuration checker refuses a localid of type asn1dn that is not a DN.
        if (settings.LocalIdType == LocalIdType.Asn1Dn && CertificateIdentity.TryEncodeName(value, out var name))
        {
            return new IdentificationPayload(isInitiator, IdType.DerAsn1Dn, name);
        }

        var type = settings.LocalIdType switch
        {
            LocalIdType.Fqdn => IdType.Fqdn,
            LocalIdType.UserFqdn => IdType.Rfc822Address,
            LocalIdType.KeyId => IdType.KeyId,
            LocalIdType.Address => IdType.Ipv4Address,
            _ => IPAddress.TryParse(value, out _) ? IdType.Ipv4Address : value.Contains('@', StringComparison.Ordinal) ? IdType.Rfc822Address : IdType.Fqdn,
        };
        var data = type == IdType.Ipv4Address && IPAddress.TryParse(value, out var address) ? address.GetAddressBytes() : Encoding.UTF8.GetBytes(value);
        return new IdentificationPayload(isInitiator, type, data);
    }

    /// <summary>Whether the phase 1 checks the peer's ID against <c>peerid</c> (<see cref="PeerAccepted"/>); else it accepts any ID.</summary>
    public static bool ChecksPeerId(Phase1Settings settings) =>
        !string.IsNullOrEmpty(settings.PeerId) && settings.PeerType is PeerType.One or PeerType.Peer or PeerType.Any;

    /// <summary>Whether the peer's ID is the one <c>peerid</c> asks for (always, when no peer ID is configured).</summary>
    public static bool PeerAccepted(Phase1Settings settings, IdentificationPayload id, out string identity)
    {
        identity = Describe(id);
        if (!ChecksPeerId(settings) || settings.PeerId is not { } peerId)
        {
            return true;
        }

        if (Kind(id.IdType) is { } kind)
        {
            return CertificateIdentity.MatchesConfigured(peerId, kind, id.Data);
        }

        return string.Equals(peerId, identity, StringComparison.OrdinalIgnoreCase);
    }

    public static string Describe(IdentificationPayload id) => id.IdType switch
    {
        IdType.Ipv4Address or IdType.Ipv6Address when id.Data.Length is 4 or 16 => new IPAddress(id.Data).ToString(),
        IdType.Fqdn or IdType.Rfc822Address or IdType.KeyId => Printable(id.Data),
        IdType.DerAsn1Dn => DescribeForCertificate(id),
        _ => $"type {(int)id.IdType}, {id.Data.Length} bytes",
    };

    /// <summary>The kind of certificate name an ID type is matched against; null for types a certificate cannot carry.</summary>
    public static CertificateIdentityKind? Kind(IdType type) => type switch
    {
        IdType.Ipv4Address => CertificateIdentityKind.Ipv4Address,
        IdType.Fqdn => CertificateIdentityKind.Fqdn,
        IdType.Rfc822Address => CertificateIdentityKind.Email,
        IdType.DerAsn1Dn => CertificateIdentityKind.DistinguishedName,
        _ => null,
    };

    public static string DescribeForCertificate(IdentificationPayload id) =>
        Kind(id.IdType) is { } kind ? CertificateIdentity.Describe(kind, id.Data) : $"type {(int)id.IdType}, {id.Data.Length} bytes";

    private static string Printable(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        return text.All(c => c >= ' ' && c < 127) ? text : Convert.ToHexString(data);
    }
}
