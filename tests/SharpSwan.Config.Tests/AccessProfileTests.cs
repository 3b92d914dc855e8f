namespace SharpSwan.Config.Tests;

/// <summary><c>config system accprofile</c>, admin password length and the admin/api-user references to profiles.</summary>
public sealed class AccessProfileTests
{
    [Fact]
    public void CustomProfile_IsReadKeptAndWrittenBack()
    {
        var configuration = ConfigText.ParseValid("""
            config system accprofile
                edit "vpn-viewer"
                    set vpngrp read
                    set fwgrp read-write
                    set loggrp read
                    set comments "NOC"
                next
            end
            config system admin
                edit "noc"
                    set accprofile "vpn-viewer"
                    set password "noc-password"
                next
            end
            """);

        var profile = configuration.FindAccessProfile("vpn-viewer")!;
        Assert.Equal(AccessLevel.Read, profile.Level("vpngrp"));
        Assert.Equal(AccessLevel.ReadWrite, profile.Level("fwgrp"));
        Assert.Equal(AccessLevel.None, profile.Level("netgrp"));
        Assert.Equal("vpn-viewer", configuration.Admins[0].AccessProfileName);

        var reread = ConfigText.ParseValid(ConfigurationWriter.Write(configuration, fullConfiguration: false));
        Assert.Equal(configuration, reread);
    }

    [Fact]
    public void BuiltInProfiles_ExistWithoutConfiguration()
    {
        var configuration = ConfigText.ParseValid("config system global\n    set hostname \"x\"\nend\n");
        Assert.Equal(AccessLevel.Read, configuration.FindAccessProfile("super_admin_readonly")!.Level("vpngrp"));
        Assert.Equal(AccessLevel.ReadWrite, configuration.FindAccessProfile("super_admin")!.Level("sysgrp"));
        Assert.Null(configuration.FindAccessProfile("prof_missing"));
    }

    [Fact]
    public void UnknownProfile_IsRefused()
    {
        var error = ConfigText.SingleError("""
            config system admin
                edit "noc"
                    set accprofile "no-such-profile"
                    set password "noc-password"
                next
            end
            """);
        Assert.Equal(3, error.Line);
        Assert.Equal("entry not found in datasource", error.Message);
    }

    [Fact]
    public void UnknownProfileOfAnApiUser_IsRefused()
    {
        var error = ConfigText.SingleError("""
            config system api-user
                edit "bot"
                    set accprofile "no-such-profile"
                    set api-key "0123456789abcdefghij"
                next
            end
            """);
        Assert.Equal("entry not found in datasource", error.Message);
    }

    [Fact]
    public void CustomPermissions_AndRedefiningABuiltInProfile_AreRefused()
    {
        var custom = ConfigText.SingleError("""
            config system accprofile
                edit "p"
                    set fwgrp custom
                next
            end
            """);
        Assert.Equal("value parse error before 'custom'", custom.Message);

        var builtIn = ConfigText.SingleError("""
            config system accprofile
                edit "super_admin"
                    set vpngrp read
                next
            end
            """);
        Assert.Equal(2, builtIn.Line);
    }

    [Fact]
    public void AdminPasswordShorterThanEight_IsRefusedWithoutEchoingIt()
    {
        var error = ConfigText.SingleError("""
            config system admin
                edit "admin"
                    set accprofile "super_admin"
                    set password "short"
                next
            end
            """);
        Assert.Equal(4, error.Line);
        Assert.Equal("password must be 8-128 characters", error.Reason);
        Assert.DoesNotContain("short\"", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AdminWithoutProfile_GetsSuperAdmin_WithAWarning()
    {
        var result = ConfigurationLoader.Parse("""
            config system admin
                edit "admin"
                    set password "long-enough"
                next
            end
            """, "test.conf");
        Assert.True(result.IsValid);
        Assert.Equal(AccessProfile.SuperAdmin, result.Configuration!.Admins[0].AccessProfileName);
        Assert.Contains(result.ConfigWarnings, w => w.Kind == WarningKind.AssumedSetting && w.Line == 2);
    }
}
