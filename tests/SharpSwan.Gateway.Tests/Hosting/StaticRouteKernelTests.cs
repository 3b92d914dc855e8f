using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SharpSwan.Config;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests.Hosting;

/// <summary>
/// The kernel holds the routes <see cref="StaticRoutePlan"/> plans (needs root): a device route and a gateway-only route
/// to one destination ordered by priority, a blackhole, and a dstaddr iprange's block; removing one leaves the others.
/// Everything is inside a random 10.249.X.0/24 on a TUN device made here.
/// </summary>
public sealed class StaticRouteKernelTests
{
    [Fact]
    public void PlannedRoutes_AreWhatIpRouteShows_AndEachIsRemovedAlone()
    {
        Assert.True(Environment.UserName == "root", "root is required: this test creates a TUN device and routes");
        var subnet = Random.Shared.Next(0, 256);
        var net = $"10.249.{subnet}";
        using var device = TunDevice.Create("sst" + Convert.ToHexString(Guid.NewGuid().ToByteArray().AsSpan(0, 4)).ToLowerInvariant());
        NetworkConfigurator.DisableIPv6(device.Name);
        NetworkConfigurator.AddAddress(device.Name, IPAddress.Parse($"{net}.1"), 24);
        NetworkConfigurator.SetLinkUp(device.Name);

        var planned = StaticRoutePlan.Of(Load(device.Name, net));
        try
        {
            foreach (var route in planned)
            {
                route.Install();
            }

            var weight = StaticRoutePlan.DistanceWeight;
            Assert.Equal(
                new[]
                {
                    $"unicast {net}.64/26 dev {device.Name} via - metric {(10 * weight) + 20}",
                    $"unicast {net}.64/26 dev {device.Name} via {net}.9 metric {(10 * weight) + 5}",
                    $"blackhole {net}.128/26 dev - via - metric 254",
                    $"unicast {net}.194/31 dev {device.Name} via - metric 10",
                }
                .Order(StringComparer.Ordinal),
                StaticRoutesIn(net).Order(StringComparer.Ordinal));

            planned[0].Remove();
            planned[2].Remove();
            Assert.Equal(
                new[] { $"unicast {net}.194/31 dev {device.Name} via - metric 10", $"unicast {net}.64/26 dev {device.Name} via {net}.9 metric {(10 * weight) + 5}" }
                    .Order(StringComparer.Ordinal),
                StaticRoutesIn(net).Order(StringComparer.Ordinal));
        }
        finally
        {
            // Routes through the device go with it; a blackhole route has no device, so it is removed here.
            try
            {
                NetworkConfigurator.DeleteBlackholeRoute(IPAddress.Parse($"{net}.128"), 26);
            }
            catch (NetlinkException)
            {
                // Already removed by the test.
            }
        }
    }

    private static GatewayConfiguration Load(string device, string net)
    {
        var result = ConfigurationLoader.Parse($$"""
            config firewall address
                edit "pair"
                    set type iprange
                    set start-ip {{net}}.194
                    set end-ip {{net}}.195
                    set allow-routing enable
                next
            end
            config router static
                edit 1
                    set dst {{net}}.64 255.255.255.192
                    set device "{{device}}"
                    set priority 20
                next
                edit 2
                    set dst {{net}}.64 255.255.255.192
                    set gateway {{net}}.9
                    set priority 5
                next
                edit 3
                    set dst {{net}}.128 255.255.255.192
                    set blackhole enable
                    set distance 254
                next
                edit 4
                    set dstaddr "pair"
                    set device "{{device}}"
                next
            end
            """, "routes.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Configuration!;
    }

    /// <summary>The main table's static routes inside <paramref name="net"/>.0/24 as <c>ip -j route</c> reports them.</summary>
    private static List<string> StaticRoutesIn(string net)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in (string[])["-j", "route", "show", "table", "main", "proto", "static", "root", $"{net}.0/24"])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        using var json = JsonDocument.Parse(output.Length == 0 ? "[]" : output);
        return [.. json.RootElement.EnumerateArray().Select(r =>
            $"{Text(r, "type") ?? "unicast"} {r.GetProperty("dst").GetString()} dev {Text(r, "dev") ?? "-"} via {Text(r, "gateway") ?? "-"} metric {(r.TryGetProperty("metric", out var m) ? m.GetInt64() : 0)}")];
    }

    private static string? Text(JsonElement route, string name) => route.TryGetProperty(name, out var value) ? value.GetString() : null;
}
