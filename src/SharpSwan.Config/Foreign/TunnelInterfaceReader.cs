using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace SharpSwan.Config;

/// <summary>
/// Reads the <c>type tunnel</c> entries of the kept <c>config system interface</c> table whose names are
/// phase1-interfaces: their <c>ip</c>, <c>remote-ip</c> and <c>mtu</c> go on the tunnel's TUN device. A malformed value
/// there is an error (it would be applied); what SharpSwan cannot apply is a warning naming it.
/// </summary>
internal static class TunnelInterfaceReader
{
    public const string Path = "system interface";

    /// <summary>FortiOS's own bounds for an interface MTU override, within what a TUN device takes.</summary>
    public const int MinimumMtu = 576;

    public const int MaximumMtu = 9216;

    /// <summary>Fields of a tunnel entry that are applied or that restate what SharpSwan already does.</summary>
    private static readonly HashSet<string> Known = new(StringComparer.Ordinal)
    {
        "ip", "remote-ip", "mtu-override", "mtu", "allowaccess", "description", "vdom", "type", "interface",
    };

    /// <summary>The known fields in the order the CLI's help lists them.</summary>
    public static readonly ImmutableArray<string> FieldNames =
        ["vdom", "type", "interface", "ip", "remote-ip", "mtu-override", "mtu", "allowaccess", "description"];

    /// <summary>Fields whose value FortiOS writes quoted (names and free text).</summary>
    public static readonly ImmutableHashSet<string> QuotedFields = ["vdom", "interface", "description"];

    /// <summary>
    /// Null for a field of a tunnel entry that SharpSwan reads; else why the CLI refuses to set it (the file may still
    /// carry it: such a line is kept as written, with a warning that it is not applied).
    /// </summary>
    public static string? RejectField(string field) =>
        Known.Contains(field)
            ? null
            : $"'{field}' is not a tunnel interface setting SharpSwan applies: in config {Path} SharpSwan manages only the tunnel entries of phase1-interfaces and their {string.Join(", ", FieldNames)}; other settings are kept as written and not applied: change them in the configuration file";

    /// <summary>
    /// The tunnel interfaces, and the blocks whose every entry was taken (those need no "kept, not acted on" warning).
    /// </summary>
    public static (ImmutableArray<TunnelInterface> Interfaces, HashSet<RawKeptTable> FullyTaken) Read(
        RawDocument document, IReadOnlyList<Phase1Settings> phase1, DiagnosticBag diagnostics)
    {
        var byName = new Dictionary<string, TunnelInterface>(StringComparer.Ordinal);
        var fullyTaken = new HashSet<RawKeptTable>();
        foreach (var raw in document.KeptTables.Where(t => t.Path == Path))
        {
            var allTaken = true;
            // Materialised first: an entry is handed out at its edit line and filled by the lines after it.
            foreach (var entry in Entries(raw).ToList())
            {
                if (ReadEntry(entry, phase1, diagnostics) is { } tunnel)
                {
                    byName[tunnel.Name] = tunnel;
                }
                else
                {
                    allTaken = false;
                }
            }

            if (allTaken)
            {
                fullyTaken.Add(raw);
            }
        }

        return ([.. byName.Values.OrderBy(t => t.Line)], fullyTaken);
    }

    /// <summary>One <c>edit</c> block: its name token, its direct <c>set</c> lines, and whether it nests other tables.</summary>
    private sealed record Entry(ConfigToken Name, List<ImmutableArray<ConfigToken>> Sets, List<ConfigToken> Nested);

    private static IEnumerable<Entry> Entries(RawKeptTable raw)
    {
        Entry? current = null;
        foreach (var (depth, words) in raw.Lines)
        {
            if (depth == 1 && words is [{ Text: "edit" }, var name, ..])
            {
                current = new Entry(name, [], []);
                yield return current;
            }
            else if (current is not null && depth == 2 && words is [{ Text: "set" }, _, ..])
            {
                current.Sets.Add(words);
            }
            else if (current is not null && depth >= 2 && words is [{ Text: "config" }, ..])
            {
                current.Nested.Add(words[0]);
            }
        }
    }

    /// <summary>The tunnel interface of a taken entry; null for an entry that stays only kept.</summary>
    private static TunnelInterface? ReadEntry(Entry entry, IReadOnlyList<Phase1Settings> phase1, DiagnosticBag diagnostics)
    {
        var fields = new Dictionary<string, ImmutableArray<ConfigToken>>(StringComparer.Ordinal);
        foreach (var words in entry.Sets)
        {
            fields[words[1].Text] = words[2..];
        }

        if (fields.TryGetValue("type", out var type) && type is [{ Text: "tunnel" }])
        {
            foreach (var words in entry.Sets.Where(w => w.Length == 2))
            {
                diagnostics.Incomplete(words[1], $"set {words[1].Text} needs a value");
                fields.Remove(words[1].Text);
            }
        }

        else
        {
            return null;
        }

        var name = entry.Name.Text;
        var tunnel = phase1.FirstOrDefault(p => p.Name == name && p.IsInterfaceMode);
        if (tunnel is null)
        {
            // FortiOS names GRE, VXLAN and SSL-VPN tunnel interfaces type tunnel too: the entry is another feature's,
            // kept like the rest of the table rather than making the file unusable.
            diagnostics.Warn(entry.Name.Line, WarningKind.KeptSettings, $"{Path} {name}",
                $"config {Path} edit \"{name}\" is a tunnel interface but no phase1-interface is named \"{name}\": kept as it is and not applied (a GRE or VXLAN tunnel is the host's: ip link add ... type gre/vxlan)");
            return null;
        }

        var result = new TunnelInterface(name, null, null, 32, null, [], "", entry.Name.Line);
        result = ReadAddresses(result, fields, diagnostics);
        result = ReadMtu(result, fields, diagnostics);
        result = ReadAccess(result, fields, diagnostics);
        if (fields.TryGetValue("description", out var description))
        {
            result = result with { Description = string.Join(" ", description.Select(w => w.Text)) };
        }

        WarnNotApplied(entry, fields, tunnel, diagnostics);
        return result;
    }

    private static TunnelInterface ReadAddresses(TunnelInterface result, Dictionary<string, ImmutableArray<ConfigToken>> fields, DiagnosticBag diagnostics)
    {
        var local = fields.TryGetValue("ip", out var ip) ? ParseAddress("ip", ip, diagnostics) : null;
        var remote = fields.TryGetValue("remote-ip", out var remoteIp) ? ParseAddress("remote-ip", remoteIp, diagnostics) : null;
        // The checks between ip and remote-ip are cross-field: the CLI waits for next/end, as either may be set first.
        if (local is not { } l || l.Address.Equals(IPAddress.Any))
        {
            if (remote is { } r && !r.Address.Equals(IPAddress.Any))
            {
                diagnostics.MustBeSet("ip", remoteIp[0], "remote-ip names the peer's end of a point-to-point tunnel address; set ip to this end's address as well", crossField: true);
            }

            return result;
        }

        if (remote is not { } peer || peer.Address.Equals(IPAddress.Any))
        {
            return result with { Local = l.Address, PrefixLength = l.Prefix };
        }

        if (l.Prefix != 32 && l.Prefix != peer.Prefix)
        {
            diagnostics.CrossFieldError("ip", ip[^1],
                $"with remote-ip set, the tunnel address is point-to-point and its route covers remote-ip's mask (/{peer.Prefix}); set ip's mask to 255.255.255.255 or to the same mask as remote-ip");
        }

        if (peer.Address.Equals(l.Address))
        {
            diagnostics.CrossFieldError("remote-ip", remoteIp[0], "remote-ip is the peer's end of the tunnel and must differ from ip");
        }

        return result with { Local = l.Address, Remote = peer.Address, PrefixLength = peer.Prefix };
    }

    /// <summary><c>a.b.c.d m.m.m.m</c> or <c>a.b.c.d/n</c>; an error naming the field for anything else.</summary>
    private static (IPAddress Address, int Prefix)? ParseAddress(string field, ImmutableArray<ConfigToken> values, DiagnosticBag diagnostics)
    {
        const string Expected = "expected an IPv4 address and netmask, e.g. 169.254.21.2 255.255.255.252 or 169.254.21.2/30";
        if (values is [var single] && single.Text.Split('/') is [var text, var length])
        {
            if (Ipv4.TryParse(text, out var a) && int.TryParse(length, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 32)
            {
                return (a, p);
            }

            diagnostics.ValueParseError(field, single, Expected);
            return null;
        }

        if (values is not [var address, var mask])
        {
            diagnostics.ValueParseError(field, values[0], Expected);
            return null;
        }

        if (!Ipv4.TryParse(address.Text, out var parsed))
        {
            diagnostics.ValueParseError(field, address, Expected);
            return null;
        }

        if (!Ipv4.TryParse(mask.Text, out var maskAddress) || !Ipv4.TryMaskToPrefix(maskAddress, out var prefix))
        {
            diagnostics.ValueParseError(field, mask, "the netmask must be contiguous ones, e.g. 255.255.255.252");
            return null;
        }

        return (parsed, prefix);
    }

    private static TunnelInterface ReadMtu(TunnelInterface result, Dictionary<string, ImmutableArray<ConfigToken>> fields, DiagnosticBag diagnostics)
    {
        var mode = fields.GetValueOrDefault("mtu-override", []);
        var overridden = mode is [{ Text: "enable" }];
        if (mode is [var bad] && bad.Text is not ("enable" or "disable"))
        {
            diagnostics.ValueParseError("mtu-override", bad, "mtu-override is enable or disable");
        }

        if (!fields.TryGetValue("mtu", out var mtu))
        {
            return result;
        }

        if (mtu is not [var value] || !int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            || parsed is < MinimumMtu or > MaximumMtu)
        {
            diagnostics.ValueParseError("mtu", mtu[0], $"the MTU is a number from {MinimumMtu} to {MaximumMtu}");
            return result;
        }

        if (!overridden)
        {
            // FortiOS ignores mtu unless mtu-override is enabled; applying it anyway would change what the file means.
            diagnostics.Warn(value.Line, WarningKind.KeptSettings, $"{Path} {result.Name}",
                $"config {Path} edit \"{result.Name}\": mtu {parsed} is kept but not applied because mtu-override is not enabled (set mtu-override enable to apply it)");
            return result;
        }

        return result with { Mtu = parsed };
    }

    private static TunnelInterface ReadAccess(TunnelInterface result, Dictionary<string, ImmutableArray<ConfigToken>> fields, DiagnosticBag diagnostics)
    {
        if (!fields.TryGetValue("allowaccess", out var values) || values.IsDefaultOrEmpty)
        {
            return result;
        }

        var honoured = ImmutableArray.CreateBuilder<string>();
        var fortiGateOnly = new List<string>();
        foreach (var value in values)
        {
            if (TunnelInterface.HonouredAccess.Contains(value.Text))
            {
                if (!honoured.Contains(value.Text))
                {
                    honoured.Add(value.Text);
                }
            }
            else if (TunnelInterface.FortiGateOnlyAccess.Contains(value.Text))
            {
                fortiGateOnly.Add(value.Text);
            }
            else
            {
                diagnostics.ValueParseError("allowaccess", value,
                    $"allowaccess takes {string.Join(", ", TunnelInterface.HonouredAccess)} (or FortiGate's {string.Join(", ", TunnelInterface.FortiGateOnlyAccess)})");
            }
        }

        if (fortiGateOnly.Count > 0)
        {
            diagnostics.Warn(values[0].Line, WarningKind.KeptSettings, $"{Path} {result.Name}",
                $"config {Path} edit \"{result.Name}\": allowaccess {string.Join(" ", fortiGateOnly)} is kept but not applied: those are FortiGate services SharpSwan does not have, so nothing answers them on the tunnel address either way");
        }

        return result with { AllowAccess = honoured.ToImmutable() };
    }

    /// <summary>Warns about the settings of a taken entry that SharpSwan does not apply.</summary>
    private static void WarnNotApplied(Entry entry, Dictionary<string, ImmutableArray<ConfigToken>> fields, Phase1Settings phase1, DiagnosticBag diagnostics)
    {
        var subject = $"{Path} {entry.Name.Text}";
        var others = fields.Keys.Where(k => !Known.Contains(k)).Concat(entry.Nested.Select(n => "config ...")).Distinct().ToList();
        if (others.Count > 0)
        {
            diagnostics.Warn(entry.Name.Line, WarningKind.KeptSettings, subject,
                $"config {Path} edit \"{entry.Name.Text}\": {string.Join(", ", others)} kept as they are but not applied; SharpSwan applies ip, remote-ip and mtu-override/mtu to the tunnel's TUN device");
        }

        if (fields.TryGetValue("vdom", out var vdom) && vdom is [var v] && v.Text != "root")
        {
            diagnostics.Warn(v.Line, WarningKind.KeptSettings, subject,
                $"config {Path} edit \"{entry.Name.Text}\": vdom {v.Text} is kept but not applied; SharpSwan is one gateway (the root VDOM)");
        }

        if (fields.TryGetValue("interface", out var parent) && parent is [var p] && p.Text != phase1.Interface)
        {
            diagnostics.Warn(p.Line, WarningKind.KeptSettings, subject,
                $"config {Path} edit \"{entry.Name.Text}\": interface {p.Text} is kept but not applied; the tunnel's packets leave by the phase1-interface's interface ({phase1.Interface})");
        }
    }
}
