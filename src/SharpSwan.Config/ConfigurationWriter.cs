using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Text;
using SharpSwan.Crypto;

namespace SharpSwan.Config;

/// <summary>
/// Prints a configuration in FortiOS CLI syntax. With <c>fullConfiguration: false</c> it is
/// <c>show</c> (only values that differ from the default); with <c>true</c> it is
/// <c>show full-configuration</c> (every field). Strings are quoted, enums and numbers are not,
/// pre-shared keys appear encrypted (<c>ENC sharpswan-aes256gcm$...</c>), and kept FortiOS settings and
/// tables are written back verbatim. <see cref="ConfigurationLoader.Parse"/> of the output gives back an equal configuration.
/// </summary>
public static partial class ConfigurationWriter
{
    public static string Write(GatewayConfiguration config, bool fullConfiguration) => Write(config, fullConfiguration, SecretKeyring.Current);

    /// <param name="config">The configuration.</param>
    /// <param name="fullConfiguration">Every field (<c>show full-configuration</c>) instead of the non-default ones.</param>
    /// <param name="keyring">Encrypts the secrets (the saved file's key file).</param>
    /// <exception cref="IOException">The keyring's key file cannot be read or written.</exception>
    public static string Write(GatewayConfiguration config, bool fullConfiguration, SecretKeyring keyring)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(keyring);
        var writer = new Writer(fullConfiguration, keyring);
        writer.Global(config.Global);
        writer.Table(AccessProfileSchema.Path, config.AccessProfiles, writer.AccessProfile);
        writer.Table(AdminSchema.Path, config.Admins, writer.Admin);
        writer.Table(ApiUserSchema.Path, config.ApiUsers, writer.ApiUser);
        writer.Table(UserTables.LocalPath, config.LocalUsers, writer.LocalUser);
        writer.Table(UserTables.GroupPath, config.UserGroups, writer.UserGroup);
        writer.Raw(SyslogSchema.Write(config.Syslog, fullConfiguration));
        writer.Table(CertificateSchema.CaPath, config.CaCertificates, writer.CaCertificate);
        writer.Table(CertificateSchema.LocalPath, config.LocalCertificates, writer.LocalCertificate);
        writer.Table(CrlSchema.Path, config.RevocationLists, writer.RevocationList);
        writer.Table(FirewallAddressSchema.Path, config.FirewallAddresses, writer.FirewallAddress);
        writer.Table(FirewallAddressGroupSchema.Path, config.FirewallAddressGroups, writer.FirewallAddressGroup);
        writer.Table(FirewallServiceSchema.Path, config.FirewallServices, writer.FirewallService);
        writer.Table(UserPeerSchema.Path, config.UserPeers, writer.UserPeer);
        writer.Table(UserPeerSchema.GroupPath, config.UserPeerGroups, writer.UserPeerGroup);
        writer.Table(FirewallScheduleSchema.RecurringPath, config.FirewallSchedules.Where(s => s.Recurring), writer.FirewallSchedule);
        writer.Table(FirewallScheduleSchema.OnetimePath, config.FirewallSchedules.Where(s => !s.Recurring), writer.FirewallSchedule);
        writer.Table(Phase1Schema.InterfacePath, config.Phase1.Where(p => p.IsInterfaceMode), writer.Phase1);
        writer.Table(Phase1Schema.PolicyPath, config.Phase1.Where(p => !p.IsInterfaceMode), writer.Phase1);
        writer.Table(Phase2Schema.InterfacePath, config.Phase2.Where(p => p.IsInterfaceMode), writer.Phase2);
        writer.Table(Phase2Schema.PolicyPath, config.Phase2.Where(p => !p.IsInterfaceMode), writer.Phase2);
        writer.Table(FirewallPolicySchema.Path, config.FirewallPolicies, writer.FirewallPolicy);
        writer.Table(StaticRouteSchema.Path, config.StaticRoutes, writer.Route);
        foreach (var kept in config.KeptTables)
        {
            writer.Kept(kept);
        }

        return writer.ToString();
    }

    /// <summary>A value as a quoted CLI string, e.g. <c>"to-branch"</c>.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            // A backslash before a newline keeps the line break inside the string (see ConfigTokenizer).
            if (c is '"' or '\\' or '\n')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }

    private sealed partial class Writer(bool full, SecretKeyring keyring)
    {
        private const string Indent = "    ";
        private readonly StringBuilder _text = new();

        public override string ToString() => _text.ToString();

        /// <summary>A table outside the schema, as the file wrote it (its secrets encrypted).</summary>
        public void Kept(KeptTable table)
        {
            Line(0, $"config {table.Path}");
            foreach (var line in table.Lines)
            {
                Line(line.Depth, line.Secret is null ? line.Text : $"{line.Text} {line.Secret.ToConfigString(keyring)}");
            }

            Line(0, "end");
        }

        /// <summary>A block written by its table's own schema (e.g. <c>log syslogd setting</c>).</summary>
        public void Raw(string block) => _text.Append(block);

        public void Global(GlobalSettings global)
        {
            var isDefault = global.Hostname == GlobalSettings.DefaultHostname
                && global.AdminPort is null && global.AdminSport is null && global.OtherSettings.IsDefaultOrEmpty
                && global.IkeLimits == IkeInitLimits.Default;
            if (!full && isDefault)
            {
                return;
            }

            Line(0, $"config {GlobalSchema.Path}");
            Set(1, "hostname", Quote(global.Hostname), global.Hostname == GlobalSettings.DefaultHostname);
            if (global.AdminPort is { } adminPort)
            {
                Set(1, "admin-port", Number(adminPort), false);
            }

            if (global.AdminSport is { } adminSport)
            {
                Set(1, "admin-sport", Number(adminSport), false);
            }

            var (limits, defaults) = (global.IkeLimits, IkeInitLimits.Default);
            Set(1, IkeInitLimits.CookieThresholdField, Number(limits.CookieThreshold), limits.CookieThreshold == defaults.CookieThreshold);
            Set(1, IkeInitLimits.EmbryonicLimitField, Number(limits.EmbryonicLimit), limits.EmbryonicLimit == defaults.EmbryonicLimit);
            Set(1, IkeInitLimits.EmbryonicLimitPerSourceField, Number(limits.EmbryonicLimitPerSource), limits.EmbryonicLimitPerSource == defaults.EmbryonicLimitPerSource);

            Verbatim(1, global.OtherSettings);
            Line(0, "end");
        }

        public void Table<T>(string path, IEnumerable<T> entries, Action<T> writeEntry)
        {
            var list = entries.ToList();
            if (list.Count == 0)
            {
                return;
            }

            Line(0, $"config {path}");
            foreach (var entry in list)
            {
                writeEntry(entry);
                Line(1, "next");
            }

            Line(0, "end");
        }

        public void Phase1(Phase1Settings p)
        {
            var d = new Phase1Settings { Name = p.Name };
            Line(1, $"edit {Quote(p.Name)}");
            Set(2, "type", Keywords.Phase1Types.Format(p.Type), p.Type == d.Type);
            Set(2, "interface", Quote(p.Interface), p.Interface.Length == 0);
            Set(2, "ike-version", Number(p.IkeVersion), p.IkeVersion == d.IkeVersion);
            Set(2, "mode", Keywords.Ikev1Modes.Format(p.Mode), p.Mode == d.Mode);
            Set(2, "local-gw", p.LocalGateway.ToString(), p.LocalGateway.Equals(d.LocalGateway));
            Set(2, "keylife", Number(p.KeyLifeSeconds), p.KeyLifeSeconds == d.KeyLifeSeconds);
            Set(2, "peertype", Keywords.PeerTypes.Format(p.PeerType), p.PeerType == d.PeerType);
            OptionalText(2, "peerid", p.PeerId);
            OptionalText(2, "peer", p.Peer);
            OptionalText(2, "peergrp", p.PeerGroup);
            Set(2, "authmethod", Keywords.AuthMethods.Format(p.Authmethod), p.Authmethod == d.Authmethod);
            OptionalText(2, "certificate", p.Certificate);
            Set(2, "proposal", string.Join(" ", p.Proposals.Select(x => x.Name)), p.Proposals.SequenceEqual(d.Proposals));
            OptionalText(2, "localid", p.LocalId);
            Set(2, "localid-type", Keywords.LocalIdTypes.Format(p.LocalIdType), p.LocalIdType == d.LocalIdType);
            Set(2, "dhgrp", Groups(p.DhGroups), p.DhGroups.SequenceEqual(d.DhGroups));
            Set(2, "nattraversal", Keywords.NatTraversals.Format(p.NatTraversal), p.NatTraversal == d.NatTraversal);
            Set(2, "esn", Keywords.EsnModes.Format(p.Esn), p.Esn == d.Esn);
            Set(2, "keepalive", Number(p.NatKeepaliveSeconds), p.NatKeepaliveSeconds == d.NatKeepaliveSeconds);
            Set(2, "dpd", Keywords.DpdModes.Format(p.Dpd), p.Dpd == d.Dpd);
            Set(2, "dpd-retrycount", Number(p.DpdRetryCount), p.DpdRetryCount == d.DpdRetryCount);
            Set(2, "dpd-retryinterval", Number(p.DpdRetryIntervalSeconds), p.DpdRetryIntervalSeconds == d.DpdRetryIntervalSeconds);
            Flag(2, "inbound-dscp-copy", p.InboundDscpCopy, d.InboundDscpCopy);
            Flag(2, "auto-negotiate", p.AutoNegotiate, d.AutoNegotiate);
            Set(2, "negotiate-timeout", Number(p.NegotiateTimeoutSeconds), p.NegotiateTimeoutSeconds == d.NegotiateTimeoutSeconds);
            Flag(2, "fragmentation", p.Fragmentation, d.Fragmentation);
            Set(2, "fragmentation-mtu", Number(p.FragmentationMtu), p.FragmentationMtu == d.FragmentationMtu);
            Flag(2, "idle-timeout", p.IdleTimeout, d.IdleTimeout);
            Set(2, "idle-timeoutinterval", Number(p.IdleTimeoutIntervalMinutes), p.IdleTimeoutIntervalMinutes == d.IdleTimeoutIntervalMinutes);
            Flag(2, "rekey", p.Rekey, d.Rekey);
            Flag(2, "add-route", p.AddRoute, d.AddRoute);
            Set(2, "xauthtype", Keywords.XauthTypes.Format(p.XauthType), p.XauthType == d.XauthType);
            OptionalText(2, "authusrgrp", p.AuthUserGroup);
            Flag(2, "mode-cfg", p.ModeCfg, d.ModeCfg);
            Flag(2, "assign-ip", p.AssignIp, d.AssignIp);
            Address(2, "ipv4-start-ip", p.Ipv4StartIp, d.Ipv4StartIp);
            Address(2, "ipv4-end-ip", p.Ipv4EndIp, d.Ipv4EndIp);
            Address(2, "ipv4-netmask", p.Ipv4Netmask, d.Ipv4Netmask);
            Set(2, "dns-mode", Keywords.DnsModes.Format(p.DnsMode), p.DnsMode == d.DnsMode);
            Address(2, "ipv4-dns-server1", p.Ipv4DnsServer1, d.Ipv4DnsServer1);
            Address(2, "ipv4-dns-server2", p.Ipv4DnsServer2, d.Ipv4DnsServer2);
            Address(2, "ipv4-dns-server3", p.Ipv4DnsServer3, d.Ipv4DnsServer3);
            OptionalText(2, "ipv4-split-include", p.Ipv4SplitInclude);
            OptionalText(2, "comments", p.Comments);
            Address(2, "remote-gw", p.RemoteGateway, d.RemoteGateway);
            if (p.PresharedKey is { } key)
            {
                Set(2, "psksecret", key.ToConfigString(keyring), false);
            }

            OptionalText(2, "authusr", p.AuthUser);
            if (p.AuthPassword is { } password)
            {
                Set(2, "authpasswd", password.ToConfigString(keyring), false);
            }

            Verbatim(2, p.OtherSettings);
        }

        public void Phase2(Phase2Settings p)
        {
            var d = new Phase2Settings { Name = p.Name, Phase1Name = p.Phase1Name };
            Line(1, $"edit {Quote(p.Name)}");
            Set(2, "phase1name", Quote(p.Phase1Name), false);
            Set(2, "proposal", string.Join(" ", p.Proposals.Select(x => x.Name)), p.Proposals.SequenceEqual(d.Proposals));
            Flag(2, "pfs", p.Pfs, d.Pfs);
            Set(2, "dhgrp", Groups(p.DhGroups), p.DhGroups.SequenceEqual(d.DhGroups));
            Flag(2, "replay", p.Replay, d.Replay);
            Flag(2, "keepalive", p.Keepalive, d.Keepalive);
            Flag(2, "auto-negotiate", p.AutoNegotiate, d.AutoNegotiate);
            Set(2, "keylife-type", Keywords.KeyLifeTypes.Format(p.KeyLifeType), p.KeyLifeType == d.KeyLifeType);
            Set(2, "keylifeseconds", Number(p.KeyLifeSeconds), p.KeyLifeSeconds == d.KeyLifeSeconds);
            Set(2, "keylifekbs", p.KeyLifeKbs.ToString(CultureInfo.InvariantCulture), p.KeyLifeKbs == d.KeyLifeKbs);
            Set(2, "encapsulation", Keywords.Encapsulations.Format(p.Encapsulation), p.Encapsulation == d.Encapsulation);
            Set(2, "protocol", Number(p.Protocol), p.Protocol == d.Protocol);
            Selector(2, "src", p.Source, p.SourceName);
            Selector(2, "dst", p.Destination, p.DestinationName);
            Set(2, "src-port", Number(p.SourcePort), p.SourcePort == d.SourcePort);
            Set(2, "dst-port", Number(p.DestinationPort), p.DestinationPort == d.DestinationPort);
            Set(2, "trigger-queue", Number(p.TriggerQueue), p.TriggerQueue == d.TriggerQueue);
            Set(2, "inbound-dscp-copy", p.InboundDscpCopy is { } copy ? Keywords.EnableDisable(copy) : "phase1", p.InboundDscpCopy is null);
            OptionalText(2, "comments", p.Comments);
            Verbatim(2, p.OtherSettings);
        }

        public void AccessProfile(AccessProfile profile)
        {
            Line(1, $"edit {Quote(profile.Name)}");
            Verbatim(2, profile.OtherSettings);
        }

        public void Admin(AdminAccount admin)
        {
            Line(1, $"edit {Quote(admin.Name)}");
            if (admin.Password is { } password)
            {
                Set(2, "password", password.ToConfigString(), false);
            }

            Verbatim(2, admin.OtherSettings);
        }

        public void ApiUser(ApiUser user)
        {
            Line(1, $"edit {Quote(user.Name)}");
            if (user.ApiKey is { } key)
            {
                Set(2, "api-key", key.ToConfigString(), false);
            }

            Verbatim(2, user.OtherSettings);
        }

        public void Route(StaticRoute route)
        {
            Line(1, $"edit {Number(route.Id)}");
            Flag(2, "status", route.Enabled, true);
            Set(
                2,
                "dst",
                $"{route.Destination} {Ipv4.PrefixToMaskAddress(route.PrefixLength)}",
                route.PrefixLength == 0 && route.Destination.Equals(IPAddress.Any));
            Address(2, "gateway", route.Gateway, IPAddress.Any);
            Set(2, "distance", Number(route.Distance), route.Distance == StaticRoute.DefaultDistance);
            Set(2, "priority", route.Priority.ToString(CultureInfo.InvariantCulture), route.Priority == StaticRoute.DefaultPriority);
            Set(2, "device", Quote(route.Device), route.Device.Length == 0);
            Flag(2, "blackhole", route.Blackhole, false);
            OptionalText(2, "dstaddr", route.DestinationAddress);
            Verbatim(2, route.OtherSettings);
        }

        /// <summary>
        /// Writes a selector in the subnet form when it is one CIDR block (an <c>ip</c> selector is a /32),
        /// otherwise as a range.
        /// </summary>
        private void Selector(int depth, string side, AddressSelector selector, string? name)
        {
            if (name is not null)
            {
                Set(depth, $"{side}-addr-type", "name", false);
                Set(depth, $"{side}-name", Quote(name), false);
                return;
            }

            if (selector.PrefixLength is { } prefixLength)
            {
                Set(depth, $"{side}-addr-type", "subnet", true);
                Set(depth, $"{side}-subnet", $"{selector.Start} {Ipv4.PrefixToMaskAddress(prefixLength)}", selector.IsAny);
                return;
            }

            Set(depth, $"{side}-addr-type", "range", false);
            Set(depth, $"{side}-start-ip", selector.Start.ToString(), false);
            Set(depth, $"{side}-end-ip", selector.End.ToString(), false);
        }

        private void Set(int depth, string field, string value, bool isDefault)
        {
            if (full || !isDefault)
            {
                Line(depth, $"set {field} {value}");
            }
        }

        private void Flag(int depth, string field, bool value, bool defaultValue) =>
            Set(depth, field, Keywords.EnableDisable(value), value == defaultValue);

        private void Address(int depth, string field, IPAddress value, IPAddress defaultValue) =>
            Set(depth, field, value.ToString(), value.Equals(defaultValue));

        /// <summary>Unset optional text prints as <c>""</c> in full mode, which reads back as unset.</summary>
        private void OptionalText(int depth, string field, string? value) =>
            Set(depth, field, Quote(value ?? ""), string.IsNullOrEmpty(value));

        private void Verbatim(int depth, ImmutableArray<ConfigSetting> settings)
        {
            foreach (var setting in settings.IsDefault ? [] : settings)
            {
                Line(depth, $"set {setting.Name} {string.Join(" ", setting.Values.Select(VerbatimValue))}");
            }
        }

        private void Line(int depth, string text)
        {
            for (var i = 0; i < depth; i++)
            {
                _text.Append(Indent);
            }

            _text.Append(text).Append('\n');
        }

        private static string VerbatimValue(string value) =>
            value.Length > 0 && value.All(c => !char.IsWhiteSpace(c) && !char.IsControl(c) && c is not ('"' or '\'' or '\\'))
                ? value
                : Quote(value);

        private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        private static string Groups(ImmutableArray<DiffieHellmanGroup> groups) =>
            string.Join(" ", groups.Select(g => Number((int)g)));
    }
}
