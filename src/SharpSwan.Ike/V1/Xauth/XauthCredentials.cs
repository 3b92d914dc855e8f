using System.Security.Cryptography;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Xauth;

/// <summary>
/// The XAUTH server's side of draft-beaulieu-ike-xauth with local users: what it asks for (generic type, user name and
/// password; or, for <c>xauthtype chap</c>, type RADIUS-CHAP with a challenge) and the check of the client's REPLY
/// against <c>config user local</c> members of the phase 1's <c>authusrgrp</c>. Passwords are compared as SHA-256
/// digests (CHAP answers as their MD5 response, <see cref="XauthChap"/>) in constant time, so neither their length nor
/// the first differing octet shows in the time taken, and an unknown user costs the same comparison as a known one.
/// </summary>
internal static class XauthCredentials
{
    /// <summary>XAUTH_TYPE generic (0): the client answers the user name and password asked for.</summary>
    public const ushort TypeGeneric = 0;

    public const ushort StatusFail = 0;
    public const ushort StatusOk = 1;

    private static readonly byte[] NoUserDigest = SHA256.HashData("\0no such user\0"u8);

    /// <summary>
    /// The attributes of our XAUTH REQUEST: the type, and an empty user name and password to be filled in; with a
    /// <paramref name="chapChallenge"/>, type RADIUS-CHAP and the challenge the password answer must be computed over.
    /// </summary>
    public static IReadOnlyList<DataAttribute> RequestAttributes(byte[]? chapChallenge = null)
    {
        var attributes = new List<DataAttribute>
        {
            DataAttribute.Basic((ushort)ModeConfigAttributeType.XauthType, chapChallenge is null ? TypeGeneric : XauthChap.Type),
            DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserName, []),
            DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserPassword, []),
        };
        if (chapChallenge is not null)
        {
            attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthChallenge, chapChallenge));
        }

        return attributes;
    }

    /// <summary>The user name of a REPLY (UTF-8, trailing NULs some clients add dropped); empty when there is none.</summary>
    public static string UserName(AttributePayload reply) =>
        reply.Find(ModeConfigAttributeType.XauthUserName)?.VariableValue is { } name ? Encoding.UTF8.GetString(TrimNul(name)) : string.Empty;

    /// <summary>
    /// Checks a REPLY's credentials; null when the user may log in, else why not. With <paramref name="chapChallenge"/>
    /// (we asked for RADIUS-CHAP) the REPLY must say RADIUS-CHAP too and its password be the CHAP answer to it.
    /// </summary>
    public static XauthFailure? Check(GatewayConfiguration configuration, string group, AttributePayload reply, byte[]? chapChallenge = null)
    {
        var user = UserName(reply);
        if (user.Length == 0 || reply.Find(ModeConfigAttributeType.XauthUserPassword)?.VariableValue is not { } password)
        {
            return XauthFailure.MissingCredentials;
        }

        if (chapChallenge is not null && reply.Find(ModeConfigAttributeType.XauthType)?.BasicValue != XauthChap.Type)
        {
            // The draft has the REPLY repeat the REQUEST's type: a generic answer to a CHAP request is no CHAP answer.
            CryptographicOperations.ZeroMemory(password);
            return XauthFailure.MissingCredentials;
        }

        var member = configuration.UserGroups.FirstOrDefault(g => g.Name == group)?.Members.Contains(user) == true;
        var local = member ? configuration.LocalUsers.FirstOrDefault(u => u.Name == user && u.Enabled && u.Password is not null) : null;
        try
        {
            var stored = local is null ? NoUserDigest : local.Password!.Bytes;
            bool matches = chapChallenge is null ? PapMatches(local is null ? null : SHA256.HashData(stored), password) : XauthChap.Matches(password, stored, chapChallenge);
            return local is null ? XauthFailure.UnknownUser : matches ? null : XauthFailure.WrongPassword;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    /// <summary>The XAUTH_STATUS of our SET.</summary>
    public static IReadOnlyList<DataAttribute> StatusAttributes(bool ok) => [DataAttribute.Basic((ushort)ModeConfigAttributeType.XauthStatus, ok ? StatusOk : StatusFail)];

    /// <summary>The SHA-256 of the stored password (null: no such user) against that of the one given, in constant time.</summary>
    private static bool PapMatches(byte[]? storedDigest, byte[] password)
    {
        var expected = storedDigest ?? NoUserDigest;
        var given = SHA256.HashData(TrimNul(password));
        try
        {
            return CryptographicOperations.FixedTimeEquals(expected, given);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(given);
        }
    }

    private static ReadOnlySpan<byte> TrimNul(byte[] value) => value.AsSpan().TrimEnd((byte)0);
}
