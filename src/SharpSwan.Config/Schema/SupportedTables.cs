using System.Collections.Immutable;

namespace SharpSwan.Config;

/// <summary>The <c>config</c> paths SharpSwan reads; any other path is refused.</summary>
internal static class SupportedTables
{
    public static readonly TableSchema GlobalObject =
        new(GlobalSchema.Path, TableShape.Object, 0, GlobalSchema.Fields.RejectField);

    public static readonly TableSchema Phase1Interface =
        new(Phase1Schema.InterfacePath, TableShape.Named, Phase1Settings.MaxNameLength, Phase1Schema.InterfaceMode.RejectField);

    public static readonly TableSchema Phase1Policy =
        new(Phase1Schema.PolicyPath, TableShape.Named, Phase1Settings.MaxNameLength, Phase1Schema.PolicyMode.RejectField);

    public static readonly TableSchema Phase2Interface =
        new(Phase2Schema.InterfacePath, TableShape.Named, Phase2Settings.MaxNameLength, Phase2Schema.InterfaceMode.RejectField);

    public static readonly TableSchema Phase2Policy =
        new(Phase2Schema.PolicyPath, TableShape.Named, Phase2Settings.MaxNameLength, Phase2Schema.PolicyMode.RejectField);

    public static readonly TableSchema StaticRoutes =
        new(StaticRouteSchema.Path, TableShape.Numbered, 10, StaticRouteSchema.Fields.RejectField);

    public static readonly TableSchema Admins =
        new(AdminSchema.Path, TableShape.Named, AdminAccount.MaxNameLength, AdminSchema.Fields.RejectField);

    public static readonly TableSchema ApiUsers =
        new(ApiUserSchema.Path, TableShape.Named, ApiUser.MaxNameLength, ApiUserSchema.Fields.RejectField);

    public static readonly TableSchema LocalUsers =
        new(UserTables.LocalPath, TableShape.Named, LocalUser.MaxNameLength, UserTables.LocalFields.RejectField);

    public static readonly TableSchema UserGroups =
        new(UserTables.GroupPath, TableShape.Named, UserGroup.MaxNameLength, UserTables.GroupFields.RejectField);

    public static readonly TableSchema AccessProfiles =
        new(AccessProfileSchema.Path, TableShape.Named, AccessProfile.MaxNameLength, AccessProfileSchema.Fields.RejectField);

    public static readonly TableSchema SyslogObject =
        new(SyslogSchema.Path, TableShape.Object, 0, SyslogSchema.Fields.RejectField);

    public static readonly TableSchema CaCertificates =
        new(CertificateSchema.CaPath, TableShape.Named, CaCertificate.MaxNameLength, CertificateSchema.Ca.RejectField);

    public static readonly TableSchema LocalCertificates =
        new(CertificateSchema.LocalPath, TableShape.Named, LocalCertificate.MaxNameLength, CertificateSchema.Local.RejectField);

    public static readonly TableSchema RevocationLists =
        new(CrlSchema.Path, TableShape.Named, CertificateRevocationList.MaxNameLength, CrlSchema.Fields.RejectField);

    public static readonly TableSchema FirewallAddresses =
        new(FirewallAddressSchema.Path, TableShape.Named, FirewallAddress.MaxNameLength, FirewallAddressSchema.Fields.RejectField);

    public static readonly TableSchema FirewallAddressGroups =
        new(FirewallAddressGroupSchema.Path, TableShape.Named, FirewallAddressGroup.MaxNameLength, FirewallAddressGroupSchema.Fields.RejectField);

    public static readonly TableSchema FirewallServices =
        new(FirewallServiceSchema.Path, TableShape.Named, FirewallService.MaxNameLength, FirewallServiceSchema.Fields.RejectField);

    public static readonly TableSchema RecurringSchedules =
        new(FirewallScheduleSchema.RecurringPath, TableShape.Named, FirewallSchedule.MaxNameLength, FirewallScheduleSchema.Recurring.RejectField);

    public static readonly TableSchema OnetimeSchedules =
        new(FirewallScheduleSchema.OnetimePath, TableShape.Named, FirewallSchedule.MaxNameLength, FirewallScheduleSchema.Onetime.RejectField);

    public static readonly TableSchema FirewallPolicies =
        new(FirewallPolicySchema.Path, TableShape.Numbered, 10, FirewallPolicySchema.Fields.RejectField);

    public static readonly TableSchema UserPeers =
        new(UserPeerSchema.Path, TableShape.Named, UserPeer.MaxNameLength, UserPeerSchema.Fields.RejectField);

    public static readonly TableSchema UserPeerGroups =
        new(UserPeerSchema.GroupPath, TableShape.Named, UserPeerGroup.MaxNameLength, UserPeerSchema.GroupFields.RejectField);

    public static readonly ImmutableArray<TableSchema> All =
    [
        GlobalObject, AccessProfiles, Admins, ApiUsers, LocalUsers, UserGroups, SyslogObject, CaCertificates, LocalCertificates, RevocationLists, FirewallAddresses, FirewallAddressGroups,
        FirewallServices, UserPeers, UserPeerGroups, RecurringSchedules, OnetimeSchedules,
        Phase1Interface, Phase1Policy, Phase2Interface, Phase2Policy, FirewallPolicies, StaticRoutes,
    ];

    public static TableSchema? Find(string path) => All.FirstOrDefault(t => t.Path == path);

    /// <summary>
    /// The tunnel entries of <c>config system interface</c>: editable in the CLI, yet not in <see cref="All"/>: the file
    /// keeps the table as written (physical ports included) and the editors change only the entries of phase1-interfaces.
    /// </summary>
    public static readonly TableSchema TunnelInterfaces =
        new(TunnelInterfaceReader.Path, TableShape.Named, Phase1Settings.MaxNameLength, TunnelInterfaceReader.RejectField);

    /// <summary>A schema table, or the tunnel entries of the kept <c>system interface</c> table.</summary>
    public static TableSchema? FindEditable(string path) => Find(path) ?? (path == TunnelInterfaces.Path ? TunnelInterfaces : null);
}
