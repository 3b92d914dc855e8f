using SharpSwan.Config;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Xauth;

/// <summary>
/// SharpSwan as the XAUTH client (<c>xauthtype client</c>): the REPLY to the server's REQUEST carries <c>authusr</c> and
/// <c>authpasswd</c> (generic type; the server's XAUTH_TYPE, when it sent one, is echoed as the draft asks). To a
/// RADIUS-CHAP request the password goes as the CHAP answer over the server's challenge (<see cref="XauthChap"/>),
/// never in clear.
/// </summary>
internal static class XauthClient
{
    /// <summary>Our REPLY; null when the request cannot be answered (RADIUS-CHAP without a challenge).</summary>
    public static AttributePayload? Reply(Phase1Settings settings, AttributePayload request)
    {
        var attributes = new List<DataAttribute>();
        var type = request.Find(ModeConfigAttributeType.XauthType);
        if (type is not null)
        {
            attributes.Add(type);
        }

        attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserName, System.Text.Encoding.UTF8.GetBytes(settings.AuthUser ?? string.Empty)));
        var password = settings.AuthPassword?.GetBytes() ?? [];
        if (type?.BasicValue == XauthChap.Type)
        {
            if (request.Find(ModeConfigAttributeType.XauthChallenge)?.VariableValue is not { Length: > 0 } challenge)
            {
                return null;
            }

            // RFC 1994 has the identifier copied from the challenge packet; here the transaction identifier stands for it.
            var answer = XauthChap.Answer((byte)request.Identifier, password, challenge);
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(password);
            password = answer;
        }

        attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserPassword, password));
        return new AttributePayload(ModeConfigMessageType.Reply, request.Identifier, attributes);
    }
}
