using System.Globalization;
using System.Text;
using SharpSwan.Config;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Hosting;
using SharpSwan.Ike.Engine;
using SharpSwan.Ike.Keys;
using SharpSwan.Ike.Negotiation;

namespace SharpSwan.Gateway.Diagnostics;

/// <summary>
/// FortiOS-shaped reports (`get vpn ipsec tunnel summary`, `diagnose vpn tunnel list`, `diagnose vpn ike gateway list`).
/// Built on the engine thread so the SA state is consistent. SA keys appear only in `diagnose vpn tunnel list ... keys`;
/// every other report hides them.
/// Dial-up: a <c>type dynamic</c> phase 1 is a template (never an SA); each connected peer is its own instance tunnel
/// (<c>&lt;phase1&gt;_&lt;n&gt;</c>) with its own SAs and counters, listed right after its template.
/// </summary>
public static class TunnelReports
{
    /// <summary>
    /// Every tunnel in report order: by name, each dial-up template followed by its instances by index (name order alone
    /// would put <c>HUB_10</c> before <c>HUB_2</c>, and another phase 1 called <c>HUB-x</c> between them).
    /// </summary>
    public static IReadOnlyList<TunnelRuntime> Ordered(IkeEngine engine)
    {
        var all = engine.Tunnels.ToList();
        var ordered = new List<TunnelRuntime>(all.Count);
        foreach (var tunnel in all.Where(t => !t.IsDialupInstance).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            ordered.Add(tunnel);
            ordered.AddRange(all.Where(t => t.Template == tunnel).OrderBy(t => t.InstanceIndex));
        }

        // Instances whose template was just removed by a configuration change still show until they go.
        ordered.AddRange(all.Where(t => t.IsDialupInstance && !ordered.Contains(t)).OrderBy(t => t.Name, StringComparer.Ordinal));
        return ordered;
    }

    /// <summary>
    /// `get vpn ipsec tunnel summary`. Dial-up templates are left out: fortios.md has no summary line for a template, only
    /// that its peers are tunnels of their own, so each instance is listed (with its peer's address) and the template is not.
    /// </summary>
    public static string Summary(IkeEngine engine, EspDataPlane dataPlane)
    {
        var text = new StringBuilder();
        foreach (var tunnel in Ordered(engine).Where(t => !t.IsDialupTemplate))
        {
            var path = dataPlane.FindTunnel(tunnel.Name);
            var sa = tunnel.Current is { State: IkeSaState.Established } current ? current : null;
            var remote = sa is null ? $"{RemoteGatewayOf(tunnel)}:0" : $"{sa.Remote.Address}:{sa.Remote.Port}";
            var up = tunnel.Phase2.Count(p => sa is not null && sa.Children.Any(c => c.Phase2Name == p.Name && c.State != ChildSaState.Deleting));
            text.Append(CultureInfo.InvariantCulture, $"'{tunnel.Name}' {remote}  selectors(total,up): {tunnel.Phase2.Count}/{up}  ");
            text.Append(CultureInfo.InvariantCulture, $"rx(pkt,err): {Read(path?.RxPackets)}/{Read(path?.RxErrors)}  tx(pkt,err): {Read(path?.TxPackets)}/{Read(path?.TxErrors)}\n");
        }

        return text.ToString();
    }

    /// <param name="showKeys">Print the ESP keys in FortiOS's `key=&lt;bytes&gt; &lt;hex&gt;` form (SharpSwan's explicit `keys` option).</param>
    /// <remarks>
    /// A dial-up template prints as FortiOS's `mode=dialup/2` with `proxyid_num=0 child_num=&lt;instances&gt;` and no proxyid
    /// block, its remote gateway 0.0.0.0:0; an instance prints `mode=dial_inst/3`, then `parent=&lt;template&gt; index=&lt;n&gt;`,
    /// and its proxyids (the selectors its peer negotiated) never carry `auto-negotiate`: a dial-up side cannot initiate.
    /// </remarks>
    public static string TunnelList(IkeEngine engine, EspDataPlane dataPlane, TimeProvider time, string? name, bool showKeys = false)
    {
        var now = time.GetUtcNow();
        var text = new StringBuilder("list all ipsec tunnel in vd 0\n");
        var serial = 0;
        var tunnels = Ordered(engine);
        foreach (var tunnel in tunnels)
        {
            serial++;
            if (name is not null && tunnel.Name != name)
            {
                continue;
            }

            var settings = tunnel.Settings;
            var path = dataPlane.FindTunnel(tunnel.Name);
            var sa = tunnel.Current is { State: IkeSaState.Established } current ? current : null;
            var local = sa?.Local.ToString() ?? $"{tunnel.LocalAddress?.ToString() ?? "0.0.0.0"}:0";
            var remote = sa?.Remote.ToString() ?? $"{RemoteGatewayOf(tunnel)}:0";
            var tunId = sa?.Remote.Address.ToString() ?? RemoteGatewayOf(tunnel);
            var nowTicks = Environment.TickCount64;
            text.Append("------------------------------------------------------\n");
            text.Append(CultureInfo.InvariantCulture, $"name={tunnel.Name} ver={settings.IkeVersion} serial={serial} {local}->{remote} tun_id={tunId} dst_mtu=1500 dpd-link=on weight=1\n");
            text.Append(CultureInfo.InvariantCulture, $"bound_if={InterfaceIndex(settings.Interface)} lgwy=static/1 tun={(settings.IsInterfaceMode ? "intf" : "tunnel")} mode={Mode(tunnel)} encap=none/0 options[0000]= accept_traffic=1\n\n");
            if (tunnel.IsDialupInstance)
            {
                text.Append(CultureInfo.InvariantCulture, $"parent={tunnel.Template!.Name} index={tunnel.InstanceIndex}\n");
            }

            var ilast = path is null || path.LastRxTicks == 0 ? 0 : (nowTicks - path.LastRxTicks) / 1000;
            var olast = path is null || path.LastTxTicks == 0 ? 0 : (nowTicks - path.LastTxTicks) / 1000;
            IReadOnlyList<Phase2Settings> selectors = tunnel.IsDialupTemplate ? [] : tunnel.Phase2;
            var instanceCount = tunnel.IsDialupTemplate ? tunnels.Count(t => t.Template == tunnel) : 0;
            text.Append(CultureInfo.InvariantCulture, $"proxyid_num={selectors.Count} child_num={instanceCount} refcnt=1 ilast={ilast} olast={olast} ad=/0\n");
            text.Append(CultureInfo.InvariantCulture, $"stat: rxp={Read(path?.RxPackets)} txp={Read(path?.TxPackets)} rxb={Read(path?.RxBytes)} txb={Read(path?.TxBytes)}\n");
            text.Append(CultureInfo.InvariantCulture, $"dpd: mode={Dpd(settings.Dpd)} on={(settings.Dpd == DpdMode.Disable ? 0 : 1)} idle={settings.DpdRetryIntervalSeconds * 1000}ms retry={settings.DpdRetryCount} count={sa?.DpdFailures ?? 0} seqno=0\n");
            var natt = sa is { UsesNatTraversal: true } ? $"natt: mode={(sa.LocalBehindNat ? "keepalive" : "silent")} draft=0 interval={settings.NatKeepaliveSeconds} remote_port={sa.Remote.Port}" : "natt: mode=none draft=0 interval=0 remote_port=0";
            text.Append(natt).Append('\n');
            foreach (var phase2 in selectors)
            {
                var children = sa?.Children.Where(c => c.Phase2Name == phase2.Name).OrderByDescending(c => c.Serial).ToList() ?? [];
                var state = children.Count == 0 ? 0 : children.Count(c => c.State != ChildSaState.Deleting) > 1 || children.Any(c => c.State == ChildSaState.Rekeying) ? 2 : 1;
                var flags = phase2.AutoNegotiate && !tunnel.IsDialupInstance ? " auto-negotiate" : string.Empty;
                text.Append(CultureInfo.InvariantCulture, $"proxyid={phase2.Name} proto={phase2.Protocol} sa={state} ref={children.Count + 1} serial=1{flags}\n");
                var src = children.FirstOrDefault()?.LocalSelector is { } ls ? SelectorMath.Describe(ls) : $"{phase2.Protocol}:{phase2.Source.Start}-{phase2.Source.End}:{phase2.SourcePort}";
                var dst = children.FirstOrDefault()?.RemoteSelector is { } rs ? SelectorMath.Describe(rs) : $"{phase2.Protocol}:{phase2.Destination.Start}-{phase2.Destination.End}:{phase2.DestinationPort}";
                text.Append(CultureInfo.InvariantCulture, $"  src: {src}\n");
                text.Append(CultureInfo.InvariantCulture, $"  dst: {dst}\n");
                foreach (var child in children)
                {
                    var data = dataPlane.FindByInboundSpi(child.InboundSpi);
                    var soft = Math.Max(0, (int)(child.SoftExpiry - now).TotalSeconds);
                    var hard = Math.Max(0, (int)(child.HardExpiry - now).TotalSeconds);
                    var life = phase2.KeyLifeSeconds;
                    var seq = data?.Outbound.LastSequenceNumber ?? 0;
                    text.Append(CultureInfo.InvariantCulture, $"  SA:  ref=3 options=10226 type=00 soft={(child.SoftExpired ? 1 : 0)} mtu=1400 expire={soft}/0B replaywin={(phase2.Replay ? 1024 : 0)}\n");
                    text.Append(CultureInfo.InvariantCulture, $"       seqno={seq:x} esn={(child.Suite.ExtendedSequenceNumbers ? 1 : 0)} replaywin_lastseq={data?.Inbound.LastSequenceNumber ?? 0:x8} state={child.State.ToString().ToLowerInvariant()} rekey={(child.State == ChildSaState.Rekeying ? 1 : 0)}\n");
                    text.Append(CultureInfo.InvariantCulture, $"  life: type=01 bytes={data?.Outbound.Bytes ?? 0}/0 timeout={hard}/{life}\n");
                    var cipher = SuiteNames.Cipher(child.Suite.Encryption);
                    var auth = child.Suite.Integrity == Crypto.IntegrityAlgorithm.None ? "null" : SuiteNames.Hash(child.Suite.Integrity);
                    if (showKeys && data is not null)
                    {
                        var install = data.Install;
                        text.Append(CultureInfo.InvariantCulture, $"  dec: spi={child.InboundSpi:x8} esp={cipher} {KeyText(install.InboundEncryptionKey)}\n");
                        text.Append(CultureInfo.InvariantCulture, $"       ah={auth} {KeyText(install.InboundIntegrityKey)}\n");
                        text.Append(CultureInfo.InvariantCulture, $"  enc: spi={child.OutboundSpi:x8} esp={cipher} {KeyText(install.OutboundEncryptionKey)}\n");
                        text.Append(CultureInfo.InvariantCulture, $"       ah={auth} {KeyText(install.OutboundIntegrityKey)}\n");
                    }
                    else
                    {
                        // The lengths `keys` prints (an AEAD key with its salt; the integrity key), only the hex withheld.
                        var encryptionKey = HiddenKeyText(Crypto.PacketProtector.EncryptionKeyMaterialLength(child.Suite.Encryption, child.Suite.KeyBits));
                        var integrityKey = HiddenKeyText(Crypto.PacketProtector.IntegrityKeyLength(child.Suite.Integrity));
                        text.Append(CultureInfo.InvariantCulture, $"  dec: spi={child.InboundSpi:x8} esp={cipher} {encryptionKey}\n");
                        text.Append(CultureInfo.InvariantCulture, $"       ah={auth} {integrityKey}\n");
                        text.Append(CultureInfo.InvariantCulture, $"  enc: spi={child.OutboundSpi:x8} esp={cipher} {encryptionKey}\n");
                        text.Append(CultureInfo.InvariantCulture, $"       ah={auth} {integrityKey}\n");
                    }

                    text.Append(CultureInfo.InvariantCulture, $"  dec:pkts/bytes={data?.Inbound.Packets ?? 0}/{data?.Inbound.Bytes ?? 0}, enc:pkts/bytes={data?.Outbound.Packets ?? 0}/{data?.Outbound.Bytes ?? 0}\n");
                }
            }

            text.Append("run_tally=0\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// `diagnose vpn ike gateway list [name X]`. A dial-up template holds no IKE SA, so it is no gateway of its own: its
    /// instances are (and `name &lt;template&gt;` lists them). fortios.md shows no field for a mode-cfg address, so an
    /// instance's leased address is on a line of SharpSwan's own, `sharpswan-assigned-ip:`, and a <c>system interface</c>
    /// tunnel address on `sharpswan-tunnel-ip:`.
    /// </summary>
    public static string GatewayList(IkeEngine engine, TimeProvider time, string? name)
    {
        var now = time.GetUtcNow();
        var text = new StringBuilder();
        foreach (var tunnel in Ordered(engine).Where(t => !t.IsDialupTemplate))
        {
            if (name is not null && tunnel.Name != name && tunnel.Template?.Name != name)
            {
                continue;
            }

            var sa = tunnel.Current;
            text.Append("vd: root/0\n");
            text.Append(CultureInfo.InvariantCulture, $"name: {tunnel.Name}\nversion: {tunnel.Settings.IkeVersion}\ninterface: {tunnel.Settings.Interface}\n");
            if (tunnel.Settings.IkeVersion == 1)
            {
                // SharpSwan's own line: FortiOS shows the IKEv1 exchange only in its debug output.
                text.Append(CultureInfo.InvariantCulture, $"sharpswan-mode: {(tunnel.Settings.Mode == Ikev1Mode.Aggressive ? "aggressive" : "main")}\n");
            }

            text.Append(sa is null ? "addr: ->\n" : $"addr: {sa.Local} -> {sa.Remote}\n");
            if (tunnel.AssignedAddress is { } assigned)
            {
                text.Append(CultureInfo.InvariantCulture, $"sharpswan-assigned-ip: {assigned}\n");
            }

            if (tunnel.XauthUser is { } xauthUser)
            {
                text.Append(CultureInfo.InvariantCulture, $"xauth-user: {xauthUser}\n");
            }

            // The system interface tunnel address on its TUN device (SharpSwan's own line, like the assigned one).
            if (engine.Configuration.FindTunnelInterface(tunnel.Name)?.AddressText is { Length: > 0 } tunnelIp)
            {
                text.Append(CultureInfo.InvariantCulture, $"sharpswan-tunnel-ip: {tunnelIp}\n");
            }

            if (sa is not null)
            {
                var age = (int)(now - sa.CreatedAt).TotalSeconds;
                text.Append(CultureInfo.InvariantCulture, $"created: {age}s ago\n");
                text.Append(CultureInfo.InvariantCulture, $"IPsec SA: created {sa.Children.Count}/{sa.Children.Count}  established {sa.Children.Count}/{sa.Children.Count}\n\n");
                text.Append(CultureInfo.InvariantCulture, $"  id/spi: {sa.Serial} {sa.SpiText}\n  direction: {sa.Direction}\n");
                text.Append(sa.State switch
                {
                    IkeSaState.Established => $"  status: established {(int)(now - (sa.EstablishedAt ?? now)).TotalSeconds}s ago\n",
                    IkeSaState.Deleting or IkeSaState.Dead => $"  status: deleting, started {age}s ago\n",
                    _ => $"  status: connecting, state {ConnectingStage(sa.State)}, started {age}s ago\n",
                });
                if (sa.Suite is { } suite)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  proposal: {suite.DisplayName}\n");
                }

                // Unknown until the peer has authenticated: the line is left out rather than printed empty.
                if (sa.PeerIdentity.Length > 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"  peer-id: {sa.PeerIdentity}\n");
                }

                var rekey = sa.RekeyAt is { } at ? Math.Max(0, (int)(at - now).TotalSeconds) : 0;
                text.Append(CultureInfo.InvariantCulture, $"  lifetime/rekey: {tunnel.Settings.KeyLifeSeconds}/{rekey}\n");
                if (tunnel.Settings.IkeVersion == 2)
                {
                    // IKEv1 has no message-ID sequence (each exchange picks a random ID); FortiOS prints the line for IKEv2 only.
                    text.Append(CultureInfo.InvariantCulture, $"  message-id sent/recv: {sa.NextRequestId}/{sa.NextExpectedRequestId}\n");
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// The number FortiOS prints after `connecting, state`: SharpSwan counts the exchange the SA waits in (1 the first,
    /// IKE_SA_INIT or its IKEv1 counterpart; 2 the authenticating one), so no engine-internal name reaches the admin.
    /// </summary>
    private static int ConnectingStage(IkeSaState state) => state == IkeSaState.AuthSent ? 2 : 1;

    /// <summary>
    /// `get vpn ipsec tunnel details` (and `get vpn ipsec tunnel name &lt;p1&gt;`): per tunnel its gateways, IKE version,
    /// interface, traffic counters and DPD, then each selector with its SA's lifetimes, sequence and SPIs. No keys.
    /// </summary>
    /// <remarks>
    /// A dial-up template shows its configured selectors and never an SA; each instance shows its peer as remote gateway,
    /// the selectors its peer negotiated, `parent:` (its template, as `diagnose vpn tunnel list` prints `parent=`) and, with
    /// mode-cfg, SharpSwan's `sharpswan-assigned-ip:` line.
    /// </remarks>
    public static string Details(IkeEngine engine, EspDataPlane dataPlane, TimeProvider time, string? name)
    {
        var now = time.GetUtcNow();
        var text = new StringBuilder();
        foreach (var tunnel in Ordered(engine))
        {
            if (name is not null && tunnel.Name != name)
            {
                continue;
            }

            var settings = tunnel.Settings;
            var path = dataPlane.FindTunnel(tunnel.Name);
            var sa = tunnel.Current is { State: IkeSaState.Established } current ? current : null;
            var type = settings.Type == Phase1Type.Dynamic ? "dialup" : "static";
            text.Append(CultureInfo.InvariantCulture, $"gate='{tunnel.Name}' type={(settings.IsInterfaceMode ? "route-based" : "policy-based")}\n");
            text.Append(CultureInfo.InvariantCulture, $"local-gateway: {sa?.Local.ToString() ?? $"{tunnel.LocalAddress?.ToString() ?? settings.LocalGateway.ToString()}:0"} ({type})\n");
            text.Append(CultureInfo.InvariantCulture, $"remote-gateway: {sa?.Remote.ToString() ?? $"{RemoteGatewayOf(tunnel)}:0"} ({type})\n");
            if (tunnel.IsDialupInstance)
            {
                text.Append(CultureInfo.InvariantCulture, $"parent: '{tunnel.Template!.Name}' index: {tunnel.InstanceIndex}\n");
                if (sa is { PeerIdentity.Length: > 0 })
                {
                    text.Append(CultureInfo.InvariantCulture, $"peer-id: {sa.PeerIdentity}\n");
                }
            }

            if (tunnel.AssignedAddress is { } assigned)
            {
                text.Append(CultureInfo.InvariantCulture, $"sharpswan-assigned-ip: {assigned}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"mode: ike-v{settings.IkeVersion}\n");
            text.Append(CultureInfo.InvariantCulture, $"interface: '{settings.Interface}' ({InterfaceIndex(settings.Interface)})\n");
            text.Append(CultureInfo.InvariantCulture, $"rx  packets: {Read(path?.RxPackets)}  bytes: {Read(path?.RxBytes)}  errors: {Read(path?.RxErrors)}\n");
            text.Append(CultureInfo.InvariantCulture, $"tx  packets: {Read(path?.TxPackets)}  bytes: {Read(path?.TxBytes)}  errors: {Read(path?.TxErrors)}\n");
            text.Append(CultureInfo.InvariantCulture, $"dpd: {Dpd(settings.Dpd)}/{(sa is null ? "not negotiated" : "negotiated")}  idle: {settings.DpdRetryIntervalSeconds * 1000}ms  retry: {settings.DpdRetryCount}  count: {sa?.DpdFailures ?? 0}\n");
            text.Append("selectors\n");
            foreach (var phase2 in tunnel.Phase2)
            {
                text.Append(CultureInfo.InvariantCulture, $"  name: '{phase2.Name}'\n");
                var children = sa?.Children.Where(c => c.Phase2Name == phase2.Name && c.State != ChildSaState.Deleting).OrderByDescending(c => c.Serial).ToList() ?? [];
                text.Append(CultureInfo.InvariantCulture, $"  auto-negotiate: {(phase2.AutoNegotiate && settings.Type != Phase1Type.Dynamic ? "enable" : "disable")}\n");
                text.Append(CultureInfo.InvariantCulture, $"  mode: {(phase2.Encapsulation == Encapsulation.TransportMode ? "transport" : "tunnel")}\n");

                // An instance's peer narrowed the template's selectors (to its assigned address with mode-cfg): show what holds.
                var negotiated = tunnel.IsDialupInstance ? children.FirstOrDefault() : null;
                text.Append(CultureInfo.InvariantCulture, $"  src: {(negotiated is null ? $"{phase2.Protocol}:{Selector(phase2.Source)}:{phase2.SourcePort}" : SelectorMath.Describe(negotiated.LocalSelector))}\n");
                text.Append(CultureInfo.InvariantCulture, $"  dst: {(negotiated is null ? $"{phase2.Protocol}:{Selector(phase2.Destination)}:{phase2.DestinationPort}" : SelectorMath.Describe(negotiated.RemoteSelector))}\n");
                foreach (var child in children)
                {
                    var data = dataPlane.FindByInboundSpi(child.InboundSpi);
                    var rekey = Math.Max(0, (int)(child.SoftExpiry - now).TotalSeconds);
                    var cipher = SuiteNames.Cipher(child.Suite.Encryption);
                    var auth = child.Suite.Integrity == Crypto.IntegrityAlgorithm.None ? "null" : SuiteNames.Hash(child.Suite.Integrity);
                    text.Append("  SA\n");
                    text.Append(CultureInfo.InvariantCulture, $"    lifetime/rekey: {phase2.KeyLifeSeconds}/{rekey}\n");
                    text.Append("    mtu: 1400\n");
                    text.Append(CultureInfo.InvariantCulture, $"    tx-esp-seq: {data?.Outbound.LastSequenceNumber ?? 0:x}\n");
                    text.Append(CultureInfo.InvariantCulture, $"    replay: {(phase2.Replay ? "enabled" : "disabled")}\n");
                    text.Append(CultureInfo.InvariantCulture, $"    inbound\n      spi: {child.InboundSpi:x8}\n      enc: {cipher}\n      auth: {auth}\n");
                    text.Append(CultureInfo.InvariantCulture, $"    outbound\n      spi: {child.OutboundSpi:x8}\n      enc: {cipher}\n      auth: {auth}\n");
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// `get vpn ipsec stats tunnel`: tunnel counts by type, tunnels with data-plane errors, selectors total and up.
    /// Counted are the tunnels that carry traffic: static ones and dial-up instances (`dynamic:`, one per connected peer);
    /// a dial-up template is only their pattern (FortiOS prints it with `proxyid_num=0`), so it adds no tunnel or selector.
    /// </summary>
    public static string IpsecStats(IkeEngine engine, EspDataPlane dataPlane)
    {
        var tunnels = engine.Tunnels.Where(t => !t.IsDialupTemplate).ToList();
        var selectors = tunnels.Sum(t => t.Phase2.Count);
        var up = tunnels.Sum(UpSelectors);
        var errors = tunnels.Count(t => dataPlane.FindTunnel(t.Name) is { } path && (Interlocked.Read(ref path.RxErrors) > 0 || Interlocked.Read(ref path.TxErrors) > 0));
        var text = new StringBuilder();
        text.Append("tunnels\n");
        text.Append(CultureInfo.InvariantCulture, $" total: {tunnels.Count}\n");
        text.Append(CultureInfo.InvariantCulture, $" static/ddns: {tunnels.Count(t => !t.IsDialupInstance)}\n");
        text.Append(CultureInfo.InvariantCulture, $" dynamic: {tunnels.Count(t => t.IsDialupInstance)}\n");
        text.Append(" manual: 0\n");
        text.Append(CultureInfo.InvariantCulture, $" errors: {errors}\n");
        text.Append("selectors\n");
        text.Append(CultureInfo.InvariantCulture, $" total: {selectors}\n");
        text.Append(CultureInfo.InvariantCulture, $" up: {up}\n");
        return text.ToString();
    }

    /// <summary>
    /// `diagnose vpn tunnel stat`: `dev=` tunnel interfaces, `tunnel=` tunnels with an established IKE SA, `proxyid=` selectors,
    /// `sa=` installed child SAs, `conc=` concentrators (none), `up=` selectors with an SA; then the data-plane counters, with
    /// the packets whose handling failed (`pkt_err`) and the packet threads started again (`thread_restart`), and what each
    /// bounded queue dropped (`drop:`, see <see cref="DataPlaneDrops"/>).
    /// Dial-up instances share their template's interface (one `dev`) and count as tunnels; templates have no selectors.
    /// </summary>
    public static string TunnelStat(IkeEngine engine, EspDataPlane dataPlane)
    {
        var tunnels = engine.Tunnels.Where(t => !t.IsDialupTemplate).ToList();
        var established = tunnels.Where(t => t.Current is { State: IkeSaState.Established }).ToList();
        var childSas = established.Sum(t => t.Current!.Children.Count(c => c.State != ChildSaState.Deleting));
        var paths = dataPlane.Tunnels.ToList();
        long Sum(Func<TunnelPath, long> read) => paths.Sum(read);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"dev={paths.Count(p => p.Template is null)} tunnel={established.Count} proxyid={tunnels.Sum(t => t.Phase2.Count)} sa={childSas} conc=0 up={tunnels.Sum(UpSelectors)}\n");
        text.Append(CultureInfo.InvariantCulture, $"rxp={Sum(p => Interlocked.Read(ref p.RxPackets))} txp={Sum(p => Interlocked.Read(ref p.TxPackets))} ");
        text.Append(CultureInfo.InvariantCulture, $"rxb={Sum(p => Interlocked.Read(ref p.RxBytes))} txb={Sum(p => Interlocked.Read(ref p.TxBytes))}\n");
        text.Append(CultureInfo.InvariantCulture, $"pkt_err={Interlocked.Read(ref dataPlane.PacketErrors)} thread_restart={Interlocked.Read(ref dataPlane.ThreadRestarts)}\n");
        var drops = dataPlane.Drops();
        text.Append(CultureInfo.InvariantCulture, $"drop: tun_queue={drops.TunQueue} tun_write={drops.TunWrite} sock_rx={drops.SocketReceive} ");
        text.Append(CultureInfo.InvariantCulture, $"sock_tx={drops.SocketSend} trigger_full={drops.TriggerQueue}\n");
        text.Append(CultureInfo.InvariantCulture, $"rx_err={Sum(p => Interlocked.Read(ref p.RxErrors))} tx_err={Sum(p => Interlocked.Read(ref p.TxErrors))} ");
        text.Append(CultureInfo.InvariantCulture, $"no_sa_drop={Sum(p => p.Phase2.Sum(s => s.Traffic.DroppedWithoutSa))} offload_drop={Sum(p => Interlocked.Read(ref p.OffloadDrops))} ");
        text.Append(CultureInfo.InvariantCulture, $"invalid={Interlocked.Read(ref dataPlane.InvalidPackets)}\n");
        return text.ToString();
    }

    /// <summary>
    /// `diagnose vpn ike stats`: IKE SAs by state and the messages dropped unanswered because they were not SK-protected
    /// after IKE_SA_INIT or did not verify (issue 11), in total and for each tunnel that had any.
    /// </summary>
    public static string IkeStats(IkeEngine engine, EngineLoop? loop = null)
    {
        var sas = engine.Tunnels.Select(t => t.Current).OfType<IkeSa>().ToList();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"ike.sa.established: {sas.Count(sa => sa.State == IkeSaState.Established)}\n");
        text.Append(CultureInfo.InvariantCulture, $"ike.sa.negotiating: {sas.Count(sa => sa.State != IkeSaState.Established)}\n");
        text.Append(CultureInfo.InvariantCulture, $"rx.unprotected.drop: {engine.Statistics.UnprotectedDropped}\n");
        text.Append(CultureInfo.InvariantCulture, $"rx.integrity.drop: {engine.Statistics.IntegrityFailed}\n");
        if (engine.Statistics.MessagesFragmented + engine.Statistics.MessagesReassembled + engine.Statistics.FragmentsDropped > 0)
        {
            // RFC 7383 fragmentation, once it happened at all.
            text.Append(CultureInfo.InvariantCulture, $"tx.fragmented: {engine.Statistics.MessagesFragmented}\n");
            text.Append(CultureInfo.InvariantCulture, $"rx.reassembled: {engine.Statistics.MessagesReassembled}\n");
            text.Append(CultureInfo.InvariantCulture, $"rx.fragment.drop: {engine.Statistics.FragmentsDropped}\n");
        }

        if (engine.Statistics.HeldMessagesDropped > 0)
        {
            // Messages for an SA waiting for its public-key work, over the hold cap or left when the SA went.
            text.Append(CultureInfo.InvariantCulture, $"rx.held.drop: {engine.Statistics.HeldMessagesDropped}\n");
        }

        if (engine.Statistics.PeersRefused > 0)
        {
            // Refusals of unknown peers; during a flood most are counted here without a log line each.
            text.Append(CultureInfo.InvariantCulture, $"rx.peer.refused: {engine.Statistics.PeersRefused} (not logged one by one: {engine.Statistics.RefusalsNotLogged})\n");
        }

        foreach (var tunnel in engine.Tunnels.Where(t => t.UnprotectedDrops > 0).OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"tunnel {tunnel.Name}: rx.unprotected.drop {tunnel.UnprotectedDrops}\n");
        }

        AppendInitDefences(text, engine, loop);

        return text.ToString();
    }

    /// <summary>
    /// The IKE_SA_INIT flood defences (issue 11, item 3), listed once the responder has kept or refused anything: half-open
    /// SAs, COOKIEs sent and refused, the secret's version, and each kind of drop.
    /// </summary>
    private static void AppendInitDefences(StringBuilder text, IkeEngine engine, EngineLoop? loop)
    {
        var statistics = engine.Statistics;
        var oversized = statistics.InitTooLarge + (loop?.InitOversized ?? 0);
        var queueFull = loop?.InitDropped ?? 0;
        if (engine.HalfOpenCount == 0 && statistics.CookiesSent == 0 && oversized == 0 && queueFull == 0
            && statistics.InitHalfOpenLimit == 0 && statistics.InitSourceLimit == 0)
        {
            return;
        }

        text.Append(CultureInfo.InvariantCulture, $"ike.sa.half-open: {engine.HalfOpenCount}\n");
        text.Append(CultureInfo.InvariantCulture, $"tx.init.cookie: {statistics.CookiesSent}\n");
        text.Append(CultureInfo.InvariantCulture, $"rx.init.cookie.invalid: {statistics.CookiesRejected}\n");
        text.Append(CultureInfo.InvariantCulture, $"init.cookie.secret-version: {statistics.CookieSecretVersion}\n");
        text.Append(CultureInfo.InvariantCulture, $"rx.init.too-large.drop: {oversized}\n");
        text.Append(CultureInfo.InvariantCulture, $"rx.init.half-open-limit.drop: {statistics.InitHalfOpenLimit}\n");
        text.Append(CultureInfo.InvariantCulture, $"rx.init.source-limit.drop: {statistics.InitSourceLimit}\n");
        text.Append(CultureInfo.InvariantCulture, $"rx.init.queue-full.drop: {queueFull}\n");
    }

    /// <summary>FortiOS's `key=&lt;bytes&gt; &lt;hex&gt;`; a combined-mode cipher's empty integrity key is just `key=0`.</summary>
    private static string KeyText(byte[] key) => key.Length == 0 ? "key=0" : $"key={key.Length} {Convert.ToHexStringLower(key)}";

    /// <summary>As <see cref="KeyText"/> for a key of <paramref name="length"/> bytes that is not shown.</summary>
    private static string HiddenKeyText(int length) => length == 0 ? "key=0" : $"key={length} <hidden>";

    private static int UpSelectors(TunnelRuntime tunnel) =>
        tunnel.Current is { State: IkeSaState.Established } sa
            ? tunnel.Phase2.Count(p => sa.Children.Any(c => c.Phase2Name == p.Name && c.State != ChildSaState.Deleting))
            : 0;

    /// <summary>FortiOS's selector text: `10.1.0.0/255.255.255.0` for a subnet, `start-end` for any other range.</summary>
    private static string Selector(AddressSelector selector) =>
        selector.PrefixLength is { } prefix
            ? $"{selector.Start}/{Mask(prefix)}"
            : $"{selector.Start}-{selector.End}";

    private static string Mask(int prefix)
    {
        Span<byte> bytes = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, prefix == 0 ? 0u : uint.MaxValue << (32 - prefix));
        return new System.Net.IPAddress(bytes).ToString();
    }

    /// <summary>The kernel's index of an interface of this namespace (FortiOS's `bound_if`), 0 when it is unknown.</summary>
    private static int InterfaceIndex(string name)
    {
        try
        {
            var link = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(n => n.Name == name);
            return link?.GetIPProperties().GetIPv4Properties()?.Index ?? 0;
        }
        catch (System.Net.NetworkInformation.NetworkInformationException)
        {
            return 0;
        }
    }

    private static long Read(long? value) => value ?? 0;

    /// <summary>FortiOS's `mode=`: `auto/1` for a static peer, `dialup/2` for a dial-up template, `dial_inst/3` for an instance.</summary>
    private static string Mode(TunnelRuntime tunnel) =>
        tunnel.IsDialupInstance ? "dial_inst/3" : tunnel.IsDialupTemplate ? "dialup/2" : "auto/1";

    /// <summary>The configured remote gateway; a dial-up phase 1 has none (FortiOS prints 0.0.0.0).</summary>
    private static string RemoteGatewayOf(TunnelRuntime tunnel) =>
        tunnel.Settings.Type == Phase1Type.Dynamic ? "0.0.0.0" : tunnel.Settings.RemoteGateway.ToString();

    private static string Dpd(DpdMode mode) => mode switch
    {
        DpdMode.Disable => "disable",
        DpdMode.OnIdle => "on-idle",
        _ => "on-demand",
    };
}
