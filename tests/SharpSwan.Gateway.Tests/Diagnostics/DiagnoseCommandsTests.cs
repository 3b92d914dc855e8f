using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Wire;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>The diagnose toolbox's commands through the control handler, against a tunnel that really came up in memory.</summary>
public sealed class DiagnoseCommandsTests : IDisposable
{
    private const string ParseErrorTail = "Command fail. Return code -61\n";
    private readonly EnginePair _pair = new();

    [Fact]
    public async Task DebugSettings_LiveInTheSession_AndDebugInfoShowsThem()
    {
        var session = new ControlSession();
        Assert.Equal(string.Empty, await _pair.RunAsync("diagnose debug application ike -1", session));
        Assert.Equal(string.Empty, await _pair.RunAsync("diag debug console timestamp enable", session));
        Assert.Equal(string.Empty, await _pair.RunAsync("diagnose vpn ike log-filter dst-addr4 198.51.100.2", session));
        Assert.Equal(string.Empty, await _pair.RunAsync("diagnose vpn ike filter name to-branch", session));
        Assert.Equal(-1, session.IkeDebugLevel);
        Assert.True(session.ConsoleTimestamp);

        var info = await _pair.RunAsync("diagnose debug info", session);
        Assert.Contains("ike debug level:        -1\n", info, StringComparison.Ordinal);
        Assert.Contains("console timestamp:      enable\n", info, StringComparison.Ordinal);
        Assert.Contains("ike log filter:         name to-branch, dst-addr4 198.51.100.2\n", info, StringComparison.Ordinal);
        Assert.Equal("name: to-branch\nIPv4 source: any\nIPv4 dest: 198.51.100.2\n", await _pair.RunAsync("diagnose vpn ike log-filter list", session));

        await _pair.RunAsync("diagnose vpn ike log-filter clear", session);
        Assert.Empty(session.LogFilter);
        await _pair.RunAsync("diagnose vpn ike log-filter src-addr4 192.0.2.1 192.0.2.9", session);
        Assert.Equal("192.0.2.1-192.0.2.9", session.LogFilter[IkeDebugFilter.SourceKey]);
        await _pair.RunAsync("diagnose debug reset", session);
        Assert.Equal((0, false), (session.IkeDebugLevel, session.DebugEnabled));
        Assert.Empty(session.LogFilter);
    }

    [Fact]
    public async Task FlowFilter_LivesInTheSession_AndTraceStartSaysWhatIsWrong()
    {
        var session = new ControlSession();
        Assert.Equal(string.Empty, await _pair.RunAsync("diagnose debug flow filter addr 10.1.0.5", session));
        Assert.Equal(string.Empty, await _pair.RunAsync("diag debug flow filter dport 500", session));
        Assert.Equal(string.Empty, await _pair.RunAsync("diagnose debug flow show function-name enable", session));
        Assert.Equal(
            "vf: any\nproto: any\nHost addr: 10.1.0.5\nHost saddr: any\nHost daddr: any\nport: any\nsport: any\ndport: 500\n",
            await _pair.RunAsync("diagnose debug flow filter", session));
        Assert.Contains("Host addr: any\n", await _pair.RunAsync("diagnose debug flow filter", new ControlSession()), StringComparison.Ordinal);
        var info = await _pair.RunAsync("diagnose debug info", session);
        Assert.Contains("flow trace:             stopped\n", info, StringComparison.Ordinal);
        Assert.Contains("flow function-name:     enable\n", info, StringComparison.Ordinal);

        Assert.Equal($"command parse error before '0'\n{ParseErrorTail}", await _pair.RunAsync("diagnose debug flow trace start 0", session));
        Assert.Equal($"command parse error before 'start'\n{ParseErrorTail}", await _pair.RunAsync("diagnose debug flow trace start", session));
        Assert.StartsWith("policy id: not available as a flow filter", await _pair.RunAsync("diagnose debug flow filter policy 1", session), StringComparison.Ordinal);

        // This handler has no tracer (no kernel side): refused, not silently accepted.
        Assert.Equal("flow trace: not available in this process\nCommand fail. Return code -1\n", await _pair.RunAsync("diagnose debug flow trace start 10", session));

        await _pair.RunAsync("diagnose debug reset", session);
        Assert.Contains("Host addr: any\n", await _pair.RunAsync("diagnose debug flow filter", session), StringComparison.Ordinal);
        Assert.False(session.FlowShowFunctionName);
    }

    [Theory]
    [InlineData("diagnose debug application ike 256", "256")]
    [InlineData("diagnose debug application ike x", "x")]
    [InlineData("diagnose debug application sslvpn -1", "sslvpn")]
    [InlineData("diagnose vpn ike log-filter dst-addr4 300.1.1.1", "300.1.1.1")]
    [InlineData("diagnose vpn ike log-filter colour blue", "colour")]
    [InlineData("diagnose sniffer packet any none 7", "7")]
    [InlineData("diagnose sniffer packet any none 4 -2", "-2")]
    [InlineData("diagnose sniffer packet any none 4 1 a 1500 extra", "extra")]
    [InlineData("diagnose sniffer packet any none 4 1 a pcap=relative.pcap", "pcap=relative.pcap")]
    [InlineData("execute log filter view-lines 2", "2")]
    public async Task BadArguments_GetTheFortiOsParseError(string command, string pointedAt)
    {
        var output = await _pair.RunAsync(command);
        Assert.Equal($"command parse error before '{pointedAt}'\n{ParseErrorTail}", output);
    }

    [Fact]
    public async Task DebugEnable_WithoutALevel_ReturnsAndShowsNothing()
    {
        var session = new ControlSession();
        Assert.Equal(string.Empty, await _pair.RunAsync("diagnose debug enable", session).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(session.DebugEnabled);
    }

    [Fact]
    public async Task StatsAndStat_CountTheTunnelAndItsSelector()
    {
        Assert.Equal(
            "tunnels\n total: 1\n static/ddns: 1\n dynamic: 0\n manual: 0\n errors: 0\nselectors\n total: 1\n up: 0\n",
            await _pair.RunAsync("get vpn ipsec stats tunnel"));
        await _pair.BringUpAsync();
        Assert.EndsWith("selectors\n total: 1\n up: 1\n", await _pair.RunAsync("get vpn ipsec stats tunnel"), StringComparison.Ordinal);
        var stat = await _pair.RunAsync("diagnose vpn tunnel stat");
        Assert.StartsWith("dev=0 tunnel=1 proxyid=1 sa=1 conc=0 up=1\nrxp=0 txp=0 rxb=0 txb=0\n", stat, StringComparison.Ordinal);
        Assert.Matches(@"\nrx_err=0 tx_err=0 no_sa_drop=0 offload_drop=0 invalid=0\n$", stat);
    }

    [Fact]
    public async Task TunnelStat_ShowsPacketErrorsAndThreadRestarts()
    {
        Assert.Contains("\npkt_err=0 thread_restart=0\n", await _pair.RunAsync("diagnose vpn tunnel stat"), StringComparison.Ordinal);
        Interlocked.Add(ref _pair.DataPlaneA.PacketErrors, 3);
        Interlocked.Add(ref _pair.DataPlaneA.ThreadRestarts, 2);
        Assert.Contains("\npkt_err=3 thread_restart=2\n", await _pair.RunAsync("diagnose vpn tunnel stat"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TunnelStat_ShowsWhatEachBoundedQueueDropped()
    {
        await _pair.BringUpAsync();
        var stat = await _pair.RunAsync("diagnose vpn tunnel stat");
        Assert.Contains("\npkt_err=0 thread_restart=0\ndrop: tun_queue=0 tun_write=0 sock_rx=0 sock_tx=0 trigger_full=0\nrx_err=", stat, StringComparison.Ordinal);
        Assert.Equal(new DataPlaneDrops(0, 0, 0, 0, 0), _pair.DataPlaneA.Drops());
    }

    [Fact]
    public async Task IkeStats_CountPlaintextMessagesDroppedOnAnEstablishedSa()
    {
        await _pair.BringUpAsync();
        Assert.Equal("ike.sa.established: 1\nike.sa.negotiating: 0\nrx.unprotected.drop: 0\nrx.integrity.drop: 0\n", await _pair.RunAsync("diagnose vpn ike stats"));

        // A plaintext Delete(IKE) with the SA's SPIs and the next message ID, as if from the peer.
        await _pair.LoopA.InvokeAsync(engine =>
        {
            var sa = engine.Tunnels.Single().Current!;
            var header = new IkeHeader(sa.InitiatorSpi, sa.ResponderSpi, PayloadType.None, ExchangeType.Informational, IkeFlags.None, sa.NextExpectedRequestId, 0);
            engine.ReceiveDatagram(sa.Local, sa.Remote, IkeMessageCodec.Encode(header, [new DeletePayload(ProtocolId.Ike, [])]));
            return true;
        });

        Assert.Equal(
            "ike.sa.established: 1\nike.sa.negotiating: 0\nrx.unprotected.drop: 1\nrx.integrity.drop: 0\ntunnel to-branch: rx.unprotected.drop 1\n",
            await _pair.RunAsync("diagnose vpn ike stats"));
        Assert.True(await _pair.SelectorsUpAsync());
    }

    [Fact]
    public async Task Details_ShowGatewaysSelectorsAndSpis_ButNoSecrets()
    {
        await _pair.BringUpAsync();
        var child = await _pair.LoopA.InvokeAsync(engine => engine.Tunnels.Single().Current!.Children.Single());
        var details = await _pair.RunAsync("get vpn ipsec tunnel details");
        Assert.StartsWith(
            "gate='to-branch' type=route-based\nlocal-gateway: 192.0.2.1:500 (static)\nremote-gateway: 198.51.100.2:500 (static)\nmode: ike-v2\ninterface: 'eth0' (",
            details, StringComparison.Ordinal);
        Assert.Contains("\nselectors\n  name: 'to-branch-p2'\n  auto-negotiate: disable\n  mode: tunnel\n  src: 0:10.1.0.0/255.255.255.0:0\n  dst: 0:10.2.0.0/255.255.255.0:0\n  SA\n", details, StringComparison.Ordinal);
        Assert.Contains($"    inbound\n      spi: {child.InboundSpi:x8}\n      enc: aes-gcm\n", details, StringComparison.Ordinal);
        Assert.Contains($"    outbound\n      spi: {child.OutboundSpi:x8}\n", details, StringComparison.Ordinal);
        Assert.DoesNotContain(EnginePair.Psk, details, StringComparison.Ordinal);
        // The two reports are taken a moment apart on the real clock: the seconds left to the rekey may differ by one.
        Assert.Equal(WithoutCountdowns(details), WithoutCountdowns(await _pair.RunAsync("get vpn ipsec tunnel name to-branch")));
        Assert.Equal("entry not found in datasource\nCommand fail. Return code -3\n", await _pair.RunAsync("get vpn ipsec tunnel name nope"));
    }

    [Fact]
    public async Task Flush_DeletesThePhase2Sas_AndKeepsTheIkeSa()
    {
        await _pair.BringUpAsync();
        Assert.Equal(string.Empty, await _pair.RunAsync("diagnose vpn tunnel flush to-branch"));
        await EnginePair.WaitForAsync(
            () => _pair.LoopA.InvokeAsync(engine => engine.Tunnels.Single().Current is { State: IkeSaState.Established } sa && sa.Children.Count == 0),
            "the child SA to be gone with the IKE SA still established");
        Assert.Equal("entry not found in datasource\nCommand fail. Return code -3\n", await _pair.RunAsync("diagnose vpn tunnel flush nope"));
    }

    [Fact]
    public async Task TunnelList_HidesKeys_WhenTheDataPlaneHasNone_EvenWithTheKeysOption()
    {
        await _pair.BringUpAsync();
        var list = await _pair.RunAsync("diagnose vpn tunnel list name to-branch keys");
        Assert.Contains("key=36 <hidden>", list, StringComparison.Ordinal);
        Assert.True(DiagnoseCommands.WantsKeys(["diagnose", "vpn", "tunnel", "list", "keys"]));
        Assert.False(DiagnoseCommands.WantsKeys(["diagnose", "vpn", "tunnel", "list", "name", "to-branch"]));
    }

    [Fact]
    public void TunnelList_ReadsTheWordAfterName_AsTheTunnelName_EvenWhenItIsKeys()
    {
        Assert.False(DiagnoseCommands.WantsKeys(["diagnose", "vpn", "tunnel", "list", "name", "keys"]));
        Assert.True(DiagnoseCommands.WantsKeys(["diagnose", "vpn", "tunnel", "list", "name", "keys", "keys"]));
        Assert.True(DiagnoseCommands.WantsKeys(["diagnose", "vpn", "tunnel", "list", "name", "to-branch", "keys"]));
    }

    [Fact]
    public async Task ExecuteLogDisplay_ShowsNewestFirst_AndFilters()
    {
        await _pair.BringUpAsync();
        await EnginePair.WaitForAsync(() => _pair.Events.Records().Count >= 3, "three events");
        var session = new ControlSession();
        var all = await _pair.RunAsync("execute log display", session);
        Assert.StartsWith("3 logs found.\n3 logs returned.\n\n1: date=", all, StringComparison.Ordinal);
        Assert.Contains("action=\"phase2-up\"", all.Split("\n\n")[1], StringComparison.Ordinal);

        await _pair.RunAsync("execute log filter field action tunnel-up tunnel-down", session);
        var filtered = await _pair.RunAsync("execute log display", session);
        Assert.StartsWith("1 logs found.\n1 logs returned.\n\n1: date=", filtered, StringComparison.Ordinal);
        Assert.Contains("action=\"tunnel-up\"", filtered, StringComparison.Ordinal);
        Assert.Contains("filter: action=tunnel-up,tunnel-down", await _pair.RunAsync("execute log filter dump", session), StringComparison.Ordinal);

        await _pair.RunAsync("execute log filter category 0", session);
        Assert.StartsWith("0 logs found.", await _pair.RunAsync("execute log display", session), StringComparison.Ordinal);
        await _pair.RunAsync("execute log filter reset", session);
        Assert.StartsWith("3 logs found.", await _pair.RunAsync("execute log display", session), StringComparison.Ordinal);
    }

    public void Dispose() => _pair.Dispose();

    private static string WithoutCountdowns(string report) =>
        System.Text.RegularExpressions.Regex.Replace(report, @"(lifetime/rekey: \d+)/\d+", "$1/N");
}
