using System.Runtime.Versioning;
using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Logging;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Control;

/// <summary>
/// Configuration editing through the real control socket and command handler (a real engine on its thread, no
/// sockets or devices, so no root): the session keeps its context, changes reach the applier, the file is saved.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ConfigCommandsTests : IDisposable
{
    private const string Configuration = """
        config vpn ipsec phase1-interface
            edit "to-branch"
                set interface "eth0"
                set ike-version 2
                set local-gw 192.0.2.1
                set remote-gw 198.51.100.2
                set proposal aes256gcm-prfsha384
                set dhgrp 20
                set psksecret "very-secret-psk-value"
            next
        end
        config vpn ipsec phase2-interface
            edit "to-branch-p2"
                set phase1name "to-branch"
                set proposal aes256gcm
                set src-subnet 10.1.0.0 255.255.255.0
                set dst-subnet 10.2.0.0 255.255.255.0
            next
        end
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("sharpswan-cfgcmd-").FullName;
    private readonly EngineLoop _loop = new(TimeProvider.System);
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);
    private readonly RecordingApplier _applier;
    private readonly ConfigCommands _commands;
    private readonly ControlServer _server;

    public ConfigCommandsTests()
    {
        var initial = ConfigurationLoader.Parse(Configuration, "hq.conf").Configuration!;
        File.WriteAllText(ConfigPath, Configuration);
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
        _loop.Start(new IkeEngine(initial, options, TimeProvider.System, SystemRandomSource.Instance, new GatewayEngineHost(_dataPlane, 4500), NullIkeLog.Instance));
        _applier = new RecordingApplier(initial);
        _commands = new ConfigCommands(_applier, new ConfigurationStore(ConfigPath));
        var handler = new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System) { Applier = _applier, Configuration = _commands };
        _server = ControlServer.Start(SocketPath, handler.OpenSession);
    }

    private string ConfigPath => Path.Combine(_directory, "hq.conf");

    private string SocketPath => Path.Combine(_directory, "gw.sock");

    public void Dispose()
    {
        _server.Dispose();
        _commands.Dispose();
        _loop.Dispose();
        _dataPlane.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task EditingSession_KeepsItsContext_AppliesOnEnd_AndSavesTheFile()
    {
        await using var client = await Connect();
        var output = new StringWriter { NewLine = "\n" };
        Assert.Equal("sharpswan # ", client.Prompt);

        Assert.Equal(0, await client.ExecuteAsync("config vpn ipsec phase2-interface", output, CancellationToken.None));
        Assert.Equal("sharpswan (phase2-interface) # ", client.Prompt);
        Assert.Equal(0, await client.ExecuteAsync("edit to-branch-p2", output, CancellationToken.None));
        Assert.Equal("sharpswan (to-branch-p2) # ", client.Prompt);
        Assert.Equal(0, await client.ExecuteAsync("set keylifeseconds 3600", output, CancellationToken.None));
        Assert.Empty(_applier.Applied);
        Assert.Equal(0, await client.ExecuteAsync("end", output, CancellationToken.None));
        Assert.Equal("sharpswan # ", client.Prompt);

        Assert.Equal(3600, Assert.Single(_applier.Applied).Phase2.Single().KeyLifeSeconds);
        var saved = ConfigurationLoader.LoadFile(ConfigPath);
        Assert.True(saved.IsValid, string.Join("\n", saved.Errors));
        Assert.Equal(_applier.Current, saved.Configuration);
        Assert.Contains("set keylifeseconds 3600", File.ReadAllText(ConfigPath), StringComparison.Ordinal);
        Assert.DoesNotContain("very-secret-psk-value", File.ReadAllText(ConfigPath), StringComparison.Ordinal);

        // The replaced file is kept as revision 1: the configuration it held, its clear-text key kept only encrypted.
        var revision = ConfigurationLoader.LoadFile(ConfigPath + ".1");
        Assert.True(revision.IsValid, string.Join("\n", revision.Errors));
        Assert.Equal(ConfigurationLoader.Parse(Configuration, "hq.conf").Configuration, revision.Configuration);
        Assert.DoesNotContain("very-secret-psk-value", File.ReadAllText(ConfigPath + ".1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RefusedApply_IsReported_NothingSaved_AndTheSessionStaysInConfig()
    {
        _applier.RefuseWith = "tunnel interface to-branch: device busy";
        await using var client = await Connect();
        var output = new StringWriter { NewLine = "\n" };

        await client.ExecuteAsync("config vpn ipsec phase1-interface", output, CancellationToken.None);
        await client.ExecuteAsync("edit to-branch", output, CancellationToken.None);
        await client.ExecuteAsync("set keylife 7200", output, CancellationToken.None);
        var status = await client.ExecuteAsync("end", output, CancellationToken.None);

        Assert.Equal(-1, status);
        Assert.EndsWith("tunnel interface to-branch: device busy\nCommand fail. Return code -1\n", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("sharpswan (to-branch) # ", client.Prompt);
        Assert.Equal(Configuration, File.ReadAllText(ConfigPath));
        Assert.False(File.Exists(ConfigPath + ".1"));

        _applier.RefuseWith = null;
        Assert.Equal(0, await client.ExecuteAsync("end", output, CancellationToken.None));
        Assert.Equal(7200, _applier.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
    }

    [Fact]
    public async Task DiagnosticCommands_StillReachTheirHandler()
    {
        await using var client = await Connect();
        var output = new StringWriter { NewLine = "\n" };

        Assert.Equal(0, await client.ExecuteAsync("get vpn ipsec tunnel summary", output, CancellationToken.None));
        Assert.StartsWith("'to-branch' 198.51.100.2:0  selectors(total,up): 1/0", output.ToString(), StringComparison.Ordinal);

        output.GetStringBuilder().Clear();
        Assert.Equal(-61, await client.ExecuteAsync("dance now", output, CancellationToken.None));
        Assert.StartsWith("command parse error before 'dance'", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoClients_SecondIsToldItsEntryIsStale()
    {
        await using var alice = await Connect();
        await using var bob = await Connect();
        var aliceSays = new StringWriter { NewLine = "\n" };
        var bobSays = new StringWriter { NewLine = "\n" };
        foreach (var line in new[] { "config vpn ipsec phase1-interface", "edit to-branch", "set keylife 7200" })
        {
            Assert.Equal(0, await alice.ExecuteAsync(line, aliceSays, CancellationToken.None));
        }

        foreach (var line in new[] { "config vpn ipsec phase1-interface", "edit to-branch", "set dpd on-idle", "end" })
        {
            Assert.Equal(0, await bob.ExecuteAsync(line, bobSays, CancellationToken.None));
        }

        Assert.Equal(-1, await alice.ExecuteAsync("end", aliceSays, CancellationToken.None));
        Assert.Contains("was changed by another session since you began editing it", aliceSays.ToString(), StringComparison.Ordinal);
        Assert.Equal(DpdMode.OnIdle, _applier.Current.FindPhase1("to-branch")!.Dpd);
        Assert.Equal(86400, _applier.Current.FindPhase1("to-branch")!.KeyLifeSeconds);
    }

    [Fact]
    public async Task CompletionAndHelp_CoverConfigurationAndDiagnoseCommands()
    {
        await using var client = await Connect();

        Assert.Equal(["diagnose"], await client.CompleteAsync("diag", CancellationToken.None));
        Assert.Equal(["list", "up", "down", "flush", "stat"], await client.CompleteAsync("diagnose vpn tunnel ", CancellationToken.None));
        Assert.Equal(["summary", "details"], await client.CompleteAsync("get vpn ipsec tunnel ", CancellationToken.None));
        Assert.Contains("phase1-interface", await client.CompleteAsync("get vpn ipsec ", CancellationToken.None));
        Assert.Matches(@"(?m)^sniffer +packet capture$", await client.HelpAsync("diagnose ", CancellationToken.None));

        await client.ExecuteAsync("config vpn ipsec phase2-interface", TextWriter.Null, CancellationToken.None);
        Assert.Equal(["to-branch-p2"], await client.CompleteAsync("edit to", CancellationToken.None));
        await client.ExecuteAsync("edit to-branch-p2", TextWriter.Null, CancellationToken.None);
        Assert.Matches(@"(?m)^keylifeseconds +child SA lifetime in seconds \(120-172800, default 43200\)$", await client.HelpAsync("set keylifes", CancellationToken.None));
    }

    [Fact]
    public async Task OneCommandClients_GetAFreshSession_ShowWorks()
    {
        var output = new StringWriter { NewLine = "\n" };
        Assert.Equal(0, await ControlClient.SendAsync(SocketPath, "show vpn ipsec phase2-interface", output, CancellationToken.None));
        Assert.Equal(
            "config vpn ipsec phase2-interface\n    edit \"to-branch-p2\"\n        set phase1name \"to-branch\"\n        set proposal aes256gcm\n        set src-subnet 10.1.0.0 255.255.255.0\n        set dst-subnet 10.2.0.0 255.255.255.0\n    next\nend\n",
            output.ToString());
    }

    private async Task<ControlSessionClient> Connect() =>
        await ControlSessionClient.ConnectAsync(SocketPath, TextWriter.Null, CancellationToken.None).WaitAsync(Patience)
        ?? throw new InvalidOperationException("no session");
}
