using System.Net;
using SharpSwan.Crypto.Certificates;

namespace SharpSwan.Config;

/// <summary>
/// Checks that need a whole entry or several entries: required attributes, references between
/// tables, and the settings SharpSwan cannot honour. Every problem is reported; none stops the others.
/// </summary>
internal static class ConfigurationValidator
{
    public static void Validate(
        IReadOnlyList<Phase1Draft> phase1,
        IReadOnlyList<Phase2Draft> phase2,
        IReadOnlyList<(StaticRoute Route, RawEntry Entry)> routes,
        DiagnosticBag diagnostics)
    {
        ReportDuplicateNames(phase1.Select(p => (p.Settings.Name, p.Settings.IsInterfaceMode, p.Entry)), "phase1", diagnostics);
        ReportDuplicateNames(phase2.Select(p => (p.Settings.Name, p.Settings.IsInterfaceMode, p.Entry)), "phase2", diagnostics);

        foreach (var draft in phase1)
        {
            ValidatePhase1(draft, diagnostics);
        }

        Ikev1Validator.ValidateDialUps(phase1, diagnostics);

        foreach (var draft in phase2)
        {
            ValidatePhase2(draft, phase1, diagnostics);
        }

        foreach (var (route, entry) in routes)
        {
            StaticRouteChecks.CheckNextHop(route, entry, diagnostics);
        }
    }

    private static void ValidatePhase1(Phase1Draft draft, DiagnosticBag diagnostics)
    {
        var settings = draft.Settings;
        var entry = draft.Entry;
        var what = $"{TableName("phase1", settings.IsInterfaceMode)} \"{settings.Name}\"";

        // A phase1-interface's name is its TUN device's name (the reader checks the characters; policy mode names its devices itself).
        if (settings.IsInterfaceMode && settings.Name == settings.Interface)
        {
            diagnostics.ValueParseError("name", entry.NameToken, $"{what} is bound to interface \"{settings.Interface}\" and would give its tunnel interface the same name: rename the phase 1");
        }

        // A field that is present but had a bad value was already reported; do not add "MUST be set".
        if (settings.Interface.Length == 0 && entry.Find("interface") is null)
        {
            diagnostics.MustBeSet(
                "interface",
                entry.NameToken,
                $"{what} needs the interface it is bound to (FortiOS leaves it out only in transparent mode, which SharpSwan does not support: set interface to the host's WAN interface, e.g. \"eth0\")");
        }

        if (settings.Type == Phase1Type.Static && settings.RemoteGateway.Equals(IPAddress.Any) && entry.Find("remote-gw") is null)
        {
            diagnostics.MustBeSet("remote-gw", entry.NameToken, $"{what} is type static and needs the peer's address");
        }
        else if (settings.Type == Phase1Type.Static && entry.Find("remote-gw") is { Values: [var gateway] }
            && Ipv4.TryParse(gateway.Text, out var typed) && typed.Equals(settings.RemoteGateway) && NotAPeer(typed) is { } notAPeer)
        {
            // Only a value the reader accepted (a refused one was reported there): 0.0.0.0 reads fine, but no peer has it.
            diagnostics.CrossFieldError("remote-gw", gateway, $"{what} is type static, and {typed} is {notAPeer}, never a peer's address: set the peer's unicast address, or type dynamic for a dial-up server");
        }
        else if (settings.Type == Phase1Type.Dynamic && entry.Find("remote-gw") is { Values: [var dialUpGateway] }
            && Ipv4.TryParse(dialUpGateway.Text, out var dialUpTyped) && dialUpTyped.Equals(settings.RemoteGateway) && !dialUpTyped.Equals(IPAddress.Any))
        {
            // A dial-up phase 1 answers any peer and never initiates, so the address would restrict nothing. 0.0.0.0 stays:
            // FortiOS prints it in full configurations of dynamic phase 1s.
            diagnostics.CrossFieldError("remote-gw", dialUpGateway, $"{what} is type dynamic (dial-up), which accepts a peer from any address, so remote-gw {dialUpTyped} would be ignored: unset remote-gw, or set type static to connect to that peer only");
        }

        // authmethod-remote: the peer must authenticate as we do; a different method would be accepted without being checked.
        if (entry.Find("authmethod-remote") is { Values: [var remote] } && remote.Text != (entry.Find("authmethod") is { Values: [var own, ..] } ? own.Text : "psk"))
        {
            diagnostics.ValueParseError("authmethod-remote", remote, $"authmethod-remote {remote.Text} is unsupported by SharpSwan (the peer authenticates with the phase 1's own authmethod): unset it or make it equal to authmethod");
        }

        if (settings.Authmethod == AuthMethod.Psk && settings.PresharedKey is null && entry.Find("psksecret") is null)
        {
            diagnostics.MustBeSet("psksecret", entry.NameToken, $"{what} uses authmethod psk and needs a psksecret");
        }

        if (settings.PeerType == PeerType.One && settings.PeerId is null && entry.Find("peerid") is null)
        {
            diagnostics.MustBeSet("peerid", entry.NameToken, $"{what} uses peertype one and needs the accepted peerid");
        }

        // Without a localid the gateway sends its address (or, signing, its certificate's subject): not the type asked for.
        if (settings.LocalId is null && entry.Find("localid-type") is { Values: [var idType] }
            && (settings.LocalIdType is LocalIdType.Fqdn or LocalIdType.UserFqdn or LocalIdType.KeyId
                || (settings.LocalIdType == LocalIdType.Asn1Dn && settings.Authmethod != AuthMethod.Signature)))
        {
            var sent = settings.Authmethod == AuthMethod.Signature ? "its certificate's subject (asn1dn)" : "its own IP address";
            diagnostics.CrossFieldError("localid-type", idType, $"{what} has localid-type {idType.Text} but no localid, so the gateway would send {sent} as its ID instead: set localid to the {idType.Text} ID the peer expects, or set localid-type auto");
        }

        // With a localid the ID goes out as the type asked for: address needs an IPv4 address (other text would go out as
        // an address ID of the wrong length), asn1dn a DN (sent DER-encoded in the order written).
        if (!string.IsNullOrEmpty(settings.LocalId) && entry.Find("localid-type") is { Values: [_] } && entry.Find("localid") is { Values: [var localId] })
        {
            if (settings.LocalIdType == LocalIdType.Address && !Ipv4.TryParse(settings.LocalId, out _))
            {
                diagnostics.CrossFieldError("localid", localId, $"{what} has localid-type address, so localid must be an IPv4 address, and \"{settings.LocalId}\" is not: set the address, or the localid-type that names it (fqdn, user-fqdn, keyid)");
            }
            else if (settings.LocalIdType == LocalIdType.Asn1Dn && !CertificateIdentity.TryEncodeName(settings.LocalId, out _))
            {
                diagnostics.CrossFieldError("localid", localId, $"{what} has localid-type asn1dn, so localid must be a distinguished name such as \"C=US, O=Example, CN=hq\" (attributes in the order they are encoded), and \"{settings.LocalId}\" is not: write the DN, or the localid-type that names it (fqdn, user-fqdn, keyid)");
            }
        }

        // dns-mode auto pushes the host's own servers: ipv4-dns-server1..3 would be kept and never sent.
        if (settings.DnsMode == DnsMode.Auto)
        {
            foreach (var field in (string[])["ipv4-dns-server1", "ipv4-dns-server2", "ipv4-dns-server3"])
            {
                if (entry.Find(field) is { Values: [var server] } && !(Ipv4.TryParse(server.Text, out var typedServer) && typedServer.Equals(IPAddress.Any)))
                {
                    diagnostics.CrossFieldError(field, server, $"{what} has dns-mode auto, which pushes the host's own DNS servers, so {field} would never be sent: unset it, or set dns-mode manual");
                }
            }
        }

        Ikev1Validator.ValidatePhase1(settings, entry, what, diagnostics);
    }

    private static void ValidatePhase2(Phase2Draft draft, IReadOnlyList<Phase1Draft> phase1, DiagnosticBag diagnostics)
    {
        var settings = draft.Settings;
        var entry = draft.Entry;
        var what = $"{TableName("phase2", settings.IsInterfaceMode)} \"{settings.Name}\"";
        var wanted = TableName("phase1", settings.IsInterfaceMode);

        if (entry.Find("phase1name") is not { } reference)
        {
            diagnostics.MustBeSet("phase1name", entry.NameToken, $"{what} needs the {wanted} it belongs to");
            return;
        }

        if (settings.Phase1Name.Length == 0)
        {
            return;
        }

        var target = phase1.FirstOrDefault(p => p.Settings.Name == settings.Phase1Name);
        if (target is null || target.Settings.IsInterfaceMode != settings.IsInterfaceMode)
        {
            var reason = target is null
                ? $"{what} refers to {wanted} \"{settings.Phase1Name}\", which does not exist"
                : $"{what} refers to \"{settings.Phase1Name}\", which is a {TableName("phase1", target.Settings.IsInterfaceMode)}; a {TableName("phase2", settings.IsInterfaceMode)} needs a {wanted}";
            diagnostics.EntryNotFound("phase1name", reference.Values[0], reason);
            return;
        }

        if (settings.AutoNegotiate && target.Settings.Type == Phase1Type.Dynamic)
        {
            var token = entry.Find("auto-negotiate")!.Values[0];
            diagnostics.ValueParseError(
                "auto-negotiate",
                token,
                $"{what}: {wanted} \"{target.Settings.Name}\" is a dial-up (type dynamic) phase 1, which can never initiate, so auto-negotiate cannot be enabled; enable it on the dial-up client (the spoke) instead");
        }

        if (target.Settings.IkeVersion == 1)
        {
            Ikev1Validator.ValidatePhase2(settings, entry, what, diagnostics);
        }
    }

    /// <summary>What <paramref name="address"/> is when no IKE peer can have it, or null when one can.</summary>
    private static string? NotAPeer(IPAddress address)
    {
        var value = Ipv4.ToUInt32(address);
        return value switch
        {
            0 => "the unspecified address",
            uint.MaxValue => "the broadcast address",
            >= 0xE0000000 and < 0xF0000000 => "a multicast address",
            _ => null,
        };
    }

    /// <summary>Phase 1 (and phase 2) names share one namespace across interface and policy mode: FindPhase1 must be unambiguous.</summary>
    private static void ReportDuplicateNames(
        IEnumerable<(string Name, bool InterfaceMode, RawEntry Entry)> entries, string kind, DiagnosticBag diagnostics)
    {
        foreach (var group in entries.GroupBy(e => e.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var duplicate in group.Skip(1))
            {
                diagnostics.ValueParseError(
                    "name",
                    duplicate.Entry.NameToken,
                    $"\"{duplicate.Name}\" is already a {TableName(kind, first.InterfaceMode)} (line {first.Entry.NameToken.Line}); {kind} names must be unique");
            }
        }
    }

    private static string TableName(string kind, bool interfaceMode) => interfaceMode ? kind + "-interface" : kind;
}
