namespace SharpSwan.Config;

/// <summary><c>?</c> help of the firewall policy and addrgrp tables (see <see cref="FieldHelpCatalog"/>).</summary>
internal static class FirewallFieldHelp
{
    private static readonly string[] EnableDisable = ["enable", "disable"];

    public static readonly Dictionary<string, FieldHelp> AddressGroup = new(StringComparer.Ordinal)
    {
        ["member"] = new("addresses and groups in this group", "space-separated names", IsList: true),
        ["comment"] = new("comment", "0-255 characters"),
        ["color"] = new("GUI icon color (kept, not used)", "0-32"),
        ["exclude"] = new("exclude members (SharpSwan: disable)", Choices: EnableDisable, Default: "disable"),
        ["category"] = new("group category (SharpSwan: default)", Choices: ["default", "ztna-ems-tag", "ztna-geo-tag"], Default: "default"),
    };

    public static readonly Dictionary<string, FieldHelp> Service = new(StringComparer.Ordinal)
    {
        ["protocol"] = new("protocol family", Choices: ["TCP/UDP/SCTP", "TCP/UDP/UDP-Lite/SCTP", "IP", "ICMP"], Default: "TCP/UDP/UDP-Lite/SCTP"),
        ["tcp-portrange"] = new("TCP destination[:source] port ranges", "low[-high][:low[-high]] ...", IsList: true),
        ["udp-portrange"] = new("UDP destination[:source] port ranges", "low[-high][:low[-high]] ...", IsList: true),
        ["sctp-portrange"] = new("SCTP destination[:source] port ranges", "low[-high][:low[-high]] ...", IsList: true),
        ["udplite-portrange"] = new("UDP-Lite destination[:source] port ranges", "low[-high][:low[-high]] ...", IsList: true),
        ["protocol-number"] = new("IP protocol number for protocol IP (0: all)", "0-254"),
        ["comment"] = new("comment", "0-255 characters"),
    };

    public static readonly Dictionary<string, FieldHelp> RecurringSchedule = new(StringComparer.Ordinal)
    {
        ["day"] = new("days the schedule starts on, or none", "space-separated day names", ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "none"], IsList: true),
        ["start"] = new("time of day it starts (UTC)", "hh:mm"),
        ["end"] = new("time of day it ends, exclusive (UTC; before start: the next day; equal: the whole day)", "hh:mm"),
    };

    public static readonly Dictionary<string, FieldHelp> OnetimeSchedule = new(StringComparer.Ordinal)
    {
        ["start"] = new("when it starts (UTC)", "\"hh:mm yyyy/mm/dd\""),
        ["end"] = new("when it ends, exclusive (UTC)", "\"hh:mm yyyy/mm/dd\""),
    };

    public static readonly Dictionary<string, FieldHelp> Policy = new(StringComparer.Ordinal)
    {
        ["name"] = new("policy name", "0-35 characters"),
        ["status"] = new("use this policy (a disabled policy is skipped)", Choices: EnableDisable),
        ["srcintf"] = new("incoming interfaces: interface or phase1-interface tunnel names, or any", "space-separated names", IsList: true),
        ["dstintf"] = new("outgoing interfaces: interface or phase1-interface tunnel names, or any", "space-separated names", IsList: true),
        ["srcaddr"] = new("source addresses (firewall address or addrgrp; all)", "space-separated names", ["all"], IsList: true),
        ["dstaddr"] = new("destination addresses (firewall address or addrgrp; all)", "space-separated names", ["all"], IsList: true),
        ["action"] = new("what to do with matching traffic", Choices: ["accept", "deny", "ipsec"]),
        ["vpntunnel"] = new("policy-based phase1 the traffic goes through (action ipsec)", "0-35 characters"),
        ["inbound"] = new("the remote network may start connections through the tunnel", Choices: EnableDisable),
        ["outbound"] = new("the local network may start connections through the tunnel", Choices: EnableDisable),
        ["schedule"] = new("when the policy applies: always, none, or a firewall schedule recurring/onetime name (UTC)", "name, 1-35 characters", ["always", "none"]),
        ["service"] = new("protocols and ports: firewall service custom names or ALL, ALL_TCP, ALL_UDP, ALL_ICMP", "space-separated names", ["ALL"], IsList: true),
        ["comments"] = new("comment", "0-1023 characters"),
        ["nat"] = new("source NAT (SharpSwan: disable)", Choices: EnableDisable, Default: "disable"),
        ["natinbound"] = new("NAT of decrypted traffic (SharpSwan: disable)", Choices: EnableDisable, Default: "disable"),
        ["natoutbound"] = new("NAT before encryption (SharpSwan: disable)", Choices: EnableDisable, Default: "disable"),
    };
}
