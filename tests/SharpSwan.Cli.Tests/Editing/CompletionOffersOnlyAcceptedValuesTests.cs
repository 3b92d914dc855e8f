using SharpSwan.Config.Editing;

namespace SharpSwan.Cli.Tests.Editing;

/// <summary>
/// Tab and <c>?</c> agree with <c>set</c>: a value is offered only when <c>set</c> would take it in the open entry, so a
/// FortiOS value SharpSwan refuses (type ddns, transport tcp, encapsulation gre) is never suggested, yet still answered
/// with its reason when typed.
/// </summary>
public sealed class CompletionOffersOnlyAcceptedValuesTests : IDisposable
{
    private readonly EditorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("config vpn ipsec phase1-interface", "edit to-branch")]
    [InlineData("config vpn ipsec phase1-interface", "edit dialup")]
    [InlineData("config vpn ipsec phase2-interface", "edit to-branch-p2")]
    [InlineData("config system global", null)]
    public async Task EveryValueTabOffers_IsTakenBySet(string config, string? edit)
    {
        string[] open = edit is null ? [config] : [config, edit];
        var probe = _harness.NewEditor();
        await EditorHarness.Run(probe, open);
        var refused = new List<string>();
        foreach (var field in probe.Complete("set "))
        {
            foreach (var value in probe.Complete($"set {field} "))
            {
                var editor = _harness.NewEditor();
                await EditorHarness.Run(editor, open);
                var (output, status) = await EditorHarness.Run(editor, $"set {field} {value}");
                if (status != 0)
                {
                    refused.Add($"{field} {value}: {output.Replace('\n', ' ')}");
                }
            }
        }

        Assert.True(refused.Count == 0, "offered by Tab, refused by set:\n" + string.Join("\n", refused));
    }

    [Fact]
    public async Task ARefusedValue_IsNeitherCompletedNorListed_ButTypedItIsStillAnsweredWithItsReason()
    {
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch");
        Assert.Equal(["static", "dynamic"], editor.Complete("set type "));
        Assert.Empty(editor.Complete("set type dd"));
        Assert.DoesNotMatch("(?m)^ddns ", editor.Help("set type "));
        Assert.Equal(["udp", "auto"], editor.Complete("set transport "));

        var (_, status) = await EditorHarness.Run(editor, "set type ddns");
        Assert.Equal(EditError.BadValue, status);
    }

    [Fact]
    public async Task AValueRefusedOnlyInThisEntry_IsOfferedWhereSetTakesIt()
    {
        // peertype peergrp matches certificates: refused beside authmethod psk, taken beside signature.
        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch");
        Assert.DoesNotContain("peergrp", editor.Complete("set peertype "));
        await EditorHarness.Run(editor, "set authmethod signature");
        Assert.Contains("peergrp", editor.Complete("set peertype "));
    }
}
