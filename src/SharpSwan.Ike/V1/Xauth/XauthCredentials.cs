using System.Security.Cryptography;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Xauth;

/// <summary>
/// The XAUTH server's side of draft-beaulieu-ike-xauth with local users: what it asks for (generic type, user name and
/// password) and the check of the client's REPLY against <c>config user local</c> members of the phase 1's
/// <c>authusrgrp</c>. Passwords are compared as SHA-256 digests in constant time, so neither their length nor the first
/// differing octet shows in the time taken, and an unknown user costs the same comparison as a known one.
/// </summary>
internal static class XauthCredentials
{
    /// <summary>XAUTH_TYPE generic (0): the client answers the user name and password asked for.</summary>
    public const ushort TypeGeneric = 0;

    public const ushort StatusFail = 0;
    public const ushort StatusOk = 1;

    private static readonly byte[] NoUserDigest = SHA256.HashData("\0no such user\0"u8);

    /// <summary>The attributes of our XAUTH REQUEST: the type, and an empty user name and password to be filled in.</summary>
    public static IReadOnlyList<DataAttribute> RequestAttributes() =>
    [
        DataAttribute.Basic((ushort)ModeConfigAttributeType.XauthType, TypeGeneric),
        DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserName, []),
        DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserPassword, []),
    ];

    /// <summary>The user name of a REPLY (UTF-8, trailing NULs some clients add dropped); empty when there is none.</summary>
    public static string UserName(AttributePayload reply) =>
        reply.Find(ModeConfigAttributeType.XauthUserName)?.VariableValue is { } name ? Encoding.UTF8.GetString(TrimNul(name)) : string.Empty;

    /// <summary>Checks a REPLY's credentials; null when the user may log in, else why not.</summary>
    public static XauthFailure? Check(GatewayConfiguration configuration, string group, AttributePayload reply)
    {
        var user = UserName(reply);
        if (user.Length == 0 || reply.Find(ModeConfigAttributeType.XauthUserPassword)?.VariableValue is not { } password)
        {
            return XauthFailure.MissingCredentials;
        }

        var member = configuration.UserGroups.FirstOrDefault(g => g.Name == group)?.Members.Contains(user) == true;
        var local = member ? configuration.LocalUsers.FirstOrDefault(u => u.Name == user && u.Enabled && u.Password is not null) : null;
        var expected = local is null ? NoUserDigest : SHA256.HashData(local.Password!.Bytes);
        var given = SHA256.HashData(TrimNul(password));
        try
        {
            bool matches = CryptographicOperations.FixedTimeEquals(expected, given);
            return local is null ? XauthFailure.UnknownUser : matches ? null : XauthFailure.WrongPassword;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(given);
            CryptographicOperations.ZeroMemory(password);
        }
    }

    /// <summary>The XAUTH_STATUS of our SET.</summary>
    public static IReadOnlyList<DataAttribute> StatusAttributes(bool ok) => [DataAttribute.Basic((ushort)ModeConfigAttributeType.XauthStatus, ok ? StatusOk : StatusFail)];

    private static ReadOnlySpan<byte> TrimNul(byte[] value) => value.AsSpan().TrimEnd((byte)0);
}
