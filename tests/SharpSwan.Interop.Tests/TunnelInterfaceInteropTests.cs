using System.Text.Json;
using SharpSwan.Interop.Tests.Harness;

namespace SharpSwan.Interop.Tests;

/// <summary>
/// A <c>config system interface</c> tunnel entry (as AWS/Azure/Google generate for BGP over IPsec): its ip, remote-ip and
/// mtu are on the TUN device, and strongSwan's side pings SharpSwan's tunnel address through the tunnel.
/// </summary>
public sealed class TunnelInterfaceInteropTests
{
    private const string SharpSwanTunnelIp = "169.254.21.2";
    private const string PeerTunnelIp = "169.254.21.1";

    [Fact]
    public void TunnelInterfaceAddress_IsOnTheTun_AndAnswersThePeersPingThroughTheTunnel()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(TunnelInterfaceAddress_IsOnTheTun_AndAnswersThePeersPingThroughTheTunnel));
        scenario.B.AddLoopbackAddress(PeerTunnelIp + "/32");
        StrongSwanPeer branch = scenario.StartStrongSwan(
            scenario.B,
            scenario.BranchConnection() with { LocalSubnet = PeerTunnelIp + "/32", RemoteSubnet = SharpSwanTunnelIp + "/32" },
            "B");
        var config = scenario.HeadquartersConfig() with
        {
            LocalSubnet = SharpSwanTunnelIp + " 255.255.255.255",
            RemoteSubnet = PeerTunnelIp + " 255.255.255.255",
            ExtraConfiguration = string.Join(
                '\n',
                "config system interface",
                "    edit \"to-branch\"",
                "        set vdom \"root\"",
                $"        set ip {SharpSwanTunnelIp} 255.255.255.255",
                "        set allowaccess ping",
                "        set type tunnel",
                $"        set remote-ip {PeerTunnelIp} 255.255.255.252",
                "        set mtu-override enable",
                "        set mtu 1360",
                $"        set interface \"{TwoSiteTopology.WanInterface}\"",
                "    next",
                "end"),
        };
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, config, "A");

        JsonElement link = JsonDocument.Parse(scenario.A.Exec("ip", "-j", "addr", "show", "dev", "to-branch").StandardOutput).RootElement[0];
        scenario.Require(link.GetProperty("mtu").GetInt32() == 1360, $"the TUN has mtu 1360 from mtu-override; got {link}");
        var inet = link.GetProperty("addr_info").EnumerateArray().Where(a => a.GetProperty("family").GetString() == "inet").ToList();
        scenario.Require(
            inet.Count == 1
            && inet[0].GetProperty("local").GetString() == SharpSwanTunnelIp
            && inet[0].GetProperty("address").GetString() == PeerTunnelIp
            && inet[0].GetProperty("prefixlen").GetInt32() == 30,
            $"the TUN carries {SharpSwanTunnelIp} peer {PeerTunnelIp}/30; got {link}");

        gateway.Cli("diagnose vpn tunnel up to-branch-p2 to-branch");
        scenario.WaitForChildSa(branch, gateway, TimeSpan.FromSeconds(30), "strongSwan lists an INSTALLED CHILD_SA");
        scenario.RequirePing(scenario.B, PeerTunnelIp, SharpSwanTunnelIp);

        var gatewayList = gateway.Cli("diagnose vpn ike gateway list name to-branch");
        scenario.Require(
            gatewayList.Contains($"sharpswan-tunnel-ip: {SharpSwanTunnelIp} peer {PeerTunnelIp}/30", StringComparison.Ordinal),
            $"diagnose vpn ike gateway list shows the tunnel address; got:\n{gatewayList}");

        // allowaccess without ping: the tunnel address no longer answers the peer (the tunnel itself stays up); with ping
        // again, it does.
        ProcessResult refuse = gateway.CliSession("config system interface", "edit \"to-branch\"", "set allowaccess https", "next", "end");
        scenario.Require(refuse.Succeeded, $"the CLI takes allowaccess https; got {refuse.Describe()}");
        var refused = Traffic.Ping(scenario.B, PeerTunnelIp, SharpSwanTunnelIp, count: 3);
        scenario.Require(refused == 0, $"with allowaccess https only, the peer's pings to {SharpSwanTunnelIp} go unanswered; {refused} of 3 answered");
        ProcessResult allow = gateway.CliSession("config system interface", "edit \"to-branch\"", "set allowaccess ping https", "next", "end");
        scenario.Require(allow.Succeeded, $"the CLI takes allowaccess ping https; got {allow.Describe()}");
        scenario.RequirePing(scenario.B, PeerTunnelIp, SharpSwanTunnelIp);
    }

    /// <summary>
    /// The reload path (SIGHUP, the same validate-then-apply as a CLI end): the file's system interface entry is edited
    /// and the running gateway moves its TUN's address and MTU.
    /// </summary>
    [Fact]
    public void Sighup_ReloadsTheFile_AndMovesTheTunnelInterfaceAddressAndMtu()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(Sighup_ReloadsTheFile_AndMovesTheTunnelInterfaceAddressAndMtu));
        var config = scenario.HeadquartersConfig() with
        {
            ExtraConfiguration = string.Join(
                '\n',
                "config system interface",
                "    edit \"to-branch\"",
                "        set ip 169.254.30.2 255.255.255.255",
                "        set type tunnel",
                "        set remote-ip 169.254.30.1 255.255.255.252",
                "        set mtu-override enable",
                "        set mtu 1360",
                "    next",
                "end"),
        };
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, config, "A");
        scenario.Require(Tun(scenario) == (1360, "169.254.30.2"), $"the TUN starts with mtu 1360 and 169.254.30.2; got {Tun(scenario)}");

        string original = File.ReadAllText(gateway.ConfigPath);
        File.WriteAllText(
            gateway.ConfigPath,
            original.Replace("set mtu 1360", "set mtu 1380", StringComparison.Ordinal).Replace("169.254.30.2 255", "169.254.30.6 255", StringComparison.Ordinal));
        scenario.A.Exec("kill", "-HUP", gateway.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        scenario.WaitFor(() => Tun(scenario) == (1380, "169.254.30.6"), TimeSpan.FromSeconds(10), "after SIGHUP the TUN has mtu 1380 and 169.254.30.6");
        scenario.Require(!gateway.HasExited, "the gateway still runs after the reload");
    }

    /// <summary>
    /// The shell path: a tunnel that has no system interface entry gets one from `sharpswan cli` (config system interface,
    /// edit, set ip/remote-ip/mtu, end); the running TUN takes the address and MTU, the file keeps the entry, and deleting
    /// the entry takes the address off again.
    /// </summary>
    [Fact]
    public void CliSession_GivesTheTunnelItsAddressAndMtu_AndDeleteTakesThemOff()
    {
        using InteropScenario scenario = InteropScenario.Create(nameof(CliSession_GivesTheTunnelItsAddressAndMtu_AndDeleteTakesThemOff));
        SharpSwanGateway gateway = scenario.StartSharpSwan(scenario.A, scenario.HeadquartersConfig(), "A");
        var (startMtu, startAddress) = Tun(scenario);
        scenario.Require(startAddress is null, $"the TUN starts without an address; got {startAddress}");

        ProcessResult set = gateway.CliSession(
            "config system interface",
            "edit \"to-branch\"",
            "set ip 169.254.40.2 255.255.255.255",
            "set remote-ip 169.254.40.1 255.255.255.252",
            "set mtu-override enable",
            "set mtu 1340",
            "next",
            "end");
        scenario.Require(set.Succeeded, $"the config session applies (sharpswan cli exits 0 only when every command did); got {set.Describe()}");
        scenario.WaitFor(() => Tun(scenario) == (1340, "169.254.40.2"), TimeSpan.FromSeconds(10), $"the running TUN has mtu 1340 and 169.254.40.2; got {Tun(scenario)}");
        var saved = File.ReadAllText(gateway.ConfigPath);
        scenario.Require(saved.Contains("set remote-ip 169.254.40.1 255.255.255.252", StringComparison.Ordinal), $"the file keeps the entry:\n{saved}");

        ProcessResult delete = gateway.CliSession("config system interface", "delete \"to-branch\"", "end");
        scenario.Require(delete.Succeeded, $"the delete applies; got {delete.Describe()}");
        scenario.WaitFor(() => Tun(scenario) == (startMtu, null), TimeSpan.FromSeconds(10), $"the TUN is back to mtu {startMtu} without an address; got {Tun(scenario)}");
        scenario.Require(!gateway.HasExited, "the gateway still runs");
    }

    private static (int Mtu, string? Address) Tun(InteropScenario scenario)
    {
        JsonElement link = JsonDocument.Parse(scenario.A.Exec("ip", "-j", "addr", "show", "dev", "to-branch").StandardOutput).RootElement[0];
        string? address = link.GetProperty("addr_info").EnumerateArray()
            .Where(a => a.GetProperty("family").GetString() == "inet").Select(a => a.GetProperty("local").GetString()).FirstOrDefault();
        return (link.GetProperty("mtu").GetInt32(), address);
    }
}
