namespace SharpSwan.Config;

/// <summary>
/// Every setting each supported table accepts, split into those read into the model and those kept verbatim, for the test
/// that walks them all and checks each is honoured, changes nothing, or is refused (issue 11 item 15).
/// </summary>
public static class SettingCatalog
{
    public static IReadOnlyList<SettingTableInfo> Tables { get; } =
    [
        Info(GlobalSchema.Path, GlobalSchema.Fields),
        Info(AccessProfileSchema.Path, AccessProfileSchema.Fields),
        Info(AdminSchema.Path, AdminSchema.Fields),
        Info(ApiUserSchema.Path, ApiUserSchema.Fields),
        Info(UserTables.LocalPath, UserTables.LocalFields),
        Info(UserTables.GroupPath, UserTables.GroupFields),
        Info(SyslogSchema.Path, SyslogSchema.Fields),
        Info(CertificateSchema.CaPath, CertificateSchema.Ca),
        Info(CertificateSchema.LocalPath, CertificateSchema.Local),
        Info(CrlSchema.Path, CrlSchema.Fields),
        Info(FirewallAddressSchema.Path, FirewallAddressSchema.Fields),
        Info(FirewallAddressGroupSchema.Path, FirewallAddressGroupSchema.Fields),
        Info(FirewallServiceSchema.Path, FirewallServiceSchema.Fields),
        Info(UserPeerSchema.Path, UserPeerSchema.Fields),
        Info(UserPeerSchema.GroupPath, UserPeerSchema.GroupFields),
        Info(FirewallScheduleSchema.RecurringPath, FirewallScheduleSchema.Recurring),
        Info(FirewallScheduleSchema.OnetimePath, FirewallScheduleSchema.Onetime),
        Info(Phase1Schema.InterfacePath, Phase1Schema.InterfaceMode),
        Info(Phase1Schema.PolicyPath, Phase1Schema.PolicyMode),
        Info(Phase2Schema.InterfacePath, Phase2Schema.InterfaceMode),
        Info(Phase2Schema.PolicyPath, Phase2Schema.PolicyMode),
        Info(FirewallPolicySchema.Path, FirewallPolicySchema.Fields),
        Info(StaticRouteSchema.Path, StaticRouteSchema.Fields),
    ];

    /// <summary>The paths of every supported table (the catalog must name each).</summary>
    public static IReadOnlyList<string> SupportedPaths { get; } = [.. SupportedTables.All.Select(t => t.Path)];

    private static SettingTableInfo Info<T>(string path, FieldTable<T> fields) =>
        new(path, [.. fields.InterpretedNames], [.. fields.KeptNames], fields.KeepsUnknownFields, fields.RejectField);
}
