namespace SharpSwan.Config.Tests.Honesty;

/// <summary>
/// Walks every setting of every supported table (issue 11 item 15): each accepted one is honoured (read into the model and
/// exercised by a test configuration), changes nothing (with why), is refused for every value but the default (checked
/// here by parsing a refused value), or is a listed known gap; a setting nobody classified fails the walk.
/// </summary>
public sealed class SettingsWalkTests
{
    private static readonly string RepositoryRoot = FindRoot();

    [Fact]
    public void TheCatalog_CoversEverySupportedTable()
    {
        Assert.Equal(SettingCatalog.SupportedPaths.Order(), SettingCatalog.Tables.Select(t => t.Path).Order());
    }

    [Fact]
    public void EveryKeptSetting_IsClassified()
    {
        var noEffect = SettingLedger.NoEffect.Values.SelectMany(v => v).ToHashSet(StringComparer.Ordinal);
        var unclassified = new List<string>();
        foreach (var table in SettingCatalog.Tables.Where(t => !t.KeepsUnknownFields))
        {
            var gaps = SettingLedger.GapsOf(table.Path);
            foreach (var field in table.Kept)
            {
                var known = noEffect.Contains(field) || gaps.Contains(field) || IsDefaultOnly(field, table.Path)
                    || (table.Path.StartsWith("vpn ipsec phase2", StringComparison.Ordinal) && SettingLedger.Ipv6SelectorDefaults.Contains(field));
                if (!known)
                {
                    unclassified.Add($"{table.Path}: {field}");
                }
            }
        }

        Assert.True(unclassified.Count == 0, "accepted but not classified in SettingLedger:\n" + string.Join("\n", unclassified));
    }

    [Fact]
    public void EveryInterpretedSetting_IsExercisedByATestConfiguration_OrIsAKnownGap()
    {
        var sources = Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.EndsWith("SettingLedger.cs", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .ToList();
        var missing = new List<string>();
        foreach (var table in SettingCatalog.Tables)
        {
            foreach (var field in table.Interpreted.Where(f => !SettingLedger.GapsOf(table.Path).Contains(f)))
            {
                if (!sources.Any(s => s.Contains($"set {field} ", StringComparison.Ordinal) || s.Contains($"set {field}\"", StringComparison.Ordinal)))
                {
                    missing.Add($"{table.Path}: {field}");
                }
            }
        }

        Assert.True(missing.Count == 0, "read into the model but set by no test configuration:\n" + string.Join("\n", missing));
    }

    /// <summary>
    /// Honoured means more than "some test sets it": for every interpreted vpn ipsec setting, one of the values the test
    /// configurations use must change the model, seen as a different full <c>show</c> of a minimal configuration.
    /// </summary>
    [Fact]
    public void EveryInterpretedIpsecSetting_ChangesTheModel_WithAValueATestConfigurationUses()
    {
        var lines = Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .ToList();
        var unchanged = new List<string>();
        foreach (var table in SettingCatalog.Tables.Where(t => t.Path.StartsWith("vpn ipsec", StringComparison.Ordinal)))
        {
            var baseline = Show(Entry(table.Path, string.Empty));
            Assert.NotNull(baseline);
            foreach (var field in table.Interpreted.Where(f => !SettingLedger.NeedsContextToChangeTheModel.ContainsKey(f)))
            {
                if (!ValuesUsedByTests(lines, field).Any(value => Show(Entry(table.Path, $"set {field} {value}")) is { } shown && shown != baseline))
                {
                    unchanged.Add($"{table.Path}: {field}");
                }
            }
        }

        Assert.True(unchanged.Count == 0, "no value the tests use changes the model:\n" + string.Join("\n", unchanged));
    }

    [Fact]
    public void DefaultOnlySettings_RefuseEveryOtherValue_InEveryTableThatHasThem()
    {
        foreach (var table in SettingCatalog.Tables.Where(t => t.Path.StartsWith("vpn ipsec", StringComparison.Ordinal)))
        {
            foreach (var field in table.Kept.Where(f => IsDefaultOnly(f, table.Path)))
            {
                var (accepted, refused) = Values(field, table.Path);
                var good = ConfigurationLoader.Parse(Entry(table.Path, $"set {field} {accepted}"), "walk.conf");
                Assert.True(good.IsValid, $"{table.Path} {field} {accepted}: {string.Join("; ", good.Errors)}");
                var bad = ConfigurationLoader.Parse(Entry(table.Path, $"set {field} {refused}"), "walk.conf");
                Assert.False(bad.IsValid, $"{table.Path} {field} {refused} was accepted");
                Assert.Contains(bad.Errors, e => e.Reason.Length > 0 && e.Line == SettingLine(table.Path));
            }
        }
    }

    [Fact]
    public void DefaultOnlySettings_OutsideIpsec_RefuseEveryOtherValue_AtTheirLine()
    {
        foreach (var (path, fields) in SettingLedger.DefaultOnlyIn)
        {
            var table = Assert.Single(SettingCatalog.Tables, t => t.Path == path);
            foreach (var (field, (accepted, refused)) in fields)
            {
                Assert.Contains(field, table.Kept);
                var (goodText, line) = TableEntry(path, $"set {field} {accepted}");
                var good = ConfigurationLoader.Parse(goodText, "walk.conf");
                Assert.DoesNotContain(good.Errors, e => e.Line == line);
                var (badText, _) = TableEntry(path, $"set {field} {refused}");
                var bad = ConfigurationLoader.Parse(badText, "walk.conf");
                Assert.Contains(bad.Errors, e => e.Reason.Contains("SharpSwan", StringComparison.Ordinal) && e.Line == line);
            }
        }
    }

    [Theory]
    [InlineData("vpn ipsec phase1-interface", "type ddns")]
    [InlineData("vpn ipsec phase1-interface", "authmethod-remote signature")]
    [InlineData("vpn ipsec phase1-interface", "peertype dialup")]
    [InlineData("vpn ipsec phase1-interface", "peertype peergrp")] // with authmethod psk: a peer group is matched against certificates only
    [InlineData("vpn ipsec phase2-interface", "encapsulation transport-mode")]
    [InlineData("vpn ipsec phase2-interface", "src-subnet6 2001:db8::/64")]
    public void ValuesThatWouldBeSilentlyIgnored_AreRefusedWithAReason(string path, string setting)
    {
        var result = ConfigurationLoader.Parse(Entry(path, "set " + setting), "walk.conf");
        Assert.False(result.IsValid);
        var error = Assert.Single(result.Errors);
        Assert.Equal(SettingLine(path), error.Line);
        Assert.Contains("SharpSwan", error.Reason, StringComparison.Ordinal);
    }

    /// <summary>The full <c>show</c> of a configuration, or null when it does not load.</summary>
    private static string? Show(string text) =>
        ConfigurationLoader.Parse(text, "walk.conf") is { IsValid: true, Configuration: { } configuration }
            ? ConfigurationWriter.Write(configuration, fullConfiguration: true)
            : null;

    /// <summary>The literal values test sources give <paramref name="field"/> (<c>set field VALUE</c>), at most 20.</summary>
    private static IEnumerable<string> ValuesUsedByTests(IEnumerable<string> lines, string field)
    {
        var marker = $"set {field} ";
        return lines.Select(line => line.IndexOf(marker, StringComparison.Ordinal) is var at and >= 0 ? line[(at + marker.Length)..] : null)
            .OfType<string>()
            .Select(rest => rest.Split("\\n")[0].TrimEnd(';', ')', ',', ' ', ']'))
            .Select(rest => rest.EndsWith('"') && rest.Count(c => c == '"') % 2 == 1 ? rest[..^1] : rest)
            .Where(value => value.Length > 0 && !value.Contains('{', StringComparison.Ordinal) && !value.Contains("\\\"", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Take(20);
    }

    private static bool IsDefaultOnly(string field, string path) =>
        (path.StartsWith("vpn ipsec", StringComparison.Ordinal) && SettingLedger.DefaultOnly.ContainsKey(field))
        || (field == "encapsulation" && path.StartsWith("vpn ipsec phase1", StringComparison.Ordinal))
        || (SettingLedger.DefaultOnlyIn.TryGetValue(path, out var fields) && fields.ContainsKey(field));

    /// <summary>One entry of a table outside vpn ipsec holding <paramref name="setting"/>, and the line it is on.</summary>
    private static (string Text, int Line) TableEntry(string path, string setting) => path switch
    {
        "log syslogd setting" => ($"config {path}\n    {setting}\nend\n", 2),
        // Entries of these tables are numbered, not named.
        "firewall policy" or "router static" => ($"config {path}\n    edit 1\n        {setting}\n    next\nend\n", 3),
        _ => ($"config {path}\n    edit \"walk\"\n        {setting}\n    next\nend\n", 3),
    };

    private static (string Accepted, string Refused) Values(string field, string path) =>
        field == "encapsulation" ? SettingLedger.DefaultOnly["encapsulation|p1"] : SettingLedger.DefaultOnly[field];

    /// <summary>A minimal valid configuration with <paramref name="setting"/> in the one entry of <paramref name="path"/>.</summary>
    private static string Entry(string path, string setting)
    {
        var phase1Path = path.Replace("phase2", "phase1", StringComparison.Ordinal);
        var phase1 = $"config {phase1Path}\n    edit \"p1\"\n        set interface \"eth0\"\n        set ike-version 2\n        set remote-gw 192.0.2.1\n        set psksecret \"minimal-psk\"\n";
        if (path.Contains("phase1", StringComparison.Ordinal))
        {
            return phase1 + $"        {setting}\n    next\nend\n";
        }

        return phase1 + $"    next\nend\nconfig {path}\n    edit \"p2\"\n        set phase1name \"p1\"\n        {setting}\n    next\nend\n";
    }

    private static int SettingLine(string path) => path.Contains("phase1", StringComparison.Ordinal) ? 7 : 12;

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SharpSwan.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
