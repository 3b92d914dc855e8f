using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Cli.Tests.Editing;

/// <summary>Tab completion and <c>?</c> help: keywords, table paths, entry and field names, enum values, ranges and defaults.</summary>
public sealed partial class CompletionAndHelpTests : IDisposable
{
    private readonly EditorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public void TopLevel_CompletesCommandsAndPaths()
    {
        var editor = _harness.NewEditor();
        Assert.Equal(["config"], editor.Complete("con"));
        Assert.Equal(["phase1-interface", "phase1", "phase2-interface", "phase2"], editor.Complete("config vpn ipsec ph"));
        Assert.Equal(["phase2-interface", "phase2"], editor.Complete("config vpn ipsec phase2"));
        Assert.Equal(["to-branch", "dialup"], editor.Complete("show vpn ipsec phase1-interface "));
        Assert.Empty(editor.Complete("config vpn ipsec phase1-interface "));
    }

    [Fact]
    public async Task InsideAnEntry_CompletesFieldsAndEnumValues()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface");
        Assert.Equal(["to-branch"], editor.Complete("edit to"));
        Assert.Contains("rename", editor.Complete("r"));
        await EditorHarness.Run(editor, "edit to-branch");
        Assert.Equal(["keylife"], editor.Complete("set keyl"));
        Assert.Equal(["static", "dynamic"], editor.Complete("set type ")); // ddns is refused: not offered
        Assert.Equal(["on-idle", "on-demand"], editor.Complete("set dpd on"));
        Assert.Equal(["dhgrp", "proposal"], editor.Complete("append ").Order(StringComparer.Ordinal));
        Assert.Equal(["aes128-sha256"], editor.Complete("unselect proposal "));
        Assert.Equal(["set", "select"], editor.Complete("se"));
    }

    [Fact]
    public async Task PhaseOneName_CompletesExistingPhase1s()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase2-interface", "edit to-branch-p2");
        Assert.Equal(["to-branch", "dialup"], editor.Complete("set phase1name "));
    }

    [Fact]
    public async Task Help_NeverRepeatsTheCurrentPreSharedKey()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch", "set psksecret help-must-not-show-this");
        var value = editor.Help("set psksecret ");
        Assert.Contains("psksecret", editor.Help("set "), StringComparison.Ordinal);
        Assert.DoesNotContain("help-must-not-show-this", value, StringComparison.Ordinal);
        Assert.DoesNotContain("now:", value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsWhatMayFollow_WithDescriptionRangeAndDefault()
    {
        var editor = _harness.NewEditor();
        var top = editor.Help("");
        Assert.Matches(@"(?m)^config +configure", top);
        Assert.Matches(@"(?m)^show +show the configuration", top);

        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch");
        var fields = editor.Help("set ");
        Assert.Matches(@"(?m)^keylife +phase 1 \(IKE SA\) lifetime in seconds \(120-172800, default 86400\)$", fields);
        Assert.Matches(@"(?m)^dpd +dead peer detection \(disable\|on-idle\|on-demand, default on-demand\)$", fields);

        var value = editor.Help("set keylife ");
        Assert.Matches(@"^<integer> +phase 1 \(IKE SA\) lifetime in seconds \(120-172800, default 86400\) \[now: 86400\]\n$", value);

        var choices = editor.Help("set dpd ");
        Assert.Matches(@"(?m)^on-demand +\(default\)$", choices);
        Assert.Matches(@"(?m)^on-idle +$", choices);

        Assert.Matches(@"(?m)^keylife ", editor.Help("set key"));
        Assert.DoesNotMatch(@"(?m)^dpd ", editor.Help("set key"));
    }

    /// <summary>
    /// Every numeric range the help announces is the parser's: both bounds are accepted and one past each is refused.
    /// </summary>
    [Theory]
    [InlineData("vpn ipsec phase1-interface", "to-branch")]
    [InlineData("vpn ipsec phase2-interface", "to-branch-p2")]
    [InlineData("router static", "1")]
    public async Task AnnouncedRanges_AreExactlyWhatTheParserAccepts(string path, string entry)
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, $"config {path}", $"edit {entry}");
        var checkedRanges = 0;
        foreach (var field in editor.Complete("set "))
        {
            var help = editor.Help($"set {field} ");
            var match = RangePattern().Match(help);
            if (!help.StartsWith("<integer>", StringComparison.Ordinal) || !match.Success)
            {
                continue;
            }

            var (min, max) = (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
            foreach (var (value, accepted) in new[] { (min, true), (max, true), (min - 1, false), (max + 1, false) })
            {
                if (value < 0)
                {
                    continue;
                }

                var (output, status) = await EditorHarness.Run(editor, $"set {field} {value}");
                Assert.True(accepted == (status == 0), $"set {field} {value}: expected {(accepted ? "accepted" : "refused")}, got {output}");
            }

            checkedRanges++;
        }

        Assert.True(checkedRanges >= 3, $"only {checkedRanges} ranges found in {path}");
    }

    [GeneratedRegex(@"\((\d+)-(\d+)")]
    private static partial Regex RangePattern();
}
