using SharpSwan.Cli.Tests.Editing;
using SharpSwan.Config;

namespace SharpSwan.Cli.Tests.Syslog;

/// <summary>The syslog settings configured from the CLI (moved from SharpSwan.Config.Tests' SyslogSettingsTests).</summary>
public sealed class SyslogEditorTests
{
    [Fact]
    public async Task CliEditor_ConfiguresSyslog_WithTheSameChecks()
    {
        using var harness = new EditorHarness();
        var editor = harness.NewEditor();
        var (badPort, status) = await EditorHarness.Run(editor, "config log syslogd setting", "set port 70000");
        Assert.NotEqual(0, status);
        Assert.Contains("value parse error before '70000'", badPort, StringComparison.Ordinal);

        var (printed, ok) = await EditorHarness.Run(editor, "set status enable", "set server 10.0.0.5", "set facility local0", "end");
        Assert.True(ok == 0, printed);
        Assert.True(harness.Current.Syslog.IsActive);
        Assert.Equal(SyslogFacility.Local0, harness.Current.Syslog.Facility);
        Assert.Equal(SyslogSettings.DefaultPort, harness.Current.Syslog.Port);

        var (shown, _) = await EditorHarness.Run(harness.NewEditor(), "show log syslogd setting");
        Assert.Contains("set server \"10.0.0.5\"", shown, StringComparison.Ordinal);

        // Enabling without a server is refused when the block ends, with nothing applied.
        var (refused, code) = await EditorHarness.Run(harness.NewEditor(), "config log syslogd setting", "unset server", "end");
        Assert.NotEqual(0, code);
        Assert.Contains("Attribute 'server' MUST be set.", refused, StringComparison.Ordinal);
        Assert.Equal("10.0.0.5", harness.Current.Syslog.Server);
    }
}
