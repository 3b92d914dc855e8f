using System.Net;
using SharpSwan.Gateway.Control;
using SharpSwan.Web.Tests.Support;

namespace SharpSwan.Web.Tests;

/// <summary>
/// The CLI and the web edit one text model: a REST change to a tunnel carries every other table through untouched,
/// including single-object tables besides <c>system global</c> that the CLI configured.
/// </summary>
public sealed class OneTextModelTests
{
    [Fact]
    public async Task RestChange_KeepsTheSyslogSettingsTheCliMade()
    {
        await using var host = await WebTestHost.StartAsync();
        using var cli = new ConfigCommands(host.Applier, null, host.EditTracker);
        var output = new StringWriter { NewLine = "\n" };
        var session = new ControlSession();
        foreach (var line in (string[])["config log syslogd setting", "set status enable", "set server 10.0.0.5", "set port 5514", "end"])
        {
            Assert.True(await cli.TryHandleAsync(session, line, output, CancellationToken.None), line);
        }

        Assert.Equal("", output.ToString());
        Assert.True(host.Applier.Current.Syslog.IsActive);

        using var api = host.Api();
        using (var put = await api.PutAsync("/api/v2/cmdb/vpn.ipsec/phase1-interface/to-branch", WebTestHost.Json("""{"keylife": 7200, "comments": "two words \"quoted\""}""")))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var current = host.Applier.Current;
        Assert.Equal(7200, current.FindPhase1("to-branch")!.KeyLifeSeconds);
        Assert.Equal("two words \"quoted\"", current.FindPhase1("to-branch")!.Comments);
        Assert.True(current.Syslog.IsActive);
        Assert.Equal("10.0.0.5", current.Syslog.Server);
        Assert.Equal(5514, current.Syslog.Port);
    }
}
