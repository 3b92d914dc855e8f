namespace SharpSwan.Config.Tests;

/// <summary>Issue 16 item 1: tables outside SharpSwan's scope are kept verbatim with a warning, not refused.</summary>
public sealed class KeptTableTests
{
    private const string Bgp = """
        config router bgp
            set as 65010
            config neighbor
                edit "169.254.21.1"
                    set remote-as 65515
                    set password "neighbour-secret"
                next
            end
        end
        """;

    [Fact]
    public void UnknownTable_IsKeptWithAWarningNamingItAndWhatToUseInstead()
    {
        var result = ConfigurationLoader.Parse(ConfigText.ReadmeSample + "\n" + Bgp, "hq.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var warning = Assert.Single(result.ConfigWarnings);
        Assert.Equal(WarningKind.KeptTable, warning.Kind);
        Assert.Equal("router bgp", warning.Subject);
        Assert.Equal(ConfigText.ReadmeSample.Split('\n').Length + 1, warning.Line);
        Assert.StartsWith("hq.conf:", warning.ToString(), StringComparison.Ordinal);
        Assert.Contains("warning: config router bgp is kept as it is but SharpSwan does not act on it: run a routing daemon such as FRR", warning.ToString(), StringComparison.Ordinal);

        var kept = Assert.Single(result.Configuration!.KeptTables);
        Assert.Equal("router bgp", kept.Path);
        Assert.Equal(["set as 65010", "config neighbor", "edit \"169.254.21.1\"", "set remote-as 65515", "set password ENC ****", "next", "end"], kept.Lines.Select(l => l.ToString()));
        Assert.Equal([1, 1, 2, 3, 3, 2, 1], kept.Lines.Select(l => l.Depth));
    }

    [Fact]
    public void KeptTable_RoundTripsThroughTheWriter_WithItsSecretEncrypted()
    {
        var configuration = ConfigText.ParseValid(ConfigText.ReadmeSample + "\n" + Bgp);
        var written = ConfigurationWriter.Write(configuration, fullConfiguration: true);
        Assert.Contains("config router bgp\n    set as 65010\n    config neighbor\n        edit \"169.254.21.1\"\n            set remote-as 65515\n            set password ENC sharpswan-aes256gcm$", written, StringComparison.Ordinal);
        Assert.DoesNotContain("neighbour-secret", written, StringComparison.Ordinal);
        Assert.Equal(configuration, ConfigText.ParseValid(written));
    }

    /// <summary>Found by the config fuzz target: an edit closed by 'end' without 'next' was written back with a second 'end'.</summary>
    [Fact]
    public void KeptEntry_ClosedByEndWithoutNext_RoundTripsThroughTheWriter()
    {
        var configuration = ConfigText.ParseValid(ConfigText.ReadmeSample + "\nconfig router bgp\n    config neighbor\n        edit \"a\"\n            set remote-as 65515\n    end\nend\nconfig system dns\n    edit \"x\"\n        set primary 192.0.2.53\nend\n");

        var written = ConfigurationWriter.Write(configuration, fullConfiguration: false);

        Assert.Equal(configuration, ConfigText.ParseValid(written));
        Assert.Equal([1, 2, 3, 1], configuration.KeptTables[0].Lines.Select(l => l.Depth));
        Assert.Equal(["edit \"x\"", "set primary 192.0.2.53"], configuration.KeptTables[1].Lines.Select(l => l.ToString()));
    }

    [Fact]
    public void KeptTable_SurvivesAnEditorChange()
    {
        var configuration = ConfigText.ParseValid(ConfigText.ReadmeSample + "\n" + Bgp);
        var document = SharpSwan.Config.Editing.EditableDocument.FromConfiguration(configuration);
        document.Find("vpn ipsec phase2-interface", "to-branch-p2")!.Set("keylifeseconds", ["3600"]);
        var rendered = document.Render().Text;
        var changed = ConfigText.ParseValid(rendered);
        Assert.True(configuration.KeptTables.SequenceEqual(changed.KeptTables));
        Assert.Single(changed.KeptTables);
        Assert.Equal(3600, changed.Phase2[0].KeyLifeSeconds);
    }

    [Theory]
    [InlineData("config vdom", "multi-VDOM backup")]
    [InlineData("config vpn ipsec manualkey-interface", "manual-key IPsec is not supported")]
    [InlineData("config vpn ipsec concentrator", "VPN concentrators")]
    public void TablesThatChangeWhatTheFileMeans_AreRefusedWithTheWayForward(string config, string reason)
    {
        var error = ConfigText.SingleError(config + "\n    edit \"x\"\n    next\nend\n");
        Assert.Equal(1, error.Line);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void InsideATableSharpSwanReads_AnUnknownSettingIsStillRefused()
    {
        var error = ConfigText.SingleError(ConfigText.Phase1With("set no-such-setting 1"));
        Assert.Equal("'no-such-setting' is not a config vpn ipsec phase1-interface setting", error.Reason);
    }

    [Fact]
    public void SystemGlobalSettingsOfOtherFeatures_AreKeptWithOneWarning()
    {
        var result = ConfigurationLoader.Parse("config system global\n    set hostname \"hq\"\n    set gui-theme mariner\n    set fortiguard-anycast enable\nend\n", "g.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var warning = Assert.Single(result.ConfigWarnings);
        Assert.Equal(WarningKind.KeptSettings, warning.Kind);
        Assert.Contains("2 setting(s) of other FortiOS features kept as they are but not acted on (gui-theme, fortiguard-anycast)", warning.Message, StringComparison.Ordinal);
        Assert.Equal(["gui-theme", "fortiguard-anycast"], result.Configuration!.Global.OtherSettings.Select(s => s.Name));
    }

    /// <summary>Found by the config fuzz target: a quoted, multi-line "table name" was kept and written back unparseable.</summary>
    [Theory]
    [InlineData("config router \"bg\np\"\nend\n", 1)]
    [InlineData("config vnn ip|el\nend\n", 1)]
    public void ATableNameThatIsNotPlainWords_IsRefusedAtItsLine(string text, int line)
    {
        var result = ConfigurationLoader.Parse(text, "odd.conf");
        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Line == line && e.Reason.Contains("is not a FortiOS table name", StringComparison.Ordinal));
    }
}
