using SharpSwan.Config;
using SharpSwan.Ike.V1.Wire;

namespace SharpSwan.Ike.V1.Xauth;

/// <summary>
/// SharpSwan as the XAUTH client (<c>xauthtype client</c>): the REPLY to the server's REQUEST carries <c>authusr</c> and
/// <c>authpasswd</c> (generic type; the server's XAUTH_TYPE, when it sent one, is echoed as the draft asks).
/// </summary>
internal static class XauthClient
{
    public static AttributePayload Reply(Phase1Settings settings, AttributePayload request)
    {
        var attributes = new List<DataAttribute>();
        if (request.Find(ModeConfigAttributeType.XauthType) is { } type)
        {
            attributes.Add(type);
        }

        attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserName, System.Text.Encoding.UTF8.GetBytes(settings.AuthUser ?? string.Empty)));
        attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserPassword, settings.AuthPassword?.GetBytes() ?? []));
        return new AttributePayload(ModeConfigMessageType.Reply, request.Identifier, attributes);
    }
}
