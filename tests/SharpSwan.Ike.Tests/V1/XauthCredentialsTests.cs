using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Ike.V1.Xauth;

namespace SharpSwan.Ike.Tests.V1;

/// <summary>
/// The XAUTH server's messages and check (issue 13): our REQUEST asks for a user name and password, the client's REPLY is
/// checked against the local users of the group, and our SET carries the status; each survives the wire codec.
/// </summary>
public sealed class XauthCredentialsTests
{
    private static readonly GatewayConfiguration Users = ConfigurationLoader.Parse("""
        config user local
            edit "alice"
                set type password
                set passwd "alice-pw"
            next
            edit "carol"
                set type password
                set passwd "carol-pw"
                set status disable
            next
            edit "dave"
                set type password
                set passwd "dave-pw"
            next
        end
        config user group
            edit "vpn-users"
                set member "alice" "carol"
            next
        end
        """, "users.conf").Configuration!;

    private static AttributePayload Reply(string? user, string? password)
    {
        var attributes = new List<DataAttribute>();
        if (user is not null)
        {
            attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserName, System.Text.Encoding.UTF8.GetBytes(user)));
        }

        if (password is not null)
        {
            attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserPassword, System.Text.Encoding.UTF8.GetBytes(password)));
        }

        return new AttributePayload(ModeConfigMessageType.Reply, 5, attributes);
    }

    [Fact]
    public void Request_AsksForUserNameAndPassword_AndRoundTrips()
    {
        var request = new AttributePayload(ModeConfigMessageType.Request, 5, XauthCredentials.RequestAttributes());
        var decoded = Assert.IsType<AttributePayload>(Assert.Single(IsakmpCodec.Decode(IsakmpCodec.Encode(IsakmpTestData.Header(IsakmpExchangeType.Transaction, 3), [request])).Message!.Payloads));

        Assert.Equal(ModeConfigMessageType.Request, decoded.MessageType);
        Assert.Equal(XauthCredentials.TypeGeneric, decoded.Find(ModeConfigAttributeType.XauthType)!.BasicValue);
        Assert.Empty(decoded.Find(ModeConfigAttributeType.XauthUserName)!.VariableValue!);
        Assert.Empty(decoded.Find(ModeConfigAttributeType.XauthUserPassword)!.VariableValue!);
    }

    [Theory]
    [InlineData(true, XauthCredentials.StatusOk)]
    [InlineData(false, XauthCredentials.StatusFail)]
    public void Status_IsOneBasicAttribute(bool ok, ushort expected)
    {
        var set = new AttributePayload(ModeConfigMessageType.Set, 6, XauthCredentials.StatusAttributes(ok));
        var decoded = Assert.IsType<AttributePayload>(Assert.Single(IsakmpCodec.Decode(IsakmpCodec.Encode(IsakmpTestData.Header(IsakmpExchangeType.Transaction, 4), [set])).Message!.Payloads));

        var status = Assert.Single(decoded.Attributes);
        Assert.True(status.IsBasic);
        Assert.Equal((ushort)ModeConfigAttributeType.XauthStatus, status.Type);
        Assert.Equal(expected, status.BasicValue);
    }

    [Fact]
    public void RightPasswordOfAGroupMember_Passes()
    {
        Assert.Null(XauthCredentials.Check(Users, "vpn-users", Reply("alice", "alice-pw")));
        Assert.Equal("alice", XauthCredentials.UserName(Reply("alice", "alice-pw")));
    }

    [Fact]
    public void TrailingNulAfterThePassword_IsIgnored()
    {
        Assert.Null(XauthCredentials.Check(Users, "vpn-users", Reply("alice", "alice-pw\0")));
    }

    [Theory]
    [InlineData("alice", "alice-pW", XauthFailure.WrongPassword)]
    [InlineData("alice", "alice-pw-longer", XauthFailure.WrongPassword)]
    [InlineData("alice", "", XauthFailure.WrongPassword)]
    [InlineData("dave", "dave-pw", XauthFailure.UnknownUser)]
    [InlineData("carol", "carol-pw", XauthFailure.UnknownUser)]
    [InlineData("mallory", "alice-pw", XauthFailure.UnknownUser)]
    [InlineData("", "alice-pw", XauthFailure.MissingCredentials)]
    [InlineData("alice", null, XauthFailure.MissingCredentials)]
    [InlineData(null, "alice-pw", XauthFailure.MissingCredentials)]
    public void WrongCredentials_AreRefusedWithWhy(string? user, string? password, XauthFailure expected)
    {
        Assert.Equal(expected, XauthCredentials.Check(Users, "vpn-users", Reply(user, password)));
    }

    [Fact]
    public void AGroupThatDoesNotExist_AcceptsNobody()
    {
        Assert.Equal(XauthFailure.UnknownUser, XauthCredentials.Check(Users, "admins", Reply("alice", "alice-pw")));
    }
}
