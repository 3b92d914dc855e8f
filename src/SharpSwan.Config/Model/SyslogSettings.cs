using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// <c>config log syslogd setting</c>: where the VPN event log is forwarded. A single object like <c>system global</c>;
/// FortiOS fields SharpSwan does not interpret are kept verbatim in <see cref="OtherSettings"/>.
/// </summary>
public sealed record SyslogSettings
{
    public const int DefaultPort = 514;

    public static SyslogSettings Default { get; } = new();

    /// <summary><c>set status enable</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>set server</c>: an IPv4 address or a host name; null when unset.</summary>
    public string? Server { get; init; }

    public SyslogMode Mode { get; init; } = SyslogMode.Udp;

    public int Port { get; init; } = DefaultPort;

    public SyslogFacility Facility { get; init; } = SyslogFacility.Local7;

    /// <summary><c>set source-ip</c>: the local address records are sent from; null (0.0.0.0) lets the kernel choose.</summary>
    public IPAddress? SourceIp { get; init; }

    public SyslogFormat Format { get; init; } = SyslogFormat.Default;

    public ImmutableArray<ConfigSetting> OtherSettings { get; init; } = [];

    /// <summary>True when records should actually be sent.</summary>
    public bool IsActive => Enabled && !string.IsNullOrEmpty(Server);

    public bool Equals(SyslogSettings? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
