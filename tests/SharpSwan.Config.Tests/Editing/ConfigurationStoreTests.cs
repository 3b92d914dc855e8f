using System.Diagnostics;
using System.Runtime.Versioning;

namespace SharpSwan.Config.Tests.Editing;

/// <summary>The configuration file rewritten after each change: what it holds, its revisions, and crash safety.</summary>
[SupportedOSPlatform("linux")]
public sealed class ConfigurationStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-store-").FullName;
    private readonly GatewayConfiguration _baseConfiguration = ConfigurationLoader.Parse(BaseConfiguration.Text, "base.conf").Configuration!;

    /// <summary>The base configuration with a local user and an administrator whose passwords are typed in clear.</summary>
    private const string ClearSecretsText = BaseConfiguration.Text + """

        config user local
            edit "alice"
                set type password
                set passwd "alice-password-1"
            next
        end
        config system admin
            edit "admin"
                set accprofile "super_admin"
                set password "correct horse"
            next
        end
        """;

    private const string SecretCipherLabel = "sharpswan-aes256gcm$";

    private string FilePath => Path.Combine(_directory, "hq.conf");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Save_WritesFullConfigurationTheLoaderReadsBackEqual()
    {
        var configuration = SaveLoopChild.Revision(_baseConfiguration, 3);
        new ConfigurationStore(FilePath).Save(configuration);

        var text = File.ReadAllText(FilePath);
        Assert.Contains("        set dpd on-demand\n", text, StringComparison.Ordinal);
        Assert.Contains("set psksecret ENC ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-enough-secret", text, StringComparison.Ordinal);
        var loaded = ConfigurationLoader.LoadFile(FilePath);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(configuration, loaded.Configuration);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(FilePath));
    }

    [Fact]
    public void Saves_KeepTheLastFiveVersionsNewestFirst_AllOwnerOnly()
    {
        File.WriteAllText(FilePath, BaseConfiguration.Text);
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var store = new ConfigurationStore(FilePath);
        for (var n = 1; n <= 7; n++)
        {
            store.Save(SaveLoopChild.Revision(_baseConfiguration, n));
        }

        Assert.Equal("rev-7", Hostname(FilePath));
        Assert.Equal(["rev-6", "rev-5", "rev-4", "rev-3", "rev-2"], Enumerable.Range(1, 5).Select(age => Hostname(store.RevisionPath(age))));
        Assert.False(File.Exists(store.RevisionPath(6)));
        Assert.All(Directory.GetFiles(_directory), file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
        // Issue 16: the key that encrypts the stored secrets lives beside the revisions, 0600 like them.
        Assert.Equal(["hq.conf", "hq.conf.1", "hq.conf.2", "hq.conf.3", "hq.conf.4", "hq.conf.5", SecretKeyring.KeyFileName], Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>With a revision directory (the gateway's state directory) the old versions go there; the file stays put.</summary>
    [Fact]
    public void Saves_WithARevisionDirectory_KeepRevisionsThere_AndOnlyTheFileBesideIt()
    {
        var state = Path.Combine(_directory, "state");
        File.WriteAllText(FilePath, BaseConfiguration.Text);
        var store = new ConfigurationStore(FilePath, revisionDirectory: state);
        store.Save(SaveLoopChild.Revision(_baseConfiguration, 1));
        store.Save(SaveLoopChild.Revision(_baseConfiguration, 2));

        Assert.Equal("rev-2", Hostname(FilePath));
        Assert.Equal(Path.Combine(state, "hq.conf.1"), store.RevisionPath(1));
        // Read as text: loading would look for the secrets key beside the revision, and it is kept with the file here.
        Assert.Contains("set hostname \"rev-1\"", File.ReadAllText(store.RevisionPath(1)), StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.RevisionPath(2)));
        Assert.DoesNotContain(Directory.GetFiles(_directory), file => Path.GetFileName(file).StartsWith("hq.conf.", StringComparison.Ordinal));
        Assert.True(File.Exists(FilePath));
        Assert.Equal(["hq.conf.1", "hq.conf.2"], Directory.GetFiles(state).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    /// <summary>The file holds secrets: a save narrows a world-readable file and its old revisions to 0600.</summary>
    [Fact]
    public void Save_Makes_A_0644_File_And_Its_Old_Revisions_0600()
    {
        const UnixFileMode WorldReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var store = new ConfigurationStore(FilePath);
        File.WriteAllText(FilePath, BaseConfiguration.Text);
        File.WriteAllText(store.RevisionPath(1), BaseConfiguration.Text);
        File.SetUnixFileMode(FilePath, WorldReadable);
        File.SetUnixFileMode(store.RevisionPath(1), WorldReadable);

        store.Save(SaveLoopChild.Revision(_baseConfiguration, 1));

        Assert.Equal("rev-1", Hostname(FilePath));
        Assert.All([FilePath, store.RevisionPath(1), store.RevisionPath(2)], file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    /// <summary>
    /// The administrator's own file, secrets typed in clear: the first save keeps it as hq.conf.1 with every secret
    /// encrypted (or hashed), and that revision still loads to the same keys and passwords.
    /// </summary>
    [Fact]
    public void Revision_OfAFileWithClearSecrets_HoldsThemOnlyEncrypted_AndLoadsBackToTheSameSecrets()
    {
        File.WriteAllText(FilePath, ClearSecretsText);
        var original = ConfigurationLoader.LoadFile(FilePath).Configuration!;
        var store = new ConfigurationStore(FilePath);

        store.Save(SaveLoopChild.Revision(original, 1));

        var revision = File.ReadAllText(store.RevisionPath(1));
        foreach (var clear in (string[])["a-long-enough-secret", "another-secret", "alice-password-1", "correct horse"])
        {
            Assert.DoesNotContain(clear, revision, StringComparison.Ordinal);
        }

        Assert.Contains("set psksecret ENC " + SecretCipherLabel, revision, StringComparison.Ordinal);
        Assert.Contains("set passwd ENC " + SecretCipherLabel, revision, StringComparison.Ordinal);
        Assert.Contains("set password ENC pbkdf2-sha256$", revision, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.RevisionPath(1)));

        var loaded = ConfigurationLoader.LoadFile(store.RevisionPath(1));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        var kept = loaded.Configuration!;
        Assert.Equal(original.Phase1.Select(p => p.PresharedKey!.GetBytes()), kept.Phase1.Select(p => p.PresharedKey!.GetBytes()));
        Assert.Equal("alice-password-1"u8.ToArray(), Assert.Single(kept.LocalUsers).Password!.GetBytes());
        Assert.True(Assert.Single(kept.Admins).Password!.Verify("correct horse"));
        // The plaintext was hashed with a fresh salt when each was read; everything else is the same configuration.
        Assert.Equal(original, kept with { Admins = original.Admins });
    }

    /// <summary>SharpSwan's old base64 <c>ENC</c> form reads as clear text: the revision holds the key encrypted.</summary>
    [Fact]
    public void Revision_OfAFileWithOldBase64Secrets_HoldsThemEncrypted_AndLoadsBackToTheSameKey()
    {
        var base64 = Convert.ToBase64String("a-long-enough-secret"u8);
        File.WriteAllText(FilePath, BaseConfiguration.Text.Replace("set psksecret \"a-long-enough-secret\"", "set psksecret ENC " + base64, StringComparison.Ordinal));
        var original = ConfigurationLoader.LoadFile(FilePath);
        Assert.Contains(original.ConfigWarnings, w => w.Kind == WarningKind.LegacySecret);
        var store = new ConfigurationStore(FilePath);

        store.Save(SaveLoopChild.Revision(original.Configuration!, 1));

        var revision = File.ReadAllText(store.RevisionPath(1));
        Assert.DoesNotContain(base64, revision, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-enough-secret", revision, StringComparison.Ordinal);
        var loaded = ConfigurationLoader.LoadFile(store.RevisionPath(1));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.DoesNotContain(loaded.ConfigWarnings, w => w.Kind == WarningKind.LegacySecret);
        Assert.Equal("a-long-enough-secret"u8.ToArray(), loaded.Configuration!.Phase1[0].PresharedKey!.GetBytes());
        Assert.Equal(original.Configuration, loaded.Configuration);
    }

    /// <summary>A file SharpSwan wrote, secrets and password hashes included, is kept as a faithful revision.</summary>
    [Fact]
    public void Revision_OfAFileSharpSwanWrote_LoadsToTheSameConfiguration()
    {
        File.WriteAllText(FilePath, ClearSecretsText);
        var first = SaveLoopChild.Revision(ConfigurationLoader.LoadFile(FilePath).Configuration!, 1);
        var store = new ConfigurationStore(FilePath);
        store.Save(first);
        store.Save(SaveLoopChild.Revision(first, 2));

        var loaded = ConfigurationLoader.LoadFile(store.RevisionPath(1));
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        Assert.Equal(first, loaded.Configuration);
        Assert.Equal("rev-2", Hostname(FilePath));
    }

    /// <summary>
    /// A hand edit that does not load is the administrator's own text: the save replaces it with the running
    /// configuration and keeps it byte for byte (0600) to be mended from, not dropped and not refused.
    /// </summary>
    [Fact]
    public void Revision_OfAFileThatDoesNotLoad_IsKeptByteForByte_AndTheSaveGoesThrough()
    {
        var broken = BaseConfiguration.Text.Replace("set remote-gw 198.51.100.2", "set remote-gw 198.51.100.", StringComparison.Ordinal) + "\n# half-typed\n";
        File.WriteAllText(FilePath, broken);
        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        Assert.False(ConfigurationLoader.LoadFile(FilePath).IsValid);
        var store = new ConfigurationStore(FilePath);

        store.Save(SaveLoopChild.Revision(_baseConfiguration, 1));

        Assert.Equal("rev-1", Hostname(FilePath));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(broken), File.ReadAllBytes(store.RevisionPath(1)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.RevisionPath(1)));
    }

    [Fact]
    public void Loading_A_Group_Or_World_Readable_File_Warns_And_An_Owner_Only_One_Does_Not()
    {
        new ConfigurationStore(FilePath).Save(_baseConfiguration);
        var ownerOnly = ConfigurationLoader.LoadFile(FilePath);
        Assert.True(ownerOnly.IsValid);
        Assert.Empty(ownerOnly.Warnings);

        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var groupReadable = ConfigurationLoader.LoadFile(FilePath);
        Assert.True(groupReadable.IsValid);
        Assert.Single(groupReadable.Warnings);

        File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Single(ConfigurationLoader.LoadFile(FilePath).Warnings);
    }

    [Fact]
    public void LeftoverTemporaryFiles_OfAKilledSave_AreRemovedByTheNextSave()
    {
        var leftover = Path.Combine(_directory, ".hq.conf.0123456789abcdef.tmp");
        File.WriteAllText(leftover, "config vpn ipsec phase1-int");
        new ConfigurationStore(FilePath).Save(_baseConfiguration);
        Assert.False(File.Exists(leftover));
    }

    /// <summary>
    /// A child process saves in a loop and is killed with SIGKILL at whatever point it has reached, again and again;
    /// every time, the file (and every kept revision) is a complete configuration the gateway can start from.
    /// </summary>
    [Fact]
    public void KillNineDuringSaves_AlwaysLeavesAValidFile()
    {
        var store = new ConfigurationStore(FilePath);
        var lastSeen = 0;
        for (var round = 0; round < 12; round++)
        {
            using var child = StartSaver();
            var wanted = 1 + (round % 4);
            var saves = 0;
            while (saves < wanted && child.StandardOutput.ReadLine() is { } line)
            {
                Assert.StartsWith("saved ", line, StringComparison.Ordinal);
                saves++;
            }

            Assert.Equal(wanted, saves);
            child.Kill(entireProcessTree: true);
            child.WaitForExit();

            var loaded = ConfigurationLoader.LoadFile(FilePath);
            Assert.True(loaded.IsValid, $"round {round}: " + string.Join("\n", loaded.Errors));
            var hostname = loaded.Configuration!.Global.Hostname;
            Assert.StartsWith("rev-", hostname, StringComparison.Ordinal);
            Assert.Equal(SaveLoopChild.Revision(_baseConfiguration, int.Parse(hostname[4..], System.Globalization.CultureInfo.InvariantCulture)), loaded.Configuration);
            lastSeen = Math.Max(lastSeen, int.Parse(hostname[4..], System.Globalization.CultureInfo.InvariantCulture));
            for (var age = 1; age <= store.KeptRevisions; age++)
            {
                if (File.Exists(store.RevisionPath(age)))
                {
                    Assert.True(ConfigurationLoader.LoadFile(store.RevisionPath(age)).IsValid, $"round {round}: revision {age} is not valid");
                }
            }
        }

        Assert.True(lastSeen >= 1);
    }

    private Process StartSaver()
    {
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            ArgumentList = { "exec", typeof(SaveLoopChild).Assembly.Location },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment[SaveLoopChild.Variable] = FilePath;
        return Process.Start(start) ?? throw new InvalidOperationException("cannot start the saver");
    }

    private static string Hostname(string path)
    {
        var loaded = ConfigurationLoader.LoadFile(path);
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        return loaded.Configuration!.Global.Hostname;
    }
}
