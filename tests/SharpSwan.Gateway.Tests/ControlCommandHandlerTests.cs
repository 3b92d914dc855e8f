using SharpSwan.Config;
using SharpSwan.Crypto;
using SharpSwan.Gateway.Control;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Logging;
using SharpSwan.Platform;

namespace SharpSwan.Gateway.Tests;

/// <summary>
/// The control socket's command handling against a real engine on its own thread, with no sockets or tunnel devices
/// (so no root is needed): FortiOS output shapes, FortiOS error answers, and no secret in any report.
/// </summary>
public sealed class ControlCommandHandlerTests : IDisposable
{
    private const string Psk = "very-secret-psk-value";
    private readonly EngineLoop _loop = new(TimeProvider.System);
    private readonly EspDataPlane _dataPlane = new(SystemRandomSource.Instance, TimeProvider.System);
    private readonly ControlCommandHandler _handler;

    public ControlCommandHandlerTests()
    {
        var result = ConfigurationLoader.Parse(
            $$"""
            config vpn ipsec phase1-interface
                edit "to-branch"
                    set interface "eth0"
                    set ike-version 2
                    set local-gw 192.0.2.1
                    set remote-gw 198.51.100.2
                    set proposal aes256gcm-prfsha384
                    set dhgrp 20
                    set psksecret "{{Psk}}"
                next
            end
            config vpn ipsec phase2-interface
                edit "to-branch-p2"
                    set phase1name "to-branch"
                    set proposal aes256gcm
                    set src-subnet 10.1.0.0 255.255.255.0
                    set dst-subnet 10.2.0.0 255.255.255.0
                    set auto-negotiate enable
                next
            end
            """,
            "test.conf");
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var options = new IkeEngineOptions { LocalAddressResolver = p => p.LocalGateway };
        var engine = new IkeEngine(result.Configuration!, options, TimeProvider.System, SystemRandomSource.Instance, new GatewayEngineHost(_dataPlane, 4500), NullIkeLog.Instance);
        _loop.Start(engine);
        _handler = new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System);
    }

    [Fact]
    public async Task Summary_ShowsEachTunnelInFortiOsShape_WithSelectorsDownWhileNoSaExists()
    {
        var output = await Run("get vpn ipsec tunnel summary");
        Assert.Equal("'to-branch' 198.51.100.2:0  selectors(total,up): 1/0  rx(pkt,err): 0/0  tx(pkt,err): 0/0\n", output);
    }

    [Fact]
    public async Task Abbreviations_AreAcceptedAsFortiOsDoes()
    {
        var output = await Run("get vpn ipsec tun sum");
        Assert.StartsWith("'to-branch' ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TunnelList_HasTheFortiOsFieldsAndTheAutoNegotiateFlag()
    {
        var output = await Run("diagnose vpn tunnel list");
        Assert.StartsWith("list all ipsec tunnel in vd 0\n", output, StringComparison.Ordinal);
        Assert.Contains("name=to-branch ver=2 ", output, StringComparison.Ordinal);
        Assert.Contains("proxyid=to-branch-p2 proto=0 sa=0 ", output, StringComparison.Ordinal);
        Assert.Contains(" auto-negotiate\n", output, StringComparison.Ordinal);
        Assert.Contains("  src: 0:10.1.0.0-10.1.0.255:0\n", output, StringComparison.Ordinal);
        Assert.Contains("  dst: 0:10.2.0.0-10.2.0.255:0\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommand_GetsTheFortiOsParseError()
    {
        var output = await Run("diagnose vpn tunnle list");
        Assert.Equal("command parse error before 'tunnle'\nCommand fail. Return code -61\n", output);
    }

    [Fact]
    public async Task TunnelUp_ForAPhase2ThatDoesNotExist_SaysEntryNotFound()
    {
        var output = await Run("diagnose vpn tunnel up no-such-p2");
        Assert.Contains("entry not found in datasource", output, StringComparison.Ordinal);
        Assert.EndsWith("Command fail. Return code -3\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteVpnIpsecTunnel_UpAndDown_ActLikeTheDiagnoseCommands()
    {
        Assert.Contains("entry not found in datasource", await Run("execute vpn ipsec tunnel up no-such-p2"), StringComparison.Ordinal);
        Assert.Equal(
            "execute vpn ipsec tunnel down <phase2> [<phase1>]: phase2 name missing\nCommand fail. Return code -160\n",
            await Run("execute vpn ipsec tunnel down"));

        // A phase 2 that exists is acted on: nothing to report, as with diagnose vpn tunnel up.
        Assert.Equal("", await Run("execute vpn ipsec tunnel up to-branch-p2 to-branch"));
        Assert.Equal("", await Run("exec vpn ipsec tun down to-branch-p2"));
    }

    [Fact]
    public async Task SysSession_TheFilterOfThisLoginChoosesWhatClearDeletes_AndTheKernelsRefusalIsReported()
    {
        var cleared = new List<SessionFilter>();
        var refuse = false;
        var handler = new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System)
        {
            Diagnose = new DiagnoseCommands(_loop, _dataPlane, TimeProvider.System)
            {
                ClearSessions = filter =>
                {
                    if (refuse)
                    {
                        throw new NetlinkException("flush the connection tracking table", 1, "Operation not permitted");
                    }

                    cleared.Add(filter);
                    return 0;
                },
            },
        };
        var session = new ControlSession();

        Assert.Equal("", await Run(handler, session, "diagnose sys session clear"));
        Assert.True(Assert.Single(cleared).IsEmpty);

        Assert.Equal("", await Run(handler, session, "diagnose sys session filter dport 53"));
        Assert.Equal("", await Run(handler, session, "diag sys sess filter src 10.1.0.0 10.1.0.255"));
        Assert.Contains("        dest port: 53-53\n", await Run(handler, session, "diagnose sys session filter"), StringComparison.Ordinal);
        Assert.Equal("", await Run(handler, session, "diagnose sys session clear"));
        Assert.Equal((ushort)53, cleared[1].DestinationPorts?.First);
        Assert.Equal("10.1.0.0-10.1.0.255", cleared[1].Source?.ToString());

        // Another login has its own filter (none), as FortiOS keeps it per console.
        Assert.Equal("", await Run(handler, new ControlSession(), "diagnose sys session clear"));
        Assert.True(cleared[2].IsEmpty);

        // The list shows what the filter matches: the session to port 53 from 10.1.0.x, not the other one.
        var listing = new ControlCommandHandler(_loop, _dataPlane, TimeProvider.System)
        {
            Diagnose = new DiagnoseCommands(_loop, _dataPlane, TimeProvider.System)
            {
                ListSessions = () =>
                [
                    new(17, 0x0a010005, 0xc000024d, 20000, 53, true, []) { PolicyId = 3, ReplySource = 0xc000024d, ReplyDestination = 0x0a010005, ReplySourcePort = 53, ReplyDestinationPort = 20000 },
                    new(17, 0x0a010005, 0xc000024d, 20001, 123, true, []) { ReplySource = 0xc000024d, ReplyDestination = 0x0a010005, ReplySourcePort = 123, ReplyDestinationPort = 20001 },
                ],
            },
        };
        var listed = await Run(listing, session, "diagnose sys session list");
        Assert.Contains("10.1.0.5:20000->192.0.2.77:53", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(":123", listed, StringComparison.Ordinal);
        Assert.EndsWith("total session 1\n", listed, StringComparison.Ordinal);
        Assert.StartsWith("misc info:       session_count=2\n", await Run(listing, session, "diagnose sys session stat"), StringComparison.Ordinal);

        // get system session list: every session, whatever this login's filter.
        var table = await Run(listing, session, "get system session list");
        Assert.StartsWith("PROTO   EXPIRE SOURCE", table, StringComparison.Ordinal);
        Assert.Contains("udp     -      10.1.0.5:20000   -                192.0.2.77:53    -\n", table, StringComparison.Ordinal);
        Assert.Contains(":123 ", table, StringComparison.Ordinal);

        Assert.Equal("", await Run(handler, session, "diagnose sys session filter policy 3"));
        Assert.Contains("        policy id: 3-3\n", await Run(handler, session, "diagnose sys session filter"), StringComparison.Ordinal);
        var byPolicy = await Run(listing, session, "diagnose sys session list");
        Assert.Contains("misc=0 policy_id=3 vd=0\n", byPolicy, StringComparison.Ordinal);
        Assert.EndsWith("total session 1\n", byPolicy, StringComparison.Ordinal);
        Assert.Equal("", await Run(handler, session, "diagnose sys session filter policy 4"));
        Assert.EndsWith("total session 0\n", await Run(listing, session, "diagnose sys session list"), StringComparison.Ordinal);
        await Run(handler, session, "diagnose sys session filter clear");
        Assert.StartsWith("command parse error", await Run(handler, session, "diagnose sys session filter dport 70000"), StringComparison.Ordinal);
        Assert.StartsWith("sintf: not available as a session filter", await Run(handler, session, "diagnose sys session filter sintf port1"), StringComparison.Ordinal);

        refuse = true;
        var refused = await Run(handler, session, "diagnose sys session clear");
        Assert.Contains("Operation not permitted", refused, StringComparison.Ordinal);
        Assert.EndsWith("Command fail. Return code -1\n", refused, StringComparison.Ordinal);
        Assert.Equal(3, cleared.Count);
    }

    [Fact]
    public async Task Rekey_WithoutAnInstalledSa_Fails()
    {
        var output = await Run("diagnose vpn tunnel rekey to-branch-p2 to-branch");
        Assert.Contains("no installed SA to rekey", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoReport_EverContainsThePreSharedKey()
    {
        foreach (var command in new[] { "get vpn ipsec tunnel summary", "diagnose vpn tunnel list", "diagnose vpn ike gateway list" })
        {
            var output = await Run(command);
            Assert.NotEmpty(output);
            Assert.DoesNotContain(Psk, output, StringComparison.Ordinal);
        }
    }

    public void Dispose()
    {
        _loop.Dispose();
        _dataPlane.Dispose();
    }

    private Task<string> Run(string command) => Run(_handler, null, command);

    private static async Task<string> Run(ControlCommandHandler handler, ControlSession? session, string command)
    {
        using var writer = new StringWriter { NewLine = "\n" };
        await (session is null ? handler.HandleAsync(command, writer, CancellationToken.None) : handler.HandleAsync(session, command, writer, CancellationToken.None));
        return writer.ToString();
    }
}
