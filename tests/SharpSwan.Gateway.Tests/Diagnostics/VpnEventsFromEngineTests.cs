using SharpSwan.Gateway.Events;
using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// Event log records from the real engine's typed events (two engines negotiating in memory, A's events through a
/// <see cref="GatewayEvents"/> stream as in the gateway), so an event the deriver no longer maps fails here.
/// </summary>
public sealed class VpnEventsFromEngineTests : IDisposable
{
    private readonly EnginePair _pair = new();

    [Fact]
    public async Task BringingTheTunnelUp_LogsTunnelUp_InstallSa_Phase2Up()
    {
        await _pair.BringUpAsync();
        await WaitForActionAsync("phase2-up");

        var records = _pair.Events.Records();
        Assert.Equal(["tunnel-up", "install_sa", "phase2-up"], records.Select(r => r.Fields["action"]));
        var up = records[0];
        Assert.Matches(@"^date=\d{4}-\d\d-\d\d time=\d\d:\d\d:\d\d eventtime=\d+ tz=""\+0000"" logid=""0101037138"" type=""event"" subtype=""vpn"" level=""notice"" vd=""root"" logdesc=""IPsec connection status changed"" msg=""IPsec connection status change"" action=""tunnel-up"" remip=198\.51\.100\.2 locip=192\.0\.2\.1 remport=500 locport=500 outintf=""eth0"" cookies=""[0-9a-f]{16}/[0-9a-f]{16}"" ", up.Line);
        Assert.Equal("to-branch", up.Fields["vpntunnel"]);
        Assert.Equal("ipsec", up.Fields["tunneltype"]);

        var child = await _pair.LoopA.InvokeAsync(engine => engine.Tunnels.Single().Current!.Children.Single());
        var install = records[1];
        Assert.Equal("0101037133", install.Fields["logid"]);
        Assert.Equal($"{child.InboundSpi:x8}", install.Fields["in_spi"]);
        Assert.Equal($"{child.OutboundSpi:x8}", install.Fields["out_spi"]);
        Assert.Equal("initiator", install.Fields["role"]);
        Assert.Equal("to-branch-p2", records[2].Fields["phase2_name"]);
        Assert.All(records, r => Assert.DoesNotContain(EnginePair.Psk, r.Line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ChildRekey_InstallsAndDeletes_WithoutAPhase2DownOrUp()
    {
        await _pair.BringUpAsync();
        await WaitForActionAsync("phase2-up");
        Assert.True(await _pair.LoopA.InvokeAsync(engine => engine.RekeyChild(EnginePair.Phase1, EnginePair.Phase2)));
        await WaitForActionAsync("delete_phase2_sa");

        var actions = _pair.Events.Records().Select(r => r.Fields["action"]).ToList();
        Assert.Equal(2, actions.Count(a => a == "install_sa"));
        Assert.Equal(1, actions.Count(a => a == "phase2-up"));
        Assert.DoesNotContain("phase2-down", actions);
        Assert.Equal("rekeyed", _pair.Events.Records().Single(r => r.Fields["action"] == "delete_phase2_sa").Fields["reason"]);
    }

    [Fact]
    public async Task IkeRekey_DeletesTheOldPhase1Sa_WithoutATunnelDown()
    {
        await _pair.BringUpAsync();
        await WaitForActionAsync("phase2-up");
        Assert.True(await _pair.LoopA.InvokeAsync(engine => engine.RekeyIke(EnginePair.Phase1)));
        await WaitForActionAsync("delete_phase1_sa");

        var actions = _pair.Events.Records().Select(r => r.Fields["action"]).ToList();
        Assert.DoesNotContain("tunnel-down", actions);
        Assert.Equal(1, actions.Count(a => a == "tunnel-up"));
    }

    [Fact]
    public async Task Terminating_LogsPhase2Down_ThenTunnelDown_WithDuration()
    {
        await _pair.BringUpAsync();
        await WaitForActionAsync("phase2-up");
        Assert.True(await _pair.LoopA.InvokeAsync(engine => engine.Terminate(EnginePair.Phase1, null)));
        await WaitForActionAsync("tunnel-down");

        var actions = _pair.Events.Records().Select(r => r.Fields["action"]).ToList();
        Assert.True(actions.IndexOf("phase2-down") < actions.IndexOf("tunnel-down"), string.Join(",", actions));
        var down = _pair.Events.Records().Single(r => r.Fields["action"] == "tunnel-down");
        Assert.Equal("0101037138", down.Fields["logid"]);
        Assert.Equal("administrative down", down.Fields["reason"]);
        Assert.True(long.TryParse(down.Fields["duration"], out var duration) && duration >= 0);
        Assert.Equal("198.51.100.2", down.Fields["remip"]);
    }

    [Fact]
    public async Task PskMismatch_IsAPhase1NegotiationError()
    {
        using var mismatched = new EnginePair(pskB: "a-different-psk-value");
        Assert.True(await mismatched.LoopA.InvokeAsync(engine => engine.Initiate(EnginePair.Phase1, EnginePair.Phase2)));
        await EnginePair.WaitForAsync(() => mismatched.Events.Records().Any(r => r.Fields["action"] == "negotiate"), "a negotiation error event");

        var error = mismatched.Events.Records().First(r => r.Fields["action"] == "negotiate");
        Assert.Equal("0101037124", error.Fields["logid"]);
        Assert.Equal("error", error.Fields["level"]);
        Assert.Equal("negotiate_error", error.Fields["status"]);
        Assert.Contains("AUTHENTICATION_FAILED", error.Fields["reason"], StringComparison.Ordinal);
        Assert.DoesNotContain(mismatched.Events.Records(), r => r.Fields["action"] == "tunnel-up");
    }

    [Fact]
    public async Task DebugLines_CarryTheirTunnelsAddresses_EvenGatewayWideOnes()
    {
        using var subscription = _pair.LogA.Subscribe(3);
        await _pair.BringUpAsync();

        var lines = _pair.LogA.Recent();
        var tunnelLines = lines.Where(l => l.Phase1 == EnginePair.Phase1).ToList();
        Assert.NotEmpty(tunnelLines);
        Assert.All(tunnelLines, l => Assert.Equal(EnginePair.AddressB, l.Remote?.Address.ToString()));
        Assert.All(tunnelLines, l => Assert.Equal(EnginePair.AddressA, l.Local?.Address.ToString()));
        var comes = lines.First(l => l.Text.StartsWith("ike 0: comes ", StringComparison.Ordinal));
        Assert.Null(comes.Phase1);
        Assert.Equal(EnginePair.AddressB, comes.Remote?.Address.ToString());
        Assert.Equal(EnginePair.AddressA, comes.Local?.Address.ToString());
    }

    public void Dispose() => _pair.Dispose();

    private Task WaitForActionAsync(string action) =>
        EnginePair.WaitForAsync(() => _pair.Events.Records().Any(r => r.Fields["action"] == action), $"a {action} event");
}
