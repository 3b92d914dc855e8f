using SharpSwan.Config;
using SharpSwan.Ike.Events;
using SharpSwan.Ike.V1.Wire;
using SharpSwan.Ike.V1.Xauth;

namespace SharpSwan.Ike.Tests.V1;

/// <summary>
/// XAUTH RADIUS-CHAP (issue 13, <c>xauthtype chap</c>): the server's REQUEST carries type 1 and a challenge, the client's
/// XAUTH-USER-PASSWORD is the CHAP identifier then MD5(identifier | password | challenge) (RFC 1994 §4.1 in RADIUS's
/// CHAP-Password form), and the server's check takes the identifier from that first octet. The expected digest below was
/// computed outside SharpSwan (Python hashlib) for identifier 0x2a, "alice-pw" and the challenge 00..0f.
/// </summary>
public sealed class XauthChapTests
{
    private static readonly byte[] Challenge = [.. Enumerable.Range(0, 16).Select(i => (byte)i)];

    private static readonly GatewayConfiguration Users = ConfigurationLoader.Parse("""
        config user local
            edit "alice"
                set type password
                set passwd "alice-pw"
            next
            edit "dave"
                set type password
                set passwd "dave-pw"
            next
        end
        config user group
            edit "vpn-users"
                set member "alice"
            next
        end
        """, "users.conf").Configuration!;

    private static AttributePayload Reply(string user, byte[] password, ushort? type = XauthChap.Type)
    {
        var attributes = new List<DataAttribute>();
        if (type is { } t)
        {
            attributes.Add(DataAttribute.Basic((ushort)ModeConfigAttributeType.XauthType, t));
        }

        attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserName, System.Text.Encoding.UTF8.GetBytes(user)));
        attributes.Add(DataAttribute.Variable((ushort)ModeConfigAttributeType.XauthUserPassword, password));
        return new AttributePayload(ModeConfigMessageType.Reply, 0x772a, attributes);
    }

    private static byte[] Utf8(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    [Fact]
    public void Answer_IsTheIdentifierThenMd5OverIdentifierPasswordChallenge()
    {
        var answer = XauthChap.Answer(0x2a, Utf8("alice-pw"), Challenge);

        Assert.Equal(Convert.FromHexString("2a759937535e793ade6a6b1a518bfe1a65"), answer);
    }

    [Fact]
    public void Matches_OnlyTheAnswerOfThatPasswordAndChallenge()
    {
        var answer = XauthChap.Answer(0x2a, Utf8("alice-pw"), Challenge);
        var otherChallenge = Challenge.Reverse().ToArray();
        var otherIdentifier = (byte[])answer.Clone();
        otherIdentifier[0] = 0x2b;

        Assert.True(XauthChap.Matches(answer, Utf8("alice-pw"), Challenge));
        Assert.False(XauthChap.Matches(answer, Utf8("alice-pW"), Challenge));
        Assert.False(XauthChap.Matches(answer, Utf8("alice-pw"), otherChallenge));
        Assert.False(XauthChap.Matches(otherIdentifier, Utf8("alice-pw"), Challenge));
        Assert.False(XauthChap.Matches(answer.AsSpan(0, 16), Utf8("alice-pw"), Challenge));
        Assert.False(XauthChap.Matches([.. answer, 0], Utf8("alice-pw"), Challenge));
        Assert.False(XauthChap.Matches([], Utf8("alice-pw"), Challenge));
    }

    [Fact]
    public void ChapRequest_CarriesTypeRadiusChapAndTheChallenge_AndRoundTrips()
    {
        var request = new AttributePayload(ModeConfigMessageType.Request, 7, XauthCredentials.RequestAttributes(Challenge));
        var decoded = Assert.IsType<AttributePayload>(Assert.Single(IsakmpCodec.Decode(IsakmpCodec.Encode(IsakmpTestData.Header(IsakmpExchangeType.Transaction, 3), [request])).Message!.Payloads));

        Assert.Equal(XauthChap.Type, decoded.Find(ModeConfigAttributeType.XauthType)!.BasicValue);
        Assert.Equal(16525, (int)ModeConfigAttributeType.XauthChallenge);
        Assert.Equal(Challenge, decoded.Find(ModeConfigAttributeType.XauthChallenge)!.VariableValue);
        Assert.Empty(decoded.Find(ModeConfigAttributeType.XauthUserName)!.VariableValue!);
        Assert.Empty(decoded.Find(ModeConfigAttributeType.XauthUserPassword)!.VariableValue!);
    }

    [Fact]
    public void TheRightChapAnswerOfAGroupMember_Passes()
    {
        Assert.Null(XauthCredentials.Check(Users, "vpn-users", Reply("alice", XauthChap.Answer(9, Utf8("alice-pw"), Challenge)), Challenge));
    }

    [Fact]
    public void WrongChapAnswers_AreRefusedWithWhy()
    {
        Assert.Equal(XauthFailure.WrongPassword, XauthCredentials.Check(Users, "vpn-users", Reply("alice", XauthChap.Answer(9, Utf8("bob-pw"), Challenge)), Challenge));
        Assert.Equal(XauthFailure.WrongPassword, XauthCredentials.Check(Users, "vpn-users", Reply("alice", Utf8("alice-pw")), Challenge));
        Assert.Equal(XauthFailure.UnknownUser, XauthCredentials.Check(Users, "vpn-users", Reply("dave", XauthChap.Answer(9, Utf8("dave-pw"), Challenge)), Challenge));
        Assert.Equal(XauthFailure.MissingCredentials, XauthCredentials.Check(Users, "vpn-users", Reply("alice", XauthChap.Answer(9, Utf8("alice-pw"), Challenge), type: XauthCredentials.TypeGeneric), Challenge));
        Assert.Equal(XauthFailure.MissingCredentials, XauthCredentials.Check(Users, "vpn-users", Reply("alice", XauthChap.Answer(9, Utf8("alice-pw"), Challenge), type: null), Challenge));
    }

    [Fact]
    public void AChapAnswer_IsNoPapPassword()
    {
        Assert.Equal(XauthFailure.WrongPassword, XauthCredentials.Check(Users, "vpn-users", Reply("alice", XauthChap.Answer(9, Utf8("alice-pw"), Challenge), type: XauthCredentials.TypeGeneric)));
    }

    [Fact]
    public void TheClient_AnswersAChapRequestWithTheChapAnswer_NeverThePassword()
    {
        var settings = ClientSettings();
        var request = new AttributePayload(ModeConfigMessageType.Request, 0x1234, XauthCredentials.RequestAttributes(Challenge));

        var reply = XauthClient.Reply(settings, request)!;

        Assert.Equal((ModeConfigMessageType.Reply, (ushort)0x1234), (reply.MessageType, reply.Identifier));
        Assert.Equal(XauthChap.Type, reply.Find(ModeConfigAttributeType.XauthType)!.BasicValue);
        Assert.Equal("alice", System.Text.Encoding.UTF8.GetString(reply.Find(ModeConfigAttributeType.XauthUserName)!.VariableValue!));
        Assert.Equal(XauthChap.Answer(0x34, Utf8("alice-pw"), Challenge), reply.Find(ModeConfigAttributeType.XauthUserPassword)!.VariableValue);
        Assert.Null(XauthCredentials.Check(Users, "vpn-users", reply, Challenge));
    }

    [Fact]
    public void TheClient_CannotAnswerAChapRequestWithoutAChallenge_AndAnswersGenericInClear()
    {
        var settings = ClientSettings();
        var chapWithout = new AttributePayload(ModeConfigMessageType.Request, 3, [.. XauthCredentials.RequestAttributes(Challenge).Where(a => a.Type != (ushort)ModeConfigAttributeType.XauthChallenge)]);
        var generic = new AttributePayload(ModeConfigMessageType.Request, 3, XauthCredentials.RequestAttributes());

        Assert.Null(XauthClient.Reply(settings, chapWithout));
        Assert.Equal(Utf8("alice-pw"), XauthClient.Reply(settings, generic)!.Find(ModeConfigAttributeType.XauthUserPassword)!.VariableValue);
    }

    private static Phase1Settings ClientSettings() => Assert.Single(ConfigurationLoader.Parse("""
        config vpn ipsec phase1-interface
            edit "hq"
                set interface "eth0"
                set ike-version 1
                set remote-gw 192.0.2.7
                set proposal aes128-sha256
                set psksecret "site-secret"
                set xauthtype client
                set authusr "alice"
                set authpasswd "alice-pw"
            next
        end
        """, "client.conf").Configuration!.Phase1);
}
