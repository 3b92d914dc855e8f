namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>VPN events of dial-up instances, derived from the real hub engine's typed events: instance name and mode-cfg address.</summary>
public sealed class DialupEventsTests : IDisposable
{
    private readonly DialupRig _rig = new();

    [Fact]
    public async Task InstanceTunnelUpAndDown_CarryTheInstanceName_AndTheAssignedAddress()
    {
        await _rig.ConnectBothAsync();
        await WaitForAsync("tunnel-up", 2);

        var ups = _rig.Events.Records().Where(r => r.Fields["action"] == "tunnel-up").ToList();
        Assert.Equal(["dialup_0", "dialup_1"], ups.Select(r => r.Fields["vpntunnel"]));
        Assert.Equal(["10.10.10.1", "N/A"], ups.Select(r => r.Fields["assignip"]));
        Assert.Equal([DialupRig.Client1Address, DialupRig.Client2Address], ups.Select(r => r.Fields["remip"]));
        Assert.All(ups, r => Assert.Equal("wan0", r.Fields["outintf"]));
        Assert.Contains(" assignip=10.10.10.1 vpntunnel=\"dialup_0\" ", ups[0].Line, StringComparison.Ordinal);
        var install = _rig.Events.Records().First(r => r.Fields["action"] == "install_sa" && r.Fields["vpntunnel"] == "dialup_0");
        Assert.Equal("10.10.10.1", install.Fields["assignip"]);
        Assert.Equal("responder", install.Fields["role"]);

        await _rig.DisconnectAsync(_rig.Client1, remainingInstances: 1);
        await WaitForAsync("tunnel-down", 1);
        var down = _rig.Events.Records().Single(r => r.Fields["action"] == "tunnel-down");
        Assert.Equal("dialup_0", down.Fields["vpntunnel"]);
        Assert.Equal("10.10.10.1", down.Fields["assignip"]);
        Assert.Equal(DialupRig.Client1Address, down.Fields["remip"]);

        // The next peer on index 0 (client 2 is still instance 1) starts afresh: client 1 again, its address again.
        await _rig.ConnectAsync(_rig.Client1, expectedInstances: 2);
        await WaitForAsync("tunnel-up", 3);
        var again = _rig.Events.Records().Where(r => r.Fields["action"] == "tunnel-up").Last();
        Assert.Equal(("dialup_0", "10.10.10.1"), (again.Fields["vpntunnel"], again.Fields["assignip"]));
    }

    public void Dispose() => _rig.Dispose();

    private Task WaitForAsync(string action, int count) =>
        EnginePair.WaitForAsync(() => _rig.Events.Records().Count(r => r.Fields["action"] == action) >= count, $"{count} {action} event(s)");
}
