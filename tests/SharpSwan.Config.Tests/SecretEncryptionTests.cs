using System.Security.Cryptography;

namespace SharpSwan.Config.Tests;

/// <summary>Issue 16 item 4: FortiOS ENC values are refused; SharpSwan's own stored secrets are AES-GCM encrypted.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SecretEncryptionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-secrets-").FullName;

    [Fact]
    public void FortiOsEncValue_IsRefusedAsEncryptedByAnotherDevice_WithoutEchoingIt()
    {
        var foreign = Convert.ToBase64String(RandomNumberGenerator.GetBytes(96));
        var error = ConfigText.SingleError(ConfigText.MinimalPhase1.Replace("set psksecret \"minimal-psk\"", "set psksecret ENC " + foreign, StringComparison.Ordinal));
        Assert.Equal("value parse error before '****'", error.Message);
        Assert.Equal("psksecret encrypted by another device: set the secret again in clear text", error.Reason);
        Assert.DoesNotContain(foreign, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void OldBase64Form_IsReadWithAWarning_AndWrittenBackEncrypted()
    {
        var text = ConfigText.MinimalPhase1.Replace("set psksecret \"minimal-psk\"", "set psksecret ENC " + Convert.ToBase64String("minimal-psk"u8), StringComparison.Ordinal);
        var result = ConfigurationLoader.Parse(text, "old.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(Secret.FromPlaintext("minimal-psk"), result.Configuration!.Phase1[0].PresharedKey);
        var warning = Assert.Single(result.ConfigWarnings);
        Assert.Equal(WarningKind.LegacySecret, warning.Kind);
        Assert.Equal("psksecret", warning.Subject);

        var written = ConfigurationWriter.Write(result.Configuration, fullConfiguration: false);
        Assert.Contains("set psksecret ENC sharpswan-aes256gcm$", written, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("minimal-psk"u8), written, StringComparison.Ordinal);
        Assert.Empty(ConfigurationLoader.Parse(written, "new.conf").ConfigWarnings);
    }

    [Fact]
    public void SavedFile_MakesAKeyFile0600_AndLoadsBackWithIt_ButNotWithAnotherKey()
    {
        var path = Path.Combine(_directory, "hq.conf");
        var configuration = ConfigText.ParseValid(ConfigText.MinimalPhase1);
        new ConfigurationStore(path).Save(configuration);

        var keyFile = Path.Combine(_directory, SecretKeyring.KeyFileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Equal(32, new FileInfo(keyFile).Length);
        var saved = File.ReadAllText(path);
        Assert.DoesNotContain("minimal-psk", saved, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("minimal-psk"u8), saved, StringComparison.Ordinal);

        var loaded = ConfigurationLoader.LoadFile(path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(configuration, loaded.Configuration);

        // The same file where the key file is missing (copied to another machine): refused, saying what to do.
        var elsewhere = Directory.CreateTempSubdirectory("sharpswan-secrets-other-").FullName;
        try
        {
            File.Copy(path, Path.Combine(elsewhere, "hq.conf"));
            var error = Assert.Single(ConfigurationLoader.LoadFile(Path.Combine(elsewhere, "hq.conf")).Errors);
            Assert.Contains("was encrypted with a SharpSwan key that is not here", error.Reason, StringComparison.Ordinal);
            Assert.EndsWith("set the secret again in clear text", error.Reason, StringComparison.Ordinal);

            // A different key there does not open it either (the tag does not verify).
            File.WriteAllBytes(Path.Combine(elsewhere, SecretKeyring.KeyFileName), RandomNumberGenerator.GetBytes(32));
            var stillRefused = ConfigurationLoader.LoadFile(Path.Combine(elsewhere, "hq.conf"));
            Assert.False(stillRefused.IsValid);
        }
        finally
        {
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public void EncryptedForm_IsStableForTheSameSecret_AndCannotBeTakenForBase64()
    {
        var a = Secret.FromPlaintext("same-secret").ToConfigString();
        Assert.Equal(a, Secret.FromPlaintext("same-secret").ToConfigString());
        Assert.NotEqual(a, Secret.FromPlaintext("other-secret").ToConfigString());
        Assert.False(Convert.TryFromBase64String(a[4..], new byte[a.Length], out _));
    }

    [Fact]
    public void TamperedCiphertext_IsRefused()
    {
        var stored = Secret.FromPlaintext("tamper-me-please").ToConfigString()[4..];
        var bytes = Convert.FromBase64String(stored["sharpswan-aes256gcm$".Length..]);
        bytes[^1] ^= 1;
        var tampered = "sharpswan-aes256gcm$" + Convert.ToBase64String(bytes);
        Assert.False(Secret.TryParse(["ENC", tampered], out _, out var error));
        Assert.Contains("set the secret again in clear text", error, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
