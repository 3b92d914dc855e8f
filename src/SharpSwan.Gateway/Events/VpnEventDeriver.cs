using System.Globalization;
using System.Net;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Ike.Logging;

namespace SharpSwan.Gateway.Events;

/// <summary>
/// Turns the engine's event-level debug lines into FortiOS VPN events. The engine has no event API, so this is the one
/// place that knows its line texts (IkeEngine.*.cs): `established IKE SA`, `IKE SA rekeyed`, `IKE SA ... deleted`,
/// `added IPsec SA`, `deleted IPsec SA`, `phase2 ... down`, `negotiation failure ...`, `PSK auth failed`, `no phase2 matches`,
/// `ignoring IKE request from ...`. It remembers per tunnel which IKE SA is current (so a rekey's deletion of the old SA
/// is not a tunnel-down) and which phase 2 SAs are installed (so a child rekey is not a phase2-down/up pair).
/// Not thread-safe: feed it from one thread (the engine thread, where lines are written).
/// </summary>
/// <param name="interfaceOf">The phase 1's `interface` for `outintf`; null leaves it "N/A".</param>
/// <param name="counters">Bytes sent and received so far on a tunnel, for tunnel-down's sentbyte/rcvdbyte.</param>
public sealed class VpnEventDeriver(Func<string, string?>? interfaceOf = null, Func<string, (long Sent, long Received)>? counters = null)
{
    private const string NotAvailable = "N/A";

    /// <summary>Position of `cookies` in <see cref="Connection"/>'s list.</summary>
    private const int CookieIndex = 5;
    private readonly Dictionary<string, TunnelState> tunnels = new(StringComparer.Ordinal);

    public IReadOnlyList<VpnEvent> Observe(IkeDebugLine line)
    {
        if (line.Level != IkeLogLevel.Event || !IkeLinePrefix.TrySplit(line.Text, out var phase1, out var phase2, out var text))
        {
            return [];
        }

        if (phase1 is null)
        {
            return GatewayWide(line, text);
        }

        // A dial-up instance (`dial-up instance of HUB created` under HUB_0) starts afresh: its name may have been used before.
        if (text.StartsWith("dial-up instance of ", StringComparison.Ordinal) && text.EndsWith(" created", StringComparison.Ordinal))
        {
            tunnels[phase1] = new TunnelState { Template = text["dial-up instance of ".Length..^" created".Length] };
            return [];
        }

        if (text == "dial-up instance removed")
        {
            tunnels.Remove(phase1);
            return [];
        }

        var state = State(phase1);

        // `mode-cfg: assigned 10.10.10.1 to peer ...`: FortiOS's assignip of the instance's records.
        if (text.StartsWith("mode-cfg: assigned ", StringComparison.Ordinal))
        {
            state.AssignedIp = FirstWord(text["mode-cfg: assigned ".Length..]);
            return [];
        }

        if (text.StartsWith("established IKE SA ", StringComparison.Ordinal))
        {
            return Established(line, phase1, state, text);
        }

        if (text.StartsWith("IKE SA rekeyed", StringComparison.Ordinal) && After(text, "-> ") is { } successor)
        {
            state.IkeSpi = FirstWord(successor);
            return [];
        }

        if (text.StartsWith("IKE SA ", StringComparison.Ordinal) && text.Contains(" deleted (", StringComparison.Ordinal))
        {
            return IkeSaDeleted(line, phase1, state, text);
        }

        if (phase2 is not null && text.StartsWith("added IPsec SA: SPIs=", StringComparison.Ordinal))
        {
            return ChildAdded(line, phase1, phase2, state, text);
        }

        if (phase2 is not null && text.StartsWith("deleted IPsec SA: SPIs=", StringComparison.Ordinal))
        {
            return ChildDeleted(line, phase1, phase2, state, text);
        }

        if (text.StartsWith("phase2 ", StringComparison.Ordinal) && text.Contains(" down (", StringComparison.Ordinal))
        {
            var name = FirstWord(text["phase2 ".Length..]);
            if (state.Installed.Remove(name))
            {
                return [Phase2Status(line, phase1, state, name, up: false, Between(text, " down (", ")") ?? string.Empty)];
            }

            return [];
        }

        return NegotiationError(line, phase1, state, text);
    }

    private IReadOnlyList<VpnEvent> GatewayWide(IkeDebugLine line, string text)
    {
        // `ignoring IKE request from 198.51.100.9:500: no phase1 configured for this peer`
        if (text.StartsWith("ignoring IKE request from ", StringComparison.Ordinal))
        {
            var reason = After(text, ": ") is { } after && after.Contains(' ', StringComparison.Ordinal) ? after : "no matching phase1";
            return [Error(VpnEventIds.Phase1Error, "IPsec phase 1 error", "IPsec phase 1 error", line, null, new TunnelState(), reason, phase2: null)];
        }

        return [];
    }

    private IReadOnlyList<VpnEvent> Established(IkeDebugLine line, string phase1, TunnelState state, string text)
    {
        // `established IKE SA <spi> <initiator|responder> <local>-><remote> proposal <p> dhgrp <n>, peer id <id>`
        var words = text["established IKE SA ".Length..].Split(' ');
        if (words.Length < 3)
        {
            return [];
        }

        var arrow = words[2].IndexOf("->", StringComparison.Ordinal);
        var wasUp = state.IkeSpi is not null;
        state.IkeSpi = words[0];
        if (arrow > 0 && IPEndPoint.TryParse(words[2][..arrow], out var local) && IPEndPoint.TryParse(words[2][(arrow + 2)..], out var remote))
        {
            state.Local = local;
            state.Remote = remote;
        }

        if (wasUp)
        {
            return [];
        }

        state.UpSince = line.Time;
        state.CountersAtUp = counters?.Invoke(phase1) ?? (0, 0);
        var fields = Connection(line, phase1, state);
        fields.Add(new("tunnelip", NotAvailable, Quoted: false));
        fields.Add(new("tunneltype", "ipsec"));
        fields.Add(new("duration", "0", Quoted: false));
        fields.Add(new("sentbyte", "0", Quoted: false));
        fields.Add(new("rcvdbyte", "0", Quoted: false));
        fields.Add(new("nextstat", "0", Quoted: false));
        return [new VpnEvent(line.Time, VpnEventIds.ConnectionUpDown, "notice", "tunnel-up", "IPsec connection status changed", "IPsec connection status change", phase1, fields)];
    }

    private IReadOnlyList<VpnEvent> IkeSaDeleted(IkeDebugLine line, string phase1, TunnelState state, string text)
    {
        // `IKE SA <spi> deleted (<reason>)`
        var spi = FirstWord(text["IKE SA ".Length..]);
        var reason = Between(text, " deleted (", ")") ?? string.Empty;
        var events = new List<VpnEvent>();
        var deletion = Connection(line, phase1, state);
        deletion[CookieIndex] = new("cookies", spi);
        deletion.Add(new("reason", reason));
        events.Add(new VpnEvent(line.Time, VpnEventIds.DeletePhase1Sa, "notice", "delete_phase1_sa", "IPsec phase 1 SA deleted", "delete IPsec phase 1 SA", phase1, deletion));
        if (state.IkeSpi != spi)
        {
            return events;
        }

        var (sent, received) = counters?.Invoke(phase1) ?? (0, 0);
        var duration = state.UpSince is { } since ? Math.Max(0, (long)(line.Time - since).TotalSeconds) : 0;
        var fields = Connection(line, phase1, state);
        fields.Add(new("tunnelip", NotAvailable, Quoted: false));
        fields.Add(new("tunneltype", "ipsec"));
        fields.Add(new("duration", Number(duration), Quoted: false));
        fields.Add(new("sentbyte", Number(Math.Max(0, sent - state.CountersAtUp.Sent)), Quoted: false));
        fields.Add(new("rcvdbyte", Number(Math.Max(0, received - state.CountersAtUp.Received)), Quoted: false));
        fields.Add(new("nextstat", "0", Quoted: false));
        fields.Add(new("reason", reason));
        events.Add(new VpnEvent(line.Time, VpnEventIds.ConnectionUpDown, "notice", "tunnel-down", "IPsec connection status changed", "IPsec connection status change", phase1, fields));
        tunnels.Remove(phase1);
        return events;
    }

    private IReadOnlyList<VpnEvent> ChildAdded(IkeDebugLine line, string phase1, string phase2, TunnelState state, string text)
    {
        // `added IPsec SA: SPIs=<in>/<out> proposal <p>[ pfs dhgrp <n>] <initiator|responder>`
        var spis = FirstWord(text["added IPsec SA: SPIs=".Length..]).Split('/');
        if (spis.Length != 2)
        {
            return [];
        }

        var words = text.Split(' ');
        var role = words[^1] is "initiator" or "responder" ? words[^1] : NotAvailable;
        var proposal = After(text, " proposal ") is { } p ? FirstWord(p) : NotAvailable;
        var events = new List<VpnEvent>();
        var fields = Connection(line, phase1, state);
        fields.Add(new("phase2_name", phase2));
        fields.Add(new("role", role));
        fields.Add(new("in_spi", spis[0]));
        fields.Add(new("out_spi", spis[1]));
        fields.Add(new("proposal", proposal));
        events.Add(new VpnEvent(line.Time, VpnEventIds.InstallSa, "notice", "install_sa", "IPsec SA installed", "install IPsec SA", phase1, fields));
        if (!state.Installed.TryGetValue(phase2, out var installed))
        {
            installed = [];
            state.Installed[phase2] = installed;
        }

        // The first SA of a phase 2 brings it up; a rekey's new SA arrives while the old one is still installed.
        if (installed.Count == 0)
        {
            events.Add(Phase2Status(line, phase1, state, phase2, up: true, reason: null));
        }

        installed.Add(spis[0]);
        return events;
    }

    private IReadOnlyList<VpnEvent> ChildDeleted(IkeDebugLine line, string phase1, string phase2, TunnelState state, string text)
    {
        // `deleted IPsec SA: SPIs=<in>/<out> (<reason>)`
        var spis = FirstWord(text["deleted IPsec SA: SPIs=".Length..]).Split('/');
        if (spis.Length != 2)
        {
            return [];
        }

        if (state.Installed.TryGetValue(phase2, out var installed))
        {
            installed.Remove(spis[0]);
        }

        var fields = Connection(line, phase1, state);
        fields.Add(new("phase2_name", phase2));
        fields.Add(new("in_spi", spis[0]));
        fields.Add(new("out_spi", spis[1]));
        fields.Add(new("reason", Between(text, " (", ")") ?? string.Empty));
        return [new VpnEvent(line.Time, VpnEventIds.DeletePhase2Sa, "notice", "delete_phase2_sa", "IPsec phase 2 SA deleted", "delete IPsec phase 2 SA", phase1, fields)];
    }

    private IReadOnlyList<VpnEvent> NegotiationError(IkeDebugLine line, string phase1, TunnelState state, string text)
    {
        // Phase 2: `negotiation failure for <p2>: <reason>`, `no phase2 matches peer selectors ...: TS_UNACCEPTABLE`.
        if (text.StartsWith("negotiation failure for ", StringComparison.Ordinal))
        {
            var rest = text["negotiation failure for ".Length..];
            var colon = rest.IndexOf(": ", StringComparison.Ordinal);
            var phase2 = colon > 0 ? rest[..colon] : FirstWord(rest);
            var reason = colon > 0 ? rest[(colon + 2)..] : rest;
            return [Error(VpnEventIds.Phase2Error, "Negotiate IPsec phase 2", "IPsec phase 2 error", line, phase1, state, reason, phase2)];
        }

        if (text.StartsWith("no phase2 matches peer selectors", StringComparison.Ordinal))
        {
            return [Error(VpnEventIds.Phase2Error, "Negotiate IPsec phase 2", "IPsec phase 2 error", line, phase1, state, text, phase2: null)];
        }

        // Phase 1: `negotiation failure: <reason>` (initiator side, timeouts, DPD), `PSK auth failed: ...` (responder side),
        // `IKE rekey failed: ...`.
        if (text.StartsWith("negotiation failure: ", StringComparison.Ordinal))
        {
            var reason = text["negotiation failure: ".Length..];
            if (reason.StartsWith("no SA proposal chosen", StringComparison.Ordinal))
            {
                reason = "peer SA proposal not match local policy";
            }

            return [Error(VpnEventIds.Phase1Error, "IPsec phase 1 error", "IPsec phase 1 error", line, phase1, state, reason, phase2: null)];
        }

        // Refusals on the responder side name the peer in the text: a dial-up phase 1 has no remote of its own.
        if (text.StartsWith("authentication failed: ", StringComparison.Ordinal))
        {
            var body = text["authentication failed: ".Length..];
            var reason = body.IndexOf(" (peer ", StringComparison.Ordinal) is var cut and > 0 ? body[..cut] : body;
            return [Error(VpnEventIds.Phase1Error, "IPsec phase 1 error", "IPsec phase 1 error", line, phase1, state, $"authentication failed: {reason}", phase2: null, PeerNamedIn(text))];
        }

        if (text.StartsWith("mode-cfg: no address left in pool", StringComparison.Ordinal))
        {
            var reason = text.IndexOf(" for peer ", StringComparison.Ordinal) is var cut and > 0 ? text[..cut] : text;
            return [Error(VpnEventIds.Phase1Error, "IPsec phase 1 error", "IPsec phase 1 error", line, phase1, state, reason, phase2: null, PeerNamedIn(text))];
        }

        if (text.StartsWith("PSK auth failed", StringComparison.Ordinal) || text.StartsWith("IKE rekey failed", StringComparison.Ordinal))
        {
            var reason = text.IndexOf(" (peer ", StringComparison.Ordinal) is var cut and > 0 ? text[..cut] : text;
            return [Error(VpnEventIds.Phase1Error, "IPsec phase 1 error", "IPsec phase 1 error", line, phase1, state, reason, phase2: null)];
        }

        return [];
    }

    private VpnEvent Phase2Status(IkeDebugLine line, string phase1, TunnelState state, string phase2, bool up, string? reason)
    {
        var fields = Connection(line, phase1, state);
        fields.Add(new("phase2_name", phase2));
        if (reason is not null)
        {
            fields.Add(new("reason", reason));
        }

        return new VpnEvent(line.Time, VpnEventIds.Phase2UpDown, "notice", up ? "phase2-up" : "phase2-down", "IPsec phase 2 status changed", "IPsec phase 2 status change", phase1, fields);
    }

    private VpnEvent Error(string logId, string description, string message, IkeDebugLine line, string? phase1, TunnelState state, string reason, string? phase2, IPEndPoint? peer = null)
    {
        var fields = Connection(line, phase1, state, peer);
        if (phase2 is not null)
        {
            fields.Add(new("phase2_name", phase2));
        }

        fields.Add(new("status", "negotiate_error"));
        fields.Add(new("reason", reason));
        return new VpnEvent(line.Time, logId, "error", "negotiate", description, message, phase1, fields);
    }

    /// <summary>The fields every VPN record starts with, FortiOS's order: remip locip remport locport outintf cookies ... vpntunnel.</summary>
    private List<VpnEventField> Connection(IkeDebugLine line, string? phase1, TunnelState state, IPEndPoint? peer = null)
    {
        var local = state.Local ?? line.Local;
        var remote = peer ?? state.Remote ?? line.Remote;
        return
        [
            new("remip", remote?.Address.ToString() ?? NotAvailable, Quoted: false),
            new("locip", local?.Address.ToString() ?? NotAvailable, Quoted: false),
            new("remport", remote is { Port: > 0 } ? Number(remote.Port) : NotAvailable, Quoted: false),
            new("locport", local is { Port: > 0 } ? Number(local.Port) : NotAvailable, Quoted: false),
            new("outintf", (phase1 is null ? null : interfaceOf?.Invoke(state.Template ?? phase1)) ?? NotAvailable),
            new("cookies", state.IkeSpi ?? NotAvailable),
            new("user", NotAvailable),
            new("group", NotAvailable),
            new("xauthuser", NotAvailable),
            new("xauthgroup", NotAvailable),
            new("assignip", state.AssignedIp ?? NotAvailable, Quoted: false),
            new("vpntunnel", phase1 ?? NotAvailable),
        ];
    }

    /// <summary>The endpoint after "peer " in a log line (<c>peer 192.0.2.2:4500</c>), if any.</summary>
    private static IPEndPoint? PeerNamedIn(string text)
    {
        var at = text.IndexOf("peer ", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = text[(at + 5)..];
        var end = rest.IndexOfAny([',', ' ', ')']);
        return IPEndPoint.TryParse(end < 0 ? rest : rest[..end], out var endpoint) ? endpoint : null;
    }

    private TunnelState State(string phase1)
    {
        if (!tunnels.TryGetValue(phase1, out var state))
        {
            state = new TunnelState();
            tunnels[phase1] = state;
        }

        return state;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FirstWord(string text)
    {
        var space = text.IndexOf(' ');
        return space < 0 ? text : text[..space];
    }

    private static string? After(string text, string marker)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return at < 0 ? null : text[(at + marker.Length)..];
    }

    private static string? Between(string text, string open, string close)
    {
        var start = text.IndexOf(open, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += open.Length;
        var end = text.LastIndexOf(close, StringComparison.Ordinal);
        return end < start ? null : text[start..end];
    }

    private sealed class TunnelState
    {
        /// <summary>SPI pair of the IKE SA that carries the tunnel; null while the tunnel is down.</summary>
        public string? IkeSpi { get; set; }

        public IPEndPoint? Local { get; set; }

        public IPEndPoint? Remote { get; set; }

        public DateTimeOffset? UpSince { get; set; }

        /// <summary>For a dial-up instance: its template (whose interface it uses).</summary>
        public string? Template { get; init; }

        /// <summary>For a dial-up instance: the address mode-cfg leased to its peer.</summary>
        public string? AssignedIp { get; set; }

        public (long Sent, long Received) CountersAtUp { get; set; }

        /// <summary>Per phase 2, the inbound SPIs of its installed SAs (two around a rekey).</summary>
        public Dictionary<string, HashSet<string>> Installed { get; } = new(StringComparer.Ordinal);
    }
}
