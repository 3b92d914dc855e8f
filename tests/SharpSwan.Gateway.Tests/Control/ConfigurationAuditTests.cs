using Microsoft.Extensions.Logging;
using SharpSwan.Gateway.Control;
using SharpSwan.Platform;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Control;

/// <summary>Issue 15 item 5: each configuration change is logged with who made it, as structured values.</summary>
public sealed class ConfigurationAuditTests
{
    [Fact]
    public void AnAppliedChange_IsLoggedWithItsAuthor_SourceAndRevision()
    {
        var log = new CapturedLog();
        var author = ChangeAuthor.Cli(new ControlPeer(4242, 1000, "alice"));

        ConfigurationAudit.Record(log, author, new ConfigurationApplyResult(true, 7, ["to-branch"], null));

        var (level, state) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Information, level);
        Assert.Equal("alice", state["Admin"]);
        Assert.Equal("cli", state["Source"]);
        Assert.Equal("uid 1000 pid 4242", state["From"]);
        Assert.Equal(7, state["Revision"]);
        Assert.Equal("to-branch", state["Changed"]);
    }

    [Fact]
    public void ARefusedChange_IsAWarning_WithItsAuthorAndTheReason()
    {
        var log = new CapturedLog();

        ConfigurationAudit.Record(log, ChangeAuthor.Reload, new ConfigurationApplyResult(false, 3, [], "interface wan9 has no IPv4 address"));

        var (level, state) = Assert.Single(log.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal("reload", state["Admin"]);
        Assert.Equal("reload", state["Source"]);
        Assert.Equal("SIGHUP", state["From"]);
        Assert.Equal(3, state["Revision"]);
        Assert.Equal("interface wan9 has no IPv4 address", state["Error"]);
    }

    [Theory]
    [InlineData(ChangeSource.Rest, "rest")]
    [InlineData(ChangeSource.Gui, "gui")]
    public void WebChanges_CarryTheAdminAndTheClientAddress(ChangeSource source, string expected)
    {
        var log = new CapturedLog();

        ConfigurationAudit.Record(log, new ChangeAuthor("automation", source, "192.0.2.50"), new ConfigurationApplyResult(true, 2, [], null));

        var state = Assert.Single(log.Entries).State;
        Assert.Equal(("automation", expected, "192.0.2.50"), (state["Admin"], state["Source"], state["From"]));
    }
}
