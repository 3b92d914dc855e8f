namespace SharpSwan.Config.Tests;

/// <summary>`config user local` and `config user group`: local password users and their groups, passwords never shown in clear.</summary>
public sealed class UserTablesTests
{
    private const string Users = """
        config user local
            edit "alice"
                set type password
                set passwd "alice-password-1"
            next
            edit "bob"
                set status disable
                set passwd "bob-password-22"
                set email-to "bob@example.com"
            next
        end
        config user group
            edit "vpn-users"
                set group-type firewall
                set member "alice" "bob"
            next
        end
        """;

    [Fact]
    public void LocalUsersAndGroup_Load_ShowHidesThePasswords_AndTheWrittenFileLoadsEqual()
    {
        var config = ConfigText.ParseValid(Users);

        Assert.Equal(["alice", "bob"], config.LocalUsers.Select(u => u.Name));
        Assert.True(config.LocalUsers[0].Enabled);
        Assert.False(config.LocalUsers[1].Enabled);
        Assert.Equal("alice-password-1"u8.ToArray(), config.LocalUsers[0].Password!.GetBytes());
        var group = Assert.Single(config.UserGroups);
        Assert.Equal<string>(["alice", "bob"], group.Members);

        var shown = ConfigurationWriter.Write(config, fullConfiguration: false);
        Assert.DoesNotContain("alice-password-1", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("bob-password-22", shown, StringComparison.Ordinal);
        Assert.Contains("        set passwd ENC ", shown, StringComparison.Ordinal);
        Assert.Contains("        set member \"alice\" \"bob\"\n", shown, StringComparison.Ordinal);
        Assert.Contains("        set status disable\n", shown, StringComparison.Ordinal);
        Assert.Equal(config, ConfigText.ParseValid(shown));
        Assert.Contains("        set type password\n", ConfigurationWriter.Write(config, fullConfiguration: true), StringComparison.Ordinal);
    }

    [Fact]
    public void GroupMemberThatIsNoLocalUser_IsRefusedAtItsValue()
    {
        var error = ConfigText.SingleError(Users.Replace("set member \"alice\" \"bob\"", "set member \"alice\" \"carol\"", StringComparison.Ordinal));
        Assert.Equal(15, error.Line);
        Assert.Equal("entry not found in datasource", error.Message);
        Assert.Contains("\"carol\", which is not a user local", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set type radius", "remote users")]
    [InlineData("set two-factor fortitoken", "no two-factor authentication")]
    public void RemoteUsersAndTwoFactor_AreRefusedWithAReason(string setting, string reason)
    {
        var error = ConfigText.SingleError(Users.Replace("set type password", setting, StringComparison.Ordinal));
        Assert.Equal(3, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GuestGroups_AreRefusedWithAReason()
    {
        var error = ConfigText.SingleError(Users.Replace("set group-type firewall", "set group-type guest", StringComparison.Ordinal));
        Assert.Equal(14, error.Line);
        Assert.Contains("guest", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void LocalUserWithoutPassword_MustSetIt()
    {
        var error = ConfigText.SingleError(Users.Replace("        set passwd \"alice-password-1\"\n", "", StringComparison.Ordinal));
        Assert.Equal("Attribute 'passwd' MUST be set.", error.Message);
        Assert.Equal(2, error.Line);
    }
}
