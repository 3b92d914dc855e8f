namespace SharpSwan.Cli.Tests.Editing;

/// <summary>
/// The CLI accepts exactly what the configuration file accepts, with the same message: each <c>set</c> is tried in the
/// editor and, in the same place, in a file.
/// </summary>
public sealed class EditorMatchesFileTests : IDisposable
{
    private readonly EditorHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    /// <summary>
    /// `ike-version 1` used to be refused at its value (IKEv1 unsupported), then at the end for its default dpd. IKEv1 main
    /// mode and its dead peer detection are implemented now, so the entry is accepted at its value and when it ends, as in a file.
    /// </summary>
    [Fact]
    public async Task IkeVersion1_AcceptedAtItsValueAndAtEnd_WithTheDefaultDpd_LikeTheFile()
    {
        var file = EditorHarness.Base.Replace("        set dhgrp 14\n", "        set dhgrp 14\n        set ike-version 1\n", StringComparison.Ordinal);
        var fileErrors = ConfigurationLoader.Parse(file, "x.conf").Errors;

        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch");
        var (output, status) = await EditorHarness.Run(editor, "set ike-version 1");
        var (ended, endStatus) = await EditorHarness.Run(editor, "end");

        Assert.Equal(0, status);
        Assert.Equal("", output);
        Assert.Empty(fileErrors);
        Assert.Equal(0, endStatus);
        Assert.DoesNotContain("MUST be set", ended, StringComparison.Ordinal);
        Assert.Equal(1, _harness.Current.FindPhase1("to-branch")!.IkeVersion);
    }

    [Theory]
    [InlineData("keylife 120")]
    [InlineData("keylife 119")]
    [InlineData("keylife 12x")]
    [InlineData("proposal aes128-sha256 aes256gcm-prfsha384")]
    [InlineData("proposal aes128-md9")]
    [InlineData("dhgrp 14 19")]
    [InlineData("dhgrp 5")]
    [InlineData("dhgrp 99")]
    [InlineData("psksecret short")]
    [InlineData("psksecret 0x0011aabb")]
    [InlineData("psksecret 0x001")]
    [InlineData("psksecret ENC bm90IGJhc2U2NA==")]
    [InlineData("local-gw 192.0.2.300")]
    [InlineData("ipv4-netmask 255.0.255.0")]
    [InlineData("transport tcp")]
    [InlineData("xauthtype pam")] // not a FortiOS keyword; pap on IKEv2 is now a cross-field refusal, reported at end (CrossFieldEditorTests style)
    [InlineData("net-device enable")]
    [InlineData("localid \"a very long local identity that goes well past the sixty-three character limit\"")]
    [InlineData("peertype dialup")]
    public async Task Phase1Setting_SameVerdictAndMessage(string setting)
    {
        var file = EditorHarness.Base.Replace("        set dhgrp 14\n", $"        set dhgrp 14\n        set {setting}\n", StringComparison.Ordinal);
        Assert.NotEqual(EditorHarness.Base, file);
        var fileErrors = ConfigurationLoader.Parse(file, "x.conf").Errors;

        var editor = _harness.NewEditor();
        await EditorHarness.Run(editor, "config vpn ipsec phase1-interface", "edit to-branch");
        var (output, status) = await EditorHarness.Run(editor, "set " + setting);
        var (ended, endStatus) = await EditorHarness.Run(editor, "end");

        if (fileErrors.IsEmpty)
        {
            Assert.Equal(0, status);
            Assert.Equal(0, endStatus);
            Assert.Equal("", output + ended);
        }
        else
        {
            Assert.NotEqual(0, status);
            foreach (var error in fileErrors)
            {
                Assert.Contains(error.Message, output, StringComparison.Ordinal);
                Assert.Contains(error.Reason, output, StringComparison.Ordinal);
            }
        }
    }
}
