using SharpSwan.Ike.Engine;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// The FortiOS reports of a dial-up hub with two connected peers (real engines negotiating in memory): the template
/// (`mode=dialup/2`, no SA) and one instance per peer (`dialup_0`, `dialup_1`) in every output, and an instance gone from
/// every output once its peer deletes its IKE SA.
/// </summary>
public sealed class DialupReportsTests : IDisposable
{
    private const string Separator = "------------------------------------------------------";
    private readonly DialupRig _rig = new();

    [Fact]
    public async Task TunnelList_ShowsTheTemplateWithoutSa_AndEachInstanceWithParentAndIndex()
    {
        await _rig.ConnectBothAsync();
        var blocks = Blocks(await _rig.RunAsync("diagnose vpn tunnel list"));
        Assert.Equal(["dialup", "dialup_0", "dialup_1"], blocks.Keys);

        var template = blocks["dialup"];
        Assert.StartsWith("name=dialup ver=2 serial=1 192.0.2.1:0->0.0.0.0:0 tun_id=0.0.0.0 ", template[0], StringComparison.Ordinal);
        Assert.Contains(" mode=dialup/2 ", template[1], StringComparison.Ordinal);
        Assert.StartsWith("proxyid_num=0 child_num=2 ", Line(template, "proxyid_num="), StringComparison.Ordinal);
        Assert.DoesNotContain(template, l => l.StartsWith("proxyid=", StringComparison.Ordinal) || l.Contains("SA:", StringComparison.Ordinal) || l.StartsWith("parent=", StringComparison.Ordinal));

        var first = blocks["dialup_0"];
        Assert.StartsWith($"name=dialup_0 ver=2 serial=2 192.0.2.1:500->{DialupRig.Client1Address}:500 tun_id={DialupRig.Client1Address} ", first[0], StringComparison.Ordinal);
        Assert.Contains(" mode=dial_inst/3 ", first[1], StringComparison.Ordinal);
        Assert.Equal("parent=dialup index=0", Line(first, "parent="));
        Assert.StartsWith("proxyid_num=1 child_num=0 ", Line(first, "proxyid_num="), StringComparison.Ordinal);
        Assert.Equal("proxyid=dialup-p2 proto=0 sa=1 ref=2 serial=1", Line(first, "proxyid="));
        Assert.Equal("  src: 0:10.1.0.0-10.1.0.255:0", Line(first, "  src:"));
        Assert.Equal("  dst: 0:10.10.10.1-10.10.10.1:0", Line(first, "  dst:"));
        var child = await _rig.HubLoop.InvokeAsync(hub => hub.InstancesOf(DialupRig.Template).First().Current!.Children.Single());
        Assert.StartsWith($"  dec: spi={child.InboundSpi:x8} esp=aes-gcm key=36 <hidden>", Line(first, "  dec: spi="), StringComparison.Ordinal);

        var second = blocks["dialup_1"];
        Assert.StartsWith($"name=dialup_1 ver=2 serial=3 192.0.2.1:500->{DialupRig.Client2Address}:500 ", second[0], StringComparison.Ordinal);
        Assert.Equal("parent=dialup index=1", Line(second, "parent="));
        Assert.Equal("  dst: 0:10.2.0.0-10.2.0.255:0", Line(second, "  dst:"));

        // `name` picks one: an instance, or the template alone.
        Assert.Equal(["dialup_1"], Blocks(await _rig.RunAsync("diagnose vpn tunnel list name dialup_1")).Keys);
        Assert.Equal(["dialup"], Blocks(await _rig.RunAsync("diagnose vpn tunnel list name dialup")).Keys);
    }

    [Fact]
    public async Task InstancesCountTheirOwnTraffic_InSummaryListAndDetails()
    {
        await _rig.ConnectBothAsync();

        // What the ESP path adds per packet, on the instance's own path (the TUN device is the template's).
        var path = _rig.DataPlane.FindTunnel("dialup_1")!;
        Assert.Equal("dialup", path.Template!.Name);
        Interlocked.Add(ref path.RxPackets, 7);
        Interlocked.Add(ref path.RxBytes, 700);
        Interlocked.Add(ref path.TxPackets, 5);
        Interlocked.Add(ref path.TxBytes, 500);
        Interlocked.Add(ref path.TxErrors, 1);

        Assert.Equal(
            $"'dialup_0' {DialupRig.Client1Address}:500  selectors(total,up): 1/1  rx(pkt,err): 0/0  tx(pkt,err): 0/0\n" +
            $"'dialup_1' {DialupRig.Client2Address}:500  selectors(total,up): 1/1  rx(pkt,err): 7/0  tx(pkt,err): 5/1\n",
            await _rig.RunAsync("get vpn ipsec tunnel summary"));
        var blocks = Blocks(await _rig.RunAsync("diagnose vpn tunnel list"));
        Assert.Equal("stat: rxp=7 txp=5 rxb=700 txb=500", Line(blocks["dialup_1"], "stat:"));
        Assert.Equal("stat: rxp=0 txp=0 rxb=0 txb=0", Line(blocks["dialup_0"], "stat:"));
        Assert.Equal("stat: rxp=0 txp=0 rxb=0 txb=0", Line(blocks["dialup"], "stat:"));
        var details = await _rig.RunAsync("get vpn ipsec tunnel name dialup_1");
        Assert.Contains("rx  packets: 7  bytes: 700  errors: 0\ntx  packets: 5  bytes: 500  errors: 1\n", details, StringComparison.Ordinal);
        Assert.Equal(
            "tunnels\n total: 2\n static/ddns: 0\n dynamic: 2\n manual: 0\n errors: 1\nselectors\n total: 2\n up: 2\n",
            await _rig.RunAsync("get vpn ipsec stats tunnel"));
        Assert.StartsWith("dev=1 tunnel=2 proxyid=2 sa=2 conc=0 up=2\nrxp=7 txp=5 rxb=700 txb=500\n", await _rig.RunAsync("diagnose vpn tunnel stat"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayListAndDetails_ShowEachPeersIdentityAndAssignedAddress()
    {
        await _rig.ConnectBothAsync();
        var gateways = await _rig.RunAsync("diagnose vpn ike gateway list");
        var sections = gateways.Split("vd: root/0\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, sections.Length);
        Assert.StartsWith($"name: dialup_0\nversion: 2\ninterface: wan0\naddr: 192.0.2.1:500 -> {DialupRig.Client1Address}:500\nsharpswan-assigned-ip: 10.10.10.1\n", sections[0], StringComparison.Ordinal);
        Assert.Contains($"  peer-id: {DialupRig.Client1Id}\n", sections[0], StringComparison.Ordinal);
        Assert.Contains("  direction: responder\n", sections[0], StringComparison.Ordinal);
        Assert.StartsWith($"name: dialup_1\nversion: 2\ninterface: wan0\naddr: 192.0.2.1:500 -> {DialupRig.Client2Address}:500\ncreated:", sections[1], StringComparison.Ordinal);
        Assert.Contains($"  peer-id: {DialupRig.Client2Id}\n", sections[1], StringComparison.Ordinal);
        // Ages and the rekey countdown tick between two runs on a loaded machine: compare with the seconds taken out.
        Assert.Equal(Ageless(gateways), Ageless(await _rig.RunAsync("diagnose vpn ike gateway list name dialup")));
        Assert.Equal(Ageless("vd: root/0\n" + sections[1]), Ageless(await _rig.RunAsync("diagnose vpn ike gateway list name dialup_1")));

        var details = await _rig.RunAsync("get vpn ipsec tunnel details");
        var gates = details.Split("gate=", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["'dialup'", "'dialup_0'", "'dialup_1'"], gates.Select(g => g[..g.IndexOf(' ', StringComparison.Ordinal)]));
        Assert.Contains("remote-gateway: 0.0.0.0:0 (dialup)\n", gates[0], StringComparison.Ordinal);
        Assert.DoesNotContain("  SA\n", gates[0], StringComparison.Ordinal);
        Assert.Contains($"remote-gateway: {DialupRig.Client1Address}:500 (dialup)\nparent: 'dialup' index: 0\npeer-id: {DialupRig.Client1Id}\nsharpswan-assigned-ip: 10.10.10.1\n", gates[1], StringComparison.Ordinal);
        Assert.Contains("  auto-negotiate: disable\n  mode: tunnel\n  src: 0:10.1.0.0-10.1.0.255:0\n  dst: 0:10.10.10.1-10.10.10.1:0\n  SA\n", gates[1], StringComparison.Ordinal);
        Assert.DoesNotContain("sharpswan-assigned-ip", gates[2], StringComparison.Ordinal);
        Assert.DoesNotContain(DialupRig.Psk, details + gateways, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APeerThatLeaves_VanishesFromEveryReport_TheOtherStays()
    {
        await _rig.ConnectBothAsync();
        await _rig.DisconnectAsync(_rig.Client1, remainingInstances: 1);

        Assert.Equal(
            $"'dialup_1' {DialupRig.Client2Address}:500  selectors(total,up): 1/1  rx(pkt,err): 0/0  tx(pkt,err): 0/0\n",
            await _rig.RunAsync("get vpn ipsec tunnel summary"));
        var blocks = Blocks(await _rig.RunAsync("diagnose vpn tunnel list"));
        Assert.Equal(["dialup", "dialup_1"], blocks.Keys);
        Assert.StartsWith("proxyid_num=0 child_num=1 ", Line(blocks["dialup"], "proxyid_num="), StringComparison.Ordinal);
        Assert.Equal("list all ipsec tunnel in vd 0\n", await _rig.RunAsync("diagnose vpn tunnel list name dialup_0"));
        var gateways = await _rig.RunAsync("diagnose vpn ike gateway list");
        Assert.DoesNotContain("dialup_0", gateways, StringComparison.Ordinal);
        Assert.DoesNotContain(DialupRig.Client1Address, gateways, StringComparison.Ordinal);
        Assert.Contains("name: dialup_1\n", gateways, StringComparison.Ordinal);
        Assert.DoesNotContain("dialup_0", await _rig.RunAsync("get vpn ipsec tunnel details"), StringComparison.Ordinal);
        Assert.Equal("entry not found in datasource\nCommand fail. Return code -3\n", await _rig.RunAsync("get vpn ipsec tunnel name dialup_0"));
        Assert.StartsWith("tunnels\n total: 1\n static/ddns: 0\n dynamic: 1\n", await _rig.RunAsync("get vpn ipsec stats tunnel"), StringComparison.Ordinal);
        Assert.Null(_rig.DataPlane.FindTunnel("dialup_0"));
        Assert.Single(_rig.DataPlane.FindTunnel("dialup")!.Instances);

        // Instance 0 is free again: the next peer takes it (and the pool gives client 1 its address back).
        await _rig.ConnectAsync(_rig.Client1, expectedInstances: 2);
        var again = Blocks(await _rig.RunAsync("diagnose vpn tunnel list"));
        Assert.Equal(["dialup", "dialup_0", "dialup_1"], again.Keys);
        Assert.Equal("  dst: 0:10.10.10.1-10.10.10.1:0", Line(again["dialup_0"], "  dst:"));
    }

    [Fact]
    public async Task TunnelDown_OnAnInstance_DeletesOnlyThatPeer_UpIsRefused()
    {
        await _rig.ConnectBothAsync();
        Assert.Equal(
            "cannot initiate a dial-up tunnel: only its peer can bring it up\nCommand fail. Return code -3\n",
            await _rig.RunAsync("diagnose vpn tunnel up dialup-p2 dialup_0"));
        Assert.Equal(
            "entry not found in datasource\nCommand fail. Return code -3\n",
            await _rig.RunAsync("diagnose vpn tunnel down no-such-p2 dialup_0"));

        Assert.Equal(string.Empty, await _rig.RunAsync("diagnose vpn tunnel down dialup_1"));
        await EnginePair.WaitForAsync(() => _rig.HubLoop.InvokeAsync(hub => hub.Tunnels.All(t => t.Name != "dialup_1")), "dialup_1 to go");
        Assert.Equal(["dialup", "dialup_0"], Blocks(await _rig.RunAsync("diagnose vpn tunnel list")).Keys);
        await EnginePair.WaitForAsync(() => _rig.LoopOf(_rig.Client2).InvokeAsync(client => client.Tunnels.Single().Current is null), "client 2 to hear the DELETE");

        Assert.Equal(string.Empty, await _rig.RunAsync("diagnose vpn tunnel down dialup-p2 dialup_0"));
        await EnginePair.WaitForAsync(() => _rig.HubLoop.InvokeAsync(hub => !hub.InstancesOf(DialupRig.Template).Any()), "dialup_0 to go");
        Assert.Equal(string.Empty, await _rig.RunAsync("get vpn ipsec tunnel summary"));
    }

    [Fact]
    public async Task Flush_OnTheTemplate_DeletesEveryInstancesChildSas_KeepingTheirIkeSas()
    {
        await _rig.ConnectBothAsync();
        Assert.Equal(string.Empty, await _rig.RunAsync("diagnose vpn tunnel flush dialup"));
        await EnginePair.WaitForAsync(
            () => _rig.HubLoop.InvokeAsync(hub => hub.InstancesOf(DialupRig.Template).All(i => i.Current is { State: IkeSaState.Established } sa && sa.Children.Count == 0)),
            "both instances without child SAs");
        var summary = await _rig.RunAsync("get vpn ipsec tunnel summary");
        Assert.Contains("'dialup_0' 198.51.100.10:500  selectors(total,up): 1/0  ", summary, StringComparison.Ordinal);
        Assert.Contains("'dialup_1' 198.51.100.20:500  selectors(total,up): 1/0  ", summary, StringComparison.Ordinal);
        Assert.Equal("entry not found in datasource\nCommand fail. Return code -3\n", await _rig.RunAsync("diagnose vpn tunnel flush dialup_7"));
    }

    public void Dispose() => _rig.Dispose();

    /// <summary>`diagnose vpn tunnel list` split into its blocks, keyed by `name=`.</summary>
    private static Dictionary<string, List<string>> Blocks(string list)
    {
        var blocks = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var block in list.Split(Separator + "\n").Skip(1))
        {
            var lines = block.Split('\n').ToList();
            var name = lines[0]["name=".Length..lines[0].IndexOf(' ', StringComparison.Ordinal)];
            blocks[name] = lines;
        }

        return blocks;
    }

    private static string Line(List<string> block, string prefix) => Assert.Single(block, l => l.StartsWith(prefix, StringComparison.Ordinal));

    // Ages count up and the rekey countdown down between two runs: both taken out.
    private static string Ageless(string report) =>
        System.Text.RegularExpressions.Regex.Replace(
            System.Text.RegularExpressions.Regex.Replace(report, @"\d+s ago", "Ns ago"),
            @"lifetime/rekey: (\d+)/\d+",
            "lifetime/rekey: $1/N");
}
