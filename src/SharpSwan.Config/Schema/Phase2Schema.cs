namespace SharpSwan.Config;

/// <summary>
/// Fields of <c>config vpn ipsec phase2-interface</c> and <c>phase2</c> (fortios.md §2).
/// </summary>
internal static class Phase2Schema
{
    public const string InterfacePath = "vpn ipsec phase2-interface";
    public const string PolicyPath = "vpn ipsec phase2";

    private static readonly string[] AddressTypes = ["subnet", "range", "ip", "name", "subnet6", "range6", "ip6", "name6"];

    /// <summary>Features off by default that SharpSwan does not have: only <c>disable</c> is accepted, with why.</summary>
    private static readonly (string Field, string Reason)[] DisableOnlyFields =
    [
        ("dhcp-ipsec", "DHCP over IPsec is not implemented: give dial-up clients addresses with mode-cfg on the phase 1"),
        ("diffserv", "the DSCP of tunnelled packets is not rewritten"),
        ("ipv4-df", "the DF bit of the ESP packet is left to the host's path-MTU handling, not set per phase 2"),
        ("l2tp", "L2TP over IPsec is not implemented"),
        ("single-source", "the source selector is not narrowed to one address per peer"),
    ];

    /// <summary>IPv6 selector fields: <c>show full-configuration</c> prints them with their empty defaults, which mean nothing.</summary>
    private static readonly string[] Ipv6SelectorFields =
    [
        "src-name6", "dst-name6", "src-subnet6", "dst-subnet6", "src-start-ip6", "src-end-ip6", "dst-start-ip6", "dst-end-ip6",
    ];

    /// <summary>Why IPv6 selectors are refused, and what to do.</summary>
    internal const string Ipv6Reason =
        "IPv6 selectors are not supported: SharpSwan tunnels carry IPv4; use an IPv4 selector (src-subnet/dst-subnet, range or ip) or an IPv6-capable gateway for IPv6 traffic";

    public static FieldTable<Phase2Draft> InterfaceMode { get; } = Create(InterfacePath, interfaceMode: true);

    public static FieldTable<Phase2Draft> PolicyMode { get; } = Create(PolicyPath, interfaceMode: false);

    private static FieldTable<Phase2Draft> Create(string path, bool interfaceMode)
    {
        var table = new FieldTable<Phase2Draft> { TablePath = path }
            .Interpret("phase1name", Object(r => r.Text(Phase1Settings.MaxNameLength), (s, v) => s with { Phase1Name = v }))
            .Interpret("proposal", Value(r => r.EspProposals(), (s, v) => s with { Proposals = v }))
            .Interpret("pfs", Value(r => r.EnableDisable(), (s, v) => s with { Pfs = v }))
            .Interpret("dhgrp", Value(r => r.DhGroups(), (s, v) => s with { DhGroups = v }))
            .Interpret("replay", Value(r => r.EnableDisable(), (s, v) => s with { Replay = v }))
            .Interpret("keepalive", Value(r => r.EnableDisable(), (s, v) => s with { Keepalive = v }))
            .Interpret("auto-negotiate", Value(r => r.EnableDisable(), (s, v) => s with { AutoNegotiate = v }))
            .Interpret("keylife-type", Value(r => r.Keyword(Keywords.KeyLifeTypes), (s, v) => s with { KeyLifeType = v }))
            .Interpret("keylifeseconds", Value(r => r.Int(120, 172800), (s, v) => s with { KeyLifeSeconds = v }))
            .Interpret("keylifekbs", Value(r => r.Long(5120, uint.MaxValue), (s, v) => s with { KeyLifeKbs = v }))
            .Interpret("encapsulation", Value(TunnelModeOnly, (s, v) => s with { Encapsulation = v }))
            .Interpret("protocol", Value(r => r.Int(0, 255), (s, v) => s with { Protocol = (byte)v }))
            .Interpret("src-port", Value(r => r.Int(0, 65535), (s, v) => s with { SourcePort = (ushort)v }))
            .Interpret("dst-port", Value(r => r.Int(0, 65535), (s, v) => s with { DestinationPort = (ushort)v }))
            .Interpret("trigger-queue", Value(r => r.Int(0, Phase2Settings.MaxTriggerQueue), (s, v) => s with { TriggerQueue = v }))
            .Interpret("comments", Object(r => r.Text(1023), (s, v) => s with { Comments = Phase1Schema.NullIfEmpty(v) }))
            .Interpret("src-addr-type", (d, r) => ReadAddressType(d.Source, r))
            .Interpret("dst-addr-type", (d, r) => ReadAddressType(d.Destination, r))
            .Interpret("src-subnet", (d, r) => { if (r.Subnet() is { } v) { d.Source.Subnet = v; } })
            .Interpret("dst-subnet", (d, r) => { if (r.Subnet() is { } v) { d.Destination.Subnet = v; } })
            .Interpret("src-start-ip", (d, r) => { if (r.Ipv4Address() is { } v) { d.Source.StartIp = v; } })
            .Interpret("src-end-ip", (d, r) => { if (r.Ipv4Address() is { } v) { d.Source.EndIp = v; } })
            .Interpret("dst-start-ip", (d, r) => { if (r.Ipv4Address() is { } v) { d.Destination.StartIp = v; } })
            .Interpret("dst-end-ip", (d, r) => { if (r.Ipv4Address() is { } v) { d.Destination.EndIp = v; } })
            .Keep("add-route", Checks.OnlySupported(["phase1"], ["phase1", "enable", "disable"], "a phase 2 cannot override its phase 1's add-route; set add-route on the phase 1"))
            .Keep("diffservcode", Checks.OnlyWords(["000000"], "the DSCP of tunnelled packets is not rewritten"))
            .Keep(Phase1Schema.AdditionalKeyExchangeFields, Checks.OnlyWords(["0", ""], Phase1Schema.AdditionalKeyExchangeReason))
            .Keep("initiator-ts-narrow", Checks.OnlySupported(["disable"], ["enable", "disable"], "narrowing the initiator's selectors to the first packet is not implemented: the selectors are proposed as configured; set it to disable"))
            .Keep("route-overlap", Checks.OnlySupported(["use-new"], ["use-old", "use-new", "allow"], "a dial-up instance's add-route route replaces an overlapping one (use-new) and nothing else is done"))
            .Interpret("inbound-dscp-copy", (d, r) =>
            {
                if (r.OneOf("phase1", "enable", "disable") is { } v)
                {
                    d.Settings = d.Settings with { InboundDscpCopy = v == "phase1" ? null : v == "enable" };
                }
            })
            .Keep(Ipv6SelectorFields, Ipv6DefaultOnly)
            .Interpret("src-name", (d, r) => { if (r.Text(79) is { } v) { d.Source.Name = v; } })
            .Interpret("dst-name", (d, r) => { if (r.Text(79) is { } v) { d.Destination.Name = v; } });

        foreach (var (field, reason) in DisableOnlyFields)
        {
            table.Keep(field, Checks.OnlySupported(["disable"], ["enable", "disable"], reason));
        }

        if (interfaceMode)
        {
            table.Keep(["auto-discovery-sender", "auto-discovery-forwarder"], Checks.OnlySupported(["phase1", "disable"], ["phase1", "enable", "disable"], Phase1Schema.AdvpnReason))
                .Refuse(["use-natip", "selector-match"], $"only valid in config {PolicyPath}");
        }
        else
        {
            table.Keep("use-natip", Checks.EnableDisable)
                .Keep("selector-match", Checks.OnlySupported(["auto"], ["exact", "subset", "auto"], "selectors are matched one way only (auto); exact and subset are not separate modes here"))
                .Refuse(["auto-discovery-sender", "auto-discovery-forwarder"], $"only valid in config {InterfacePath}");
        }

        return table;
    }

    private static void ReadAddressType(AddressParts parts, SettingReader reader)
    {
        if (reader.OneOf(AddressTypes) is not { } type)
        {
            return;
        }

        if (type.EndsWith('6'))
        {
            reader.ValueError(reader.Setting.Values[0], $"{reader.Field} {type}: {Ipv6Reason}");
            return;
        }

        parts.Type = type;
    }

    /// <summary>An IPv6 selector field is accepted only with the empty value a full dump prints (no selector).</summary>
    private static bool Ipv6DefaultOnly(SettingReader reader)
    {
        if (reader.Single() is not { } token)
        {
            return false;
        }

        if (token.Text is "" or "::" or "::/0" or "::/128")
        {
            return true;
        }

        reader.ValueError(token, $"{reader.Field} {token.Text}: {Ipv6Reason}");
        return false;
    }

    private static Action<Phase2Draft, SettingReader> Value<T>(Func<SettingReader, T?> read, Func<Phase2Settings, T, Phase2Settings> apply)
        where T : struct => (draft, reader) =>
        {
            if (read(reader) is { } value)
            {
                draft.Settings = apply(draft.Settings, value);
            }
        };

    private static Action<Phase2Draft, SettingReader> Object<T>(Func<SettingReader, T?> read, Func<Phase2Settings, T, Phase2Settings> apply)
        where T : class => (draft, reader) =>
        {
            if (read(reader) is { } value)
            {
                draft.Settings = apply(draft.Settings, value);
            }
        };

    /// <summary>Transport mode is refused: the data plane tunnels every packet (and would print a mode it does not use).</summary>
    private static Encapsulation? TunnelModeOnly(SettingReader reader)
    {
        if (reader.Keyword(Keywords.Encapsulations) is not { } mode)
        {
            return null;
        }

        if (mode == Encapsulation.TransportMode)
        {
            reader.ValueError(reader.Setting.Values[0], "encapsulation transport-mode is unsupported by SharpSwan (the data plane carries tunnel-mode ESP only); use tunnel-mode");
            return null;
        }

        return mode;
    }
}
