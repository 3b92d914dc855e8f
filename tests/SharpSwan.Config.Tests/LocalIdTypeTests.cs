namespace SharpSwan.Config.Tests;

/// <summary>
/// A localid-type that needs a value, with no localid: the gateway would send its address (or its certificate's subject)
/// instead of the ID type the admin asked for, so the peer's ID check fails with nothing pointing at the cause.
/// </summary>
public sealed class LocalIdTypeTests
{
    [Theory]
    [InlineData("fqdn")]
    [InlineData("user-fqdn")]
    [InlineData("keyid")]
    [InlineData("asn1dn")] // with a pre-shared key there is no certificate subject to send
    public void ALocalIdTypeThatNeedsAValue_WithoutLocalId_IsRefusedAtTheType(string type)
    {
        var text = ConfigText.MinimalPhase1.Replace("set ike-version 2", $"set ike-version 2\n        set localid-type {type}", StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(text, "id.conf");
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.True(error.CrossField);
        Assert.Equal($"value parse error before '{type}'", error.Message);
        Assert.StartsWith($"node_check_object fail! for localid-type {type}\n", error.Detail, StringComparison.Ordinal);
        Assert.Contains("no localid", error.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fqdn", "\"vpn.example.com\"", LocalIdType.Fqdn)]
    [InlineData("user-fqdn", "\"vpn@example.com\"", LocalIdType.UserFqdn)]
    [InlineData("address", "\"\"", LocalIdType.Address)]
    [InlineData("auto", "\"\"", LocalIdType.Auto)]
    [InlineData("asn1dn", "\"C=US, O=Example, CN=hq\"", LocalIdType.Asn1Dn)]
    public void ALocalIdTypeWithItsValue_OrOneTheGatewayFillsItself_IsAccepted(string type, string localId, LocalIdType expected)
    {
        var text = ConfigText.MinimalPhase1.Replace("set ike-version 2", $"set ike-version 2\n        set localid {localId}\n        set localid-type {type}", StringComparison.Ordinal);
        Assert.Equal(expected, Assert.Single(ConfigText.ParseValid(text).Phase1).LocalIdType);
    }

    [Theory]
    [InlineData("address", "vpn.example.com")]
    [InlineData("address", "2001:db8::1")]
    [InlineData("asn1dn", "gw.example.com")]
    [InlineData("asn1dn", "XYZZY=gw")]
    public void ALocalIdThatCannotGoOutAsItsType_IsRefusedAtTheLocalId(string type, string localId)
    {
        // Lines: 1 config, 2 edit, 3 interface, 4 ike-version, 5 localid, 6 localid-type.
        var text = ConfigText.MinimalPhase1.Replace("set ike-version 2", $"set ike-version 2\n        set localid \"{localId}\"\n        set localid-type {type}", StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(text, "id.conf");
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(5, error.Line);
        Assert.True(error.CrossField);
        Assert.StartsWith($"node_check_object fail! for localid {localId}\n", error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAddressTypeWithAnIpv4LocalId_IsAccepted() =>
        Assert.Equal("192.0.2.9", Assert.Single(ConfigText.ParseValid(ConfigText.MinimalPhase1.Replace("set ike-version 2", "set ike-version 2\n        set localid \"192.0.2.9\"\n        set localid-type address", StringComparison.Ordinal)).Phase1).LocalId);
}
