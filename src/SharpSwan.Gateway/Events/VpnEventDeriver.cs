using System.Globalization;
using System.Net;
using SharpSwan.Ike.Events;

namespace SharpSwan.Gateway.Events;

/// <summary>
/// Maps the engine's typed events to FortiOS VPN event records (tunnel-up/down, delete_phase1_sa, install_sa,
/// delete_phase2_sa, phase2-up/down, negotiate errors). It remembers per tunnel which IKE SA is current (so a rekey's
/// deletion of the old SA is not a tunnel-down) and which phase 2 SAs are installed (so a child rekey is not a
/// phase2-down/up pair). Not thread-safe: feed it from one thread (the engine thread, where events are published).
/// </summary>
/// <param name="interfaceOf">The phase 1's `interface` for `outintf`; null leaves it "N/A".</param>
/// <param name="counters">Bytes sent and received so far on a tunnel, for tunnel-down's sentbyte/rcvdbyte.</param>
public sealed class VpnEventDeriver(Func<string, string?>? interfaceOf = null, Func<string, (long Sent, long Received)>? counters = null)
{
    private const string NotAvailable = "N/A";
    private const string Phase1Error = "IPsec phase 1 error";

    /// <summary>Position of `cookies` in <see cref="Connection"/>'s list.</summary>
    private const int CookieIndex = 5;
    private readonly Dictionary<string, TunnelState> _tunnels = new(StringComparer.Ordinal);

    public IReadOnlyList<VpnEvent> Observe(IkeEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Phase1 is not { } phase1)
        {
            // Gateway-wide: a request from a peer no phase 1 is configured for.
            return e switch
            {
                PeerRefused refused => [Error(VpnEventIds.Phase1Error, Phase1Error, Phase1Error, e, null, new TunnelState(), refused.Reason, null, e.Remote)],
                PeerRefusalsSummarised summary => [Error(
                    VpnEventIds.Phase1Error, Phase1Error, Phase1Error, e, null, new TunnelState(),
                    $"{summary.Reason} ({summary.Count.ToString(CultureInfo.InvariantCulture)} more since {summary.Since.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}, too many to log one by one)",
                    null)],
                _ => [],
            };
        }

        switch (e)
        {
            case DialupInstanceCreated created:
                // A dial-up instance starts afresh: its name may have been used before.
                _tunnels[phase1] = new TunnelState { Template = created.Template };
                return [];
            case DialupInstanceRemoved:
                _tunnels.Remove(phase1);
                return [];
            case AddressAssigned { ToPeer: true } assigned:
                // FortiOS's assignip of the instance's records; an address a server gives us is not one.
                State(phase1).AssignedIp = assigned.Address.ToString();
                return [];
            case XauthSucceeded passed:
                // The tunnel-up record that follows, and every later one of the instance, names the user.
                State(phase1).XauthUser = passed.User;
                State(phase1).XauthGroup = passed.Group;
                return [];
            case XauthFailed failed:
                var refused = State(phase1);
                refused.XauthUser = failed.User.Length == 0 ? null : failed.User;
                refused.XauthGroup = failed.Group;
                return [Error(VpnEventIds.Phase1Error, Phase1Error, Phase1Error, e, phase1, refused, $"XAUTH authentication failed: {XauthReason(failed.Failure)}", null, e.Remote)];
            case IkeSaEstablished established:
                return Established(established, phase1, State(phase1));
            case IkeSaRekeyed rekeyed:
                return [Rekeyed(rekeyed, phase1, State(phase1))];
            case IkeSaDeleted deleted:
                return IkeSaDeleted(deleted, phase1, State(phase1));
            case ChildSaInstalled installed:
                return ChildAdded(installed, phase1, State(phase1));
            case ChildSaDeleted deleted:
                return [ChildDeleted(deleted, phase1, State(phase1))];
            case Phase2Down down:
                var state = State(phase1);
                return state.Installed.Remove(down.Phase2) ? [Phase2Status(e, phase1, state, down.Phase2, up: false, down.Reason)] : [];
            default:
                return NegotiationError(e, phase1, State(phase1));
        }
    }

    private List<VpnEvent> Established(IkeSaEstablished e, string phase1, TunnelState state)
    {
        var wasUp = state.IkeSpi is not null;
        state.IkeSpi = e.Spis;
        state.Local = e.Local ?? state.Local;
        state.Remote = e.Remote ?? state.Remote;
        if (wasUp)
        {
            return [];
        }

        state.UpSince = e.At;
        state.CountersAtUp = counters?.Invoke(phase1) ?? (0, 0);
        var fields = Connection(e, phase1, state);
        fields.Add(new("tunnelip", NotAvailable, Quoted: false));
        fields.Add(new("tunneltype", "ipsec"));
        fields.Add(new("duration", "0", Quoted: false));
        fields.Add(new("sentbyte", "0", Quoted: false));
        fields.Add(new("rcvdbyte", "0", Quoted: false));
        fields.Add(new("nextstat", "0", Quoted: false));
        return [new VpnEvent(e.At, VpnEventIds.ConnectionUpDown, "notice", "tunnel-up", "IPsec connection status changed", "IPsec connection status change", phase1, fields)];
    }

    /// <summary>
    /// A new IKE SA took over the tunnel (an IKEv2 rekey, an IKEv1 phase-1 renewal): FortiOS's "Progress IPsec phase 1"
    /// record, <c>init</c> saying which end started it. The tunnel stays up, so no tunnel-up record.
    /// </summary>
    private VpnEvent Rekeyed(IkeSaRekeyed e, string phase1, TunnelState state)
    {
        state.IkeSpi = e.NewSpis;
        var fields = Connection(e, phase1, state);
        fields.Add(new("status", "success"));
        fields.Add(new("init", e.ByPeer ? "remote" : "local"));
        fields.Add(new("stage", "1", Quoted: false));
        fields.Add(new("result", "DONE"));
        return new VpnEvent(e.At, VpnEventIds.Phase1Progress, "notice", "negotiate", "Progress IPsec phase 1", "progress IPsec phase 1", phase1, fields);
    }

    private List<VpnEvent> IkeSaDeleted(IkeSaDeleted e, string phase1, TunnelState state)
    {
        var events = new List<VpnEvent>();
        var deletion = Connection(e, phase1, state);
        deletion[CookieIndex] = new("cookies", e.Spis);
        deletion.Add(new("reason", e.Reason));
        events.Add(new VpnEvent(e.At, VpnEventIds.DeletePhase1Sa, "notice", "delete_phase1_sa", "IPsec phase 1 SA deleted", "delete IPsec phase 1 SA", phase1, deletion));
        if (state.IkeSpi != e.Spis)
        {
            return events;
        }

        var (sent, received) = counters?.Invoke(phase1) ?? (0, 0);
        var duration = state.UpSince is { } since ? Math.Max(0, (long)(e.At - since).TotalSeconds) : 0;
        var fields = Connection(e, phase1, state);
        fields.Add(new("tunnelip", NotAvailable, Quoted: false));
        fields.Add(new("tunneltype", "ipsec"));
        fields.Add(new("duration", Number(duration), Quoted: false));
        fields.Add(new("sentbyte", Number(Math.Max(0, sent - state.CountersAtUp.Sent)), Quoted: false));
        fields.Add(new("rcvdbyte", Number(Math.Max(0, received - state.CountersAtUp.Received)), Quoted: false));
        fields.Add(new("nextstat", "0", Quoted: false));
        fields.Add(new("reason", e.Reason));
        events.Add(new VpnEvent(e.At, VpnEventIds.ConnectionUpDown, "notice", "tunnel-down", "IPsec connection status changed", "IPsec connection status change", phase1, fields));
        _tunnels.Remove(phase1);
        return events;
    }

    private List<VpnEvent> ChildAdded(ChildSaInstalled e, string phase1, TunnelState state)
    {
        var events = new List<VpnEvent>();
        var fields = Connection(e, phase1, state);
        fields.Add(new("phase2_name", e.Phase2));
        fields.Add(new("role", e.Role == IkeRole.Initiator ? "initiator" : "responder"));
        fields.Add(new("in_spi", Spi(e.InboundSpi)));
        fields.Add(new("out_spi", Spi(e.OutboundSpi)));
        fields.Add(new("proposal", e.Proposal));
        events.Add(new VpnEvent(e.At, VpnEventIds.InstallSa, "notice", "install_sa", "IPsec SA installed", "install IPsec SA", phase1, fields));
        if (!state.Installed.TryGetValue(e.Phase2, out var installed))
        {
            installed = [];
            state.Installed[e.Phase2] = installed;
        }

        // The first SA of a phase 2 brings it up; a rekey's new SA arrives while the old one is still installed.
        if (installed.Count == 0)
        {
            events.Add(Phase2Status(e, phase1, state, e.Phase2, up: true, reason: null));
        }

        installed.Add(e.InboundSpi);
        return events;
    }

    private VpnEvent ChildDeleted(ChildSaDeleted e, string phase1, TunnelState state)
    {
        if (state.Installed.TryGetValue(e.Phase2, out var installed))
        {
            installed.Remove(e.InboundSpi);
        }

        var fields = Connection(e, phase1, state);
        fields.Add(new("phase2_name", e.Phase2));
        fields.Add(new("in_spi", Spi(e.InboundSpi)));
        fields.Add(new("out_spi", Spi(e.OutboundSpi)));
        fields.Add(new("reason", e.Reason));
        return new VpnEvent(e.At, VpnEventIds.DeletePhase2Sa, "notice", "delete_phase2_sa", "IPsec phase 2 SA deleted", "delete IPsec phase 2 SA", phase1, fields);
    }

    private IReadOnlyList<VpnEvent> NegotiationError(IkeEvent e, string phase1, TunnelState state)
    {
        const string Phase2Description = "Negotiate IPsec phase 2";
        const string Phase2Error = "IPsec phase 2 error";
        return e switch
        {
            // A child SA refused or failed (`phase2_name` when the phase 2 is known; a TS_UNACCEPTABLE refusal names none).
            NegotiationFailed { Stage: NegotiationStage.ChildSa } f => [EsnField(Error(VpnEventIds.Phase2Error, Phase2Description, Phase2Error, e, phase1, state, f.Reason, f.Phase2), f)],

            // Nothing was negotiated: no record, as FortiOS writes none before its first exchange.
            NegotiationFailed { Stage: NegotiationStage.Start } => [],
            NegotiationFailed { Stage: NegotiationStage.IkeRekey } f => [Error(VpnEventIds.Phase1Error, Phase1Error, Phase1Error, e, phase1, state, $"IKE rekey failed: {f.Reason}", null)],
            NegotiationFailed f => [Error(VpnEventIds.Phase1Error, Phase1Error, Phase1Error, e, phase1, state, Phase1Reason(f), null)],
            DpdFailed dead => [Error(VpnEventIds.Phase1Error, Phase1Error, Phase1Error, e, phase1, state, dead.Reason, null)],

            // Refusals on the responder side name the peer: a dial-up phase 1 has no remote of its own.
            AuthenticationFailed refused => [Error(VpnEventIds.Phase1Error, Phase1Error, Phase1Error, e, phase1, state, $"authentication failed: {refused.Reason}", null, e.Remote)],
            PeerRefused refused => [Error(VpnEventIds.Phase1Error, Phase1Error, Phase1Error, e, phase1, state, refused.Reason, null, e.Remote)],
            _ => [],
        };
    }

    private static string XauthReason(XauthFailure failure) => failure switch
    {
        XauthFailure.MissingCredentials => "no user name or password",
        XauthFailure.UnknownUser => "user not in the group",
        _ => "wrong password",
    };

    /// <summary>A child SA refused over our <c>esn require</c> says so in a field of its own (<c>esn="require"</c>), not only in its reason.</summary>
    private static VpnEvent EsnField(VpnEvent record, NegotiationFailed failed) =>
        failed.EsnRequired ? record with { Fields = [.. record.Fields, new VpnEventField("esn", "require")] } : record;

    /// <summary>FortiOS's wording for a proposal we could not accept; other reasons as the engine gives them.</summary>
    private static string Phase1Reason(NegotiationFailed failed) =>
        failed is { Notify: Ike.Wire.NotifyType.NoProposalChosen, NotifySent: true, Stage: NegotiationStage.IkeSaInit }
            ? "peer SA proposal not match local policy"
            : failed.Reason;

    private VpnEvent Phase2Status(IkeEvent e, string phase1, TunnelState state, string phase2, bool up, string? reason)
    {
        var fields = Connection(e, phase1, state);
        fields.Add(new("phase2_name", phase2));
        if (reason is not null)
        {
            fields.Add(new("reason", reason));
        }

        return new VpnEvent(e.At, VpnEventIds.Phase2UpDown, "notice", up ? "phase2-up" : "phase2-down", "IPsec phase 2 status changed", "IPsec phase 2 status change", phase1, fields);
    }

    private VpnEvent Error(string logId, string description, string message, IkeEvent e, string? phase1, TunnelState state, string reason, string? phase2, IPEndPoint? peer = null)
    {
        var fields = Connection(e, phase1, state, peer);
        if (phase2 is not null)
        {
            fields.Add(new("phase2_name", phase2));
        }

        fields.Add(new("status", "negotiate_error"));
        fields.Add(new("reason", reason));
        return new VpnEvent(e.At, logId, "error", "negotiate", description, message, phase1, fields);
    }

    /// <summary>The fields every VPN record starts with, FortiOS's order: remip locip remport locport outintf cookies ... vpntunnel.</summary>
    private List<VpnEventField> Connection(IkeEvent e, string? phase1, TunnelState state, IPEndPoint? peer = null)
    {
        var local = state.Local ?? e.Local;
        var remote = peer ?? state.Remote ?? e.Remote;
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
            new("xauthuser", state.XauthUser ?? NotAvailable),
            new("xauthgroup", state.XauthGroup ?? NotAvailable),
            new("assignip", state.AssignedIp ?? NotAvailable, Quoted: false),
            new("vpntunnel", phase1 ?? NotAvailable),
        ];
    }

    private TunnelState State(string phase1)
    {
        if (!_tunnels.TryGetValue(phase1, out var state))
        {
            state = new TunnelState();
            _tunnels[phase1] = state;
        }

        return state;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Spi(uint spi) => spi.ToString("x8", CultureInfo.InvariantCulture);

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

        /// <summary>For an IKEv1 dial-up instance: the user that logged in with XAUTH (or tried to), and its group.</summary>
        public string? XauthUser { get; set; }

        public string? XauthGroup { get; set; }

        public (long Sent, long Received) CountersAtUp { get; set; }

        /// <summary>Per phase 2, the inbound SPIs of its installed SAs (two around a rekey).</summary>
        public Dictionary<string, HashSet<uint>> Installed { get; } = new(StringComparer.Ordinal);
    }
}
