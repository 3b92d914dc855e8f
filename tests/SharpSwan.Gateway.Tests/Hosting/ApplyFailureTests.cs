using SharpSwan.Config;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Gateway.Policy;

namespace SharpSwan.Gateway.Tests.Hosting;

/// <summary>
/// A live change the host refuses (a new tunnel interface whose name another device has, a static route through a device
/// this host lacks) is refused as a whole: the engine keeps the configuration that stays in force, instead of holding (and
/// negotiating) what never came, and what the host had done for the change is undone.
/// Needs root: the gateway makes TUN devices and routes and binds IKE on a random loopback address.
/// </summary>
public sealed class ApplyFailureTests
{
    [Fact]
    public async Task ANewTunnelWhoseDeviceCannotBeMade_LeavesTheEngineAsTheRunningConfigurationSays()
    {
        Assert.True(Environment.UserName == "root", "root is required: this test creates a TUN device");
        var name = "qa" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();
        var octets = $"{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var running = OneTunnel(name, octets);
        var state = Directory.CreateTempSubdirectory("sharpswan-apply-");
        try
        {
            using var gateway = Start(running, state);

            // "lo" is the loopback device, not a TUN device: the host refuses to make the tunnel interface (the checker
            // cannot know the host's devices, so the model is handed over as a reload or a CLI end would).
            var proposed = running with { Phase1 = [.. running.Phase1, running.Phase1[0] with { Name = "lo", RemoteGateway = System.Net.IPAddress.Parse($"127.79.{octets}") }] };
            var result = await gateway.ApplyAsync(proposed, ChangeAuthor.Reload, CancellationToken.None);

            Assert.False(result.Applied);
            Assert.Same(running, gateway.Configuration);
            var (engineTunnels, deviceTunnel) = await gateway.InvokeOnEngineAsync((engine, dataPlane) =>
                (engine.Tunnels.Select(t => t.Name).ToList(), dataPlane.FindTunnel("lo")));
            Assert.Equal([name], engineTunnels);
            Assert.Null(deviceTunnel);
        }
        finally
        {
            state.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AStaticRouteTheHostRefuses_UndoesTheNewTunnelAndRoutes_AndLeavesTheEngineAsTheRunningConfigurationSays()
    {
        Assert.True(Environment.UserName == "root", "root is required: this test creates TUN devices and routes");
        var suffix = Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();
        var (name, added) = ("qa" + suffix, "qb" + suffix);
        var (x, y) = (Random.Shared.Next(1, 255), Random.Shared.Next(1, 255));
        var running = OneTunnel(name, $"{x}.{y}");
        var state = Directory.CreateTempSubdirectory("sharpswan-apply-");
        var goodRoute = $"10.98.{x}.0/24";
        try
        {
            using var gateway = Start(running, state);

            // A second tunnel, a route through it (the host takes it), then one through a device this host lacks (refused).
            var proposed = running with
            {
                Phase1 = [.. running.Phase1, running.Phase1[0] with { Name = added, RemoteGateway = System.Net.IPAddress.Parse($"127.79.{x}.{y}") }],
                StaticRoutes =
                [
                    new StaticRoute(1, System.Net.IPAddress.Parse($"10.98.{x}.0"), 24, added, System.Net.IPAddress.Any, 10, true, 0),
                    new StaticRoute(2, System.Net.IPAddress.Parse($"10.97.{x}.0"), 24, "nd" + suffix, System.Net.IPAddress.Any, 10, true, 0),
                ],
            };
            var result = await gateway.ApplyAsync(proposed, ChangeAuthor.Reload, CancellationToken.None);

            Assert.False(result.Applied);
            Assert.Same(running, gateway.Configuration);
            var (engineTunnels, deviceTunnel) = await gateway.InvokeOnEngineAsync((engine, dataPlane) =>
                (engine.Tunnels.Select(t => t.Name).ToList(), dataPlane.FindTunnel(added)));
            Assert.Equal([name], engineTunnels);
            Assert.Null(deviceTunnel);
            Assert.Equal(string.Empty, Ip("route", "show", goodRoute));
            Assert.DoesNotContain(added, Ip("-o", "link", "show"), StringComparison.Ordinal);
        }
        finally
        {
            Ip("route", "del", goodRoute);
            state.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Policy-based tunnels take the same path: a new one whose TUN device cannot be made (its name taken by another device)
    /// fails the change before the engine takes it, and the running policy-based tunnel keeps its device; once the name is
    /// free the same change applies, and taking the tunnel out again removes its device.
    /// </summary>
    [Fact]
    public async Task ANewPolicyBasedTunnelWhoseDeviceCannotBeMade_LeavesTheRunningOneAndTheEngineAsTheyWere()
    {
        Assert.True(Environment.UserName == "root", "root is required: this test creates TUN and veth devices");
        Assert.True(Ip("-o", "link", "show", "ssw-pol1").Length == 0 && Ip("-o", "link", "show", "ssw-pol2").Length == 0, "ssw-pol1 and ssw-pol2 must not exist before this test");
        var suffix = Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();
        var (x, y) = (Random.Shared.Next(1, 255), Random.Shared.Next(1, 255));
        var running = OneTunnel("pa" + suffix, $"{x}.{y}", policyBased: true);
        var proposed = running with { Phase1 = [.. running.Phase1, running.Phase1[0] with { Name = "pb" + suffix, RemoteGateway = System.Net.IPAddress.Parse($"127.79.{x}.{y}") }] };
        var state = Directory.CreateTempSubdirectory("sharpswan-apply-");
        try
        {
            using var gateway = Start(running, state);
            Assert.Contains("ssw-pol1", Ip("-o", "link", "show", "ssw-pol1"), StringComparison.Ordinal);

            // The next policy device would be ssw-pol2: a veth device of that name makes the host refuse it.
            Ip("link", "add", "ssw-pol2", "type", "veth", "peer", "name", "sp2" + suffix);
            Assert.Contains("veth", Ip("-o", "-d", "link", "show", "ssw-pol2"), StringComparison.Ordinal);
            var refused = await gateway.ApplyAsync(proposed, ChangeAuthor.Reload, CancellationToken.None);

            Assert.False(refused.Applied);
            Assert.Same(running, gateway.Configuration);
            var (engineTunnels, runningPath, newPath) = await gateway.InvokeOnEngineAsync((engine, dataPlane) =>
                (engine.Tunnels.Select(t => t.Name).ToList(), dataPlane.FindTunnel("pa" + suffix), dataPlane.FindTunnel("pb" + suffix)));
            Assert.Equal(["pa" + suffix], engineTunnels);
            Assert.NotNull(runningPath);
            Assert.Null(newPath);
            Assert.Contains("ssw-pol1", Ip("-o", "link", "show", "ssw-pol1"), StringComparison.Ordinal);

            Ip("link", "del", "ssw-pol2");
            var applied = await gateway.ApplyAsync(proposed, ChangeAuthor.Reload, CancellationToken.None);
            Assert.True(applied.Applied, applied.Error);
            Assert.Contains("ssw-pol2", Ip("-o", "link", "show", "ssw-pol2"), StringComparison.Ordinal);

            var removed = await gateway.ApplyAsync(running, ChangeAuthor.Reload, CancellationToken.None);
            Assert.True(removed.Applied, removed.Error);
            Assert.Equal(string.Empty, Ip("-o", "link", "show", "ssw-pol2"));
            var (remaining, removedPath) = await gateway.InvokeOnEngineAsync((engine, dataPlane) =>
                (engine.Tunnels.Select(t => t.Name).ToList(), dataPlane.FindTunnel("pb" + suffix)));
            Assert.Equal(["pa" + suffix], remaining);
            Assert.Null(removedPath);
        }
        finally
        {
            Ip("link", "del", "ssw-pol2");
            state.Delete(recursive: true);
        }
    }

    /// <summary>
    /// One phase 1 switched from route-based to policy-based under the same name in one change (a reload of a file edited by
    /// hand) is refused as a whole: both kinds own a data-plane tunnel by that name, so the running one keeps its device and
    /// the engine its tunnel. Done as two changes (out, then back as the other kind), it takes the policy device.
    /// </summary>
    [Fact]
    public async Task APhase1SwitchedToPolicyBasedUnderItsNameInOneChange_IsRefused_AndAppliesAsTwoChanges()
    {
        Assert.True(Environment.UserName == "root", "root is required: this test creates TUN devices");
        Assert.True(Ip("-o", "link", "show", "ssw-pol1").Length == 0, "ssw-pol1 must not exist before this test");
        var name = "qs" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant();
        var octets = $"{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";
        var routeBased = OneTunnel(name, octets);
        var policyBased = OneTunnel(name, octets, policyBased: true);
        var state = Directory.CreateTempSubdirectory("sharpswan-apply-");
        try
        {
            using var gateway = Start(routeBased, state);
            Assert.Contains(name, Ip("-o", "link", "show", name), StringComparison.Ordinal);

            var refused = await gateway.ApplyAsync(policyBased, ChangeAuthor.Reload, CancellationToken.None);
            Assert.False(refused.Applied);
            Assert.Same(routeBased, gateway.Configuration);
            Assert.Contains(name, Ip("-o", "link", "show", name), StringComparison.Ordinal);
            Assert.Equal(string.Empty, Ip("-o", "link", "show", "ssw-pol1"));
            var (engineTunnels, device) = await gateway.InvokeOnEngineAsync((engine, dataPlane) =>
                (engine.Tunnels.Select(t => t.Name).ToList(), dataPlane.FindTunnel(name)?.Tun.Name));
            Assert.Equal([name], engineTunnels);
            Assert.Equal(name, device);

            var removed = await gateway.ApplyAsync(routeBased with { Phase1 = [] }, ChangeAuthor.Reload, CancellationToken.None);
            Assert.True(removed.Applied, removed.Error);
            var added = await gateway.ApplyAsync(policyBased, ChangeAuthor.Reload, CancellationToken.None);
            Assert.True(added.Applied, added.Error);
            Assert.Equal(string.Empty, Ip("-o", "link", "show", name));
            var (policyTunnels, policyDevice) = await gateway.InvokeOnEngineAsync((engine, dataPlane) =>
                (engine.Tunnels.Select(t => t.Name).ToList(), dataPlane.FindTunnel(name)?.Tun.Name));
            Assert.Equal([name], policyTunnels);
            Assert.Equal("ssw-pol1", policyDevice);
        }
        finally
        {
            Ip("link", "del", "ssw-pol1");
            state.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The running configuration: one IKEv2 tunnel on loopback addresses 127.77/127.78.<paramref name="octets"/>, route-based
    /// or policy-based (no firewall policies, so no nftables table).
    /// </summary>
    private static GatewayConfiguration OneTunnel(string name, string octets, bool policyBased = false)
    {
        var text = $"""
            config vpn ipsec {(policyBased ? "phase1" : "phase1-interface")}
                edit "{name}"
                    set interface "lo"
                    set ike-version 2
                    set local-gw 127.77.{octets}
                    set remote-gw 127.78.{octets}
                    set psksecret "apply-failure-test"
                    set auto-negotiate disable
                next
            end
            """;
        var loaded = ConfigurationLoader.Parse(text, "apply.conf");
        Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors));
        return loaded.Configuration!;
    }

    private static GatewayService Start(GatewayConfiguration running, DirectoryInfo state) => GatewayService.Start(
        running,
        new GatewayOptions
        {
            ControlPath = Path.Combine(state.FullName, "control.sock"),
            StateDirectory = state.FullName,
            EventLogPath = Path.Combine(state.FullName, "events.log"),
            DataPlaneWorkers = 1,
            LogLevel = 0,
        },
        TextWriter.Null);

    /// <summary>What <c>ip</c> printed for these arguments (an error prints nothing here).</summary>
    private static string Ip(params string[] arguments)
    {
        ExternalCommand.Run("ip", arguments, null, out var output);
        return output.Trim();
    }
}
