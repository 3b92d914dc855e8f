namespace SharpSwan.Config.Tests;

public sealed class AdminAndApiUserTests
{
    /// <summary>RFC 7914 §11: PBKDF2-HMAC-SHA256, P="passwd", S="salt", c=1; the first 32 bytes of its output.</summary>
    private const string Rfc7914Hash = "ENC pbkdf2-sha256$1$c2FsdA==$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw=";

    [Fact]
    public void EncodedHash_VerifiesTheRfc7914TestVector()
    {
        Assert.True(PasswordHash.TryParse(Rfc7914Hash.Split(' '), 1, 1, out var hash, out var error), error);
        Assert.True(hash!.Verify("passwd"));
        Assert.False(hash.Verify("passwe"));
        Assert.Equal(Rfc7914Hash, hash.ToConfigString());
    }

    [Fact]
    public void PlaintextPassword_IsHashedWithSaltAndNeverPrinted()
    {
        var configuration = ConfigText.ParseValid("""
            config system admin
                edit "admin"
                    set accprofile "super_admin"
                    set password "correct horse"
                next
            end
            """);

        var admin = Assert.Single(configuration.Admins);
        Assert.Equal("admin", admin.Name);
        Assert.True(admin.Password!.Verify("correct horse"));
        Assert.False(admin.Password.Verify("correct horsf"));
        Assert.Equal(PasswordHash.PasswordIterations, admin.Password.Iterations);
        Assert.Equal("accprofile", Assert.Single(admin.OtherSettings).Name);

        var written = ConfigurationWriter.Write(configuration, fullConfiguration: false);
        Assert.DoesNotContain("correct horse", written, StringComparison.Ordinal);
        Assert.Contains("set password ENC pbkdf2-sha256$600000$", written, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", configuration.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void SamePlaintext_GetsDifferentSalts()
    {
        var first = PasswordHash.Create("same password", 1000);
        var second = PasswordHash.Create("same password", 1000);
        Assert.NotEqual(first.ToConfigString(), second.ToConfigString());
        Assert.NotEqual(first, second);
        Assert.True(second.Verify("same password"));
    }

    [Fact]
    public void WrittenConfiguration_ReadsBackEqual()
    {
        var configuration = ConfigText.ParseValid("""
            config system admin
                edit "admin"
                    set password "pw-one-long"
                    set comments "first admin"
                next
                edit "ro"
                next
            end
            config system api-user
                edit "automation"
                    set api-key "0123456789abcdefghij"
                    set accprofile "super_admin"
                next
            end
            """ + "\n" + ConfigText.MinimalPhase1);

        var text = ConfigurationWriter.Write(configuration, fullConfiguration: false);
        var reread = ConfigText.ParseValid(text);
        Assert.Equal(configuration, reread);
        Assert.Null(reread.Admins[1].Password);
        Assert.True(reread.ApiUsers[0].ApiKey!.Verify("0123456789abcdefghij"));
        Assert.Equal(PasswordHash.ApiKeyIterations, reread.ApiUsers[0].ApiKey!.Iterations);
    }

    [Fact]
    public void ShortApiKey_IsRefusedWithoutEchoingIt()
    {
        var error = ConfigText.SingleError("""
            config system api-user
                edit "automation"
                    set api-key "short-key"
                next
            end
            """);

        Assert.Equal(3, error.Line);
        Assert.Equal("value parse error before '****'", error.Message);
        Assert.Equal("api-key must be 16-128 characters", error.Reason);
        Assert.DoesNotContain("short-key", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedEncodedHash_IsRefused()
    {
        var error = ConfigText.SingleError("""
            config system admin
                edit "admin"
                    set password ENC md5$abc
                next
            end
            """);

        Assert.Equal("password ENC value must be pbkdf2-sha256$<iterations>$<salt>$<hash>", error.Reason);
    }

    [Fact]
    public void TrustedHosts_AreRefusedRatherThanSilentlyIgnored()
    {
        var error = ConfigText.SingleError("""
            config system admin
                edit "admin"
                    set trusthost1 10.0.0.0 255.0.0.0
                next
            end
            """);

        Assert.Equal("command parse error before 'trusthost1'", error.Message);
        Assert.Contains("does not enforce", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminAddress_IsKeptAndChecked()
    {
        var configuration = ConfigText.ParseValid("""
            config system global
                set admin-sport 8443
                set admin-address 0.0.0.0
            end
            """);
        Assert.Equal(8443, configuration.Global.AdminSport);
        Assert.Equal("0.0.0.0", Assert.Single(configuration.Global.OtherSettings.Single(s => s.Name == "admin-address").Values));

        var error = ConfigText.SingleError("""
            config system global
                set admin-address localhost
            end
            """);
        Assert.Equal("value parse error before 'localhost'", error.Message);
    }
}
