using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>Turns the grammar-checked tables into the model, then runs the cross-entry checks.</summary>
internal static class ConfigurationBuilder
{
    /// <param name="baseDirectory">Where relative <c>*-file</c> paths start (the configuration file's directory); null for the current directory.</param>
    public static GatewayConfiguration Build(RawDocument document, DiagnosticBag diagnostics, string? baseDirectory = null)
    {
        var phase1 = BuildPhase1(document, SupportedTables.Phase1Interface, Phase1Schema.InterfaceMode, true, diagnostics)
            .Concat(BuildPhase1(document, SupportedTables.Phase1Policy, Phase1Schema.PolicyMode, false, diagnostics))
            .ToList();
        var phase2 = BuildPhase2(document, SupportedTables.Phase2Interface, Phase2Schema.InterfaceMode, true, diagnostics)
            .Concat(BuildPhase2(document, SupportedTables.Phase2Policy, Phase2Schema.PolicyMode, false, diagnostics))
            .ToList();
        foreach (var draft in phase2)
        {
            var phase1Copies = phase1.FirstOrDefault(p => p.Settings.Name == draft.Settings.Phase1Name && p.Settings.IsInterfaceMode == draft.Settings.IsInterfaceMode)?.Settings.InboundDscpCopy ?? false;
            draft.Settings = draft.Settings with { CopiesInboundDscp = draft.Settings.InboundDscpCopy ?? phase1Copies };
        }

        var routes = BuildRoutes(document, diagnostics);
        var global = BuildGlobal(document, diagnostics);

        ConfigurationValidator.Validate(phase1, phase2, routes, diagnostics);
        var dialUp = DialUpTables.Build(document, phase1, baseDirectory, diagnostics);
        var (groups, services, schedules, policies) = FirewallPolicyTables.Build(document, phase1, diagnostics);
        var phase1Settings = phase1.Select(d => d.Settings).ToList();
        var (tunnelInterfaces, fullyTaken) = TunnelInterfaceReader.Read(document, phase1Settings, diagnostics);
        var profiles = AccessProfileTables.Build(document, diagnostics);
        var (localUsers, userGroups) = UserTables.Build(document, diagnostics);
        Ikev1Validator.ValidateXauthGroups(phase1, userGroups, diagnostics);
        var (userPeers, userPeerGroups) = UserPeerTables.Build(document, phase1Settings, dialUp.CaCertificates, diagnostics);
        AccessProfileTables.CheckReferences(document, profiles, diagnostics);

        var configuration = new GatewayConfiguration(
            [.. phase1.Select(d => d.Settings)],
            [.. phase2.Select(d => d.Settings)],
            [.. routes.Select(r => r.Route)],
            global)
        {
            AccessProfiles = profiles,
            Admins = [.. BuildAdmins(document, diagnostics)],
            ApiUsers = [.. BuildApiUsers(document, diagnostics)],
            LocalUsers = localUsers,
            UserGroups = userGroups,
            LocalCertificates = dialUp.LocalCertificates,
            CaCertificates = dialUp.CaCertificates,
            RevocationLists = CrlSchema.Build(document, baseDirectory, diagnostics),
            FirewallAddresses = dialUp.FirewallAddresses,
            FirewallAddressGroups = groups,
            UserPeers = userPeers,
            UserPeerGroups = userPeerGroups,
            FirewallServices = services,
            FirewallSchedules = schedules,
            FirewallPolicies = policies,
            Syslog = SyslogSchema.Build(document, diagnostics),
            KeptTables = KeptTableBuilder.Build(document, diagnostics, fullyTaken),
            TunnelInterfaces = tunnelInterfaces,
        };
        configuration = StaticRouteChecks.Resolve(configuration, [.. routes.Select(r => r.Entry)], diagnostics);
        return NamedSelector.Resolve(configuration, phase2, diagnostics);
    }

    private static IEnumerable<AdminAccount> BuildAdmins(RawDocument document, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Find(SupportedTables.Admins)?.Entries ?? [])
        {
            var draft = new AdminDraft(entry);
            var other = AdminSchema.Fields.Apply(draft, () => new AdminDraft(entry), entry, diagnostics);
            yield return new AdminAccount { Name = entry.Name, Password = draft.Password, OtherSettings = other, SourceLine = entry.NameToken.Line };
        }
    }

    private static IEnumerable<ApiUser> BuildApiUsers(RawDocument document, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Find(SupportedTables.ApiUsers)?.Entries ?? [])
        {
            var draft = new ApiUserDraft(entry);
            var other = ApiUserSchema.Fields.Apply(draft, () => new ApiUserDraft(entry), entry, diagnostics);
            yield return new ApiUser { Name = entry.Name, ApiKey = draft.ApiKey, OtherSettings = other, SourceLine = entry.NameToken.Line };
        }
    }

    private static IEnumerable<Phase1Draft> BuildPhase1(
        RawDocument document, TableSchema schema, FieldTable<Phase1Draft> fields, bool interfaceMode, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Find(schema)?.Entries ?? [])
        {
            var draft = new Phase1Draft(entry, interfaceMode);
            var other = fields.Apply(draft, () => new Phase1Draft(entry, interfaceMode), entry, diagnostics);
            draft.Settings = draft.Settings with { OtherSettings = other };
            yield return draft;
        }
    }

    private static IEnumerable<Phase2Draft> BuildPhase2(
        RawDocument document, TableSchema schema, FieldTable<Phase2Draft> fields, bool interfaceMode, DiagnosticBag diagnostics)
    {
        foreach (var entry in document.Find(schema)?.Entries ?? [])
        {
            var draft = new Phase2Draft(entry, interfaceMode);
            var other = fields.Apply(draft, () => new Phase2Draft(entry, interfaceMode), entry, diagnostics);
            draft.Settings = draft.Settings with
            {
                Source = Selector(draft.Source, entry, "src", diagnostics),
                Destination = Selector(draft.Destination, entry, "dst", diagnostics),
                SourceName = NamedSelector.Name(draft.Source, entry, "src", diagnostics),
                DestinationName = NamedSelector.Name(draft.Destination, entry, "dst", diagnostics),
                OtherSettings = other,
            };
            yield return draft;
        }
    }

    /// <summary>Applies <c>src-addr-type</c>/<c>dst-addr-type</c>: only the fields of the chosen type count.</summary>
    private static AddressSelector Selector(AddressParts parts, RawEntry entry, string side, DiagnosticBag diagnostics)
    {
        switch (parts.Type)
        {
            case "range":
                if (Ipv4.ToUInt32(parts.StartIp) > Ipv4.ToUInt32(parts.EndIp))
                {
                    var token = (entry.Find($"{side}-end-ip") ?? entry.Find($"{side}-start-ip"))!.Values[0];
                    diagnostics.ValueParseError(
                        $"{side}-end-ip",
                        token,
                        $"{side}-end-ip {parts.EndIp} is below {side}-start-ip {parts.StartIp}");
                    return AddressSelector.Any;
                }

                return new AddressSelector(parts.StartIp, parts.EndIp);
            case "ip":
                return AddressSelector.Single(parts.StartIp);
            default:
                return parts.Subnet;
        }
    }

    private static List<(StaticRoute Route, RawEntry Entry)> BuildRoutes(RawDocument document, DiagnosticBag diagnostics)
    {
        var routes = new List<(StaticRoute, RawEntry)>();
        foreach (var entry in document.Find(SupportedTables.StaticRoutes)?.Entries ?? [])
        {
            var draft = new StaticRouteDraft(entry);
            var other = StaticRouteSchema.Fields.Apply(draft, () => new StaticRouteDraft(entry), entry, diagnostics);
            var route = new StaticRoute(
                int.Parse(entry.Name, System.Globalization.CultureInfo.InvariantCulture),
                draft.Destination.Start,
                draft.Destination.PrefixLength ?? 0,
                draft.Device,
                draft.Gateway,
                draft.Distance,
                draft.Enabled,
                entry.NameToken.Line)
            {
                OtherSettings = other,
                Priority = draft.Priority,
                Blackhole = draft.Blackhole,
                DestinationAddress = draft.DestinationAddress,
            };
            routes.Add((route, entry));
        }

        return routes;
    }

    private static GlobalSettings BuildGlobal(RawDocument document, DiagnosticBag diagnostics)
    {
        if (document.Find(SupportedTables.GlobalObject) is not { } table)
        {
            return GlobalSettings.Default;
        }

        var draft = new GlobalDraft();
        var other = GlobalSchema.Fields.Apply(draft, () => new GlobalDraft(), table.Object, diagnostics);
        var notActedOn = other.Where(s => !GlobalSchema.ActedOnKeptFields.Contains(s.Name, StringComparer.Ordinal)).Select(s => s.Name).ToList();
        if (notActedOn.Count > 0)
        {
            var names = string.Join(", ", notActedOn.Take(8)) + (notActedOn.Count > 8 ? ", ..." : "");
            diagnostics.Warn(
                table.ConfigToken.Line,
                WarningKind.KeptSettings,
                GlobalSchema.Path,
                $"config {GlobalSchema.Path}: {notActedOn.Count} setting(s) of other FortiOS features kept as they are but not acted on ({names}); SharpSwan reads hostname, admin-port, admin-sport, admin-address and the ike-* limits");
        }

        return new GlobalSettings(draft.Hostname, draft.AdminPort, draft.AdminSport, other) { IkeLimits = draft.IkeLimits };
    }
}
