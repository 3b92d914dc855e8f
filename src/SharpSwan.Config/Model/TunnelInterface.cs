using System.Collections.Immutable;
using System.Net;
using System.Text;

namespace SharpSwan.Config;

/// <summary>
/// A <c>config system interface</c> entry of <c>type tunnel</c> whose name is a phase1-interface: the addresses and MTU
/// SharpSwan puts on that tunnel's TUN device. The entry itself stays in the kept <c>system interface</c> table, which
/// is what saving writes back; this is what the gateway acts on.
/// </summary>
/// <param name="Name">The phase1-interface (and TUN device) name.</param>
/// <param name="Local">The tunnel's own address (<c>ip</c>); null when unset (0.0.0.0).</param>
/// <param name="Remote">The peer's tunnel address (<c>remote-ip</c>); null when unset.</param>
/// <param name="PrefixLength">Prefix of the connected route: <c>remote-ip</c>'s mask when set, else <c>ip</c>'s.</param>
/// <param name="Mtu">The MTU from <c>mtu-override enable</c> + <c>mtu</c>; null for the gateway's default.</param>
/// <param name="AllowAccess">
/// The services <c>allowaccess</c> names that SharpSwan answers on <see cref="Local"/> when named and refuses there when
/// not (<see cref="HonouredAccess"/>), in the order written.
/// </param>
/// <param name="Description">The entry's <c>description</c> (shown, not acted on).</param>
/// <param name="Line">Line of the entry's <c>edit</c> (ignored by equality).</param>
public sealed record TunnelInterface(
    string Name,
    IPAddress? Local,
    IPAddress? Remote,
    int PrefixLength,
    int? Mtu,
    ImmutableArray<string> AllowAccess,
    string Description,
    [property: SourceLocation] int Line)
{
    /// <summary>
    /// The <c>allowaccess</c> services the gateway acts on: ping, and the management services with a port here (the web
    /// GUI's https and http, ssh, telnet, snmp).
    /// </summary>
    public static readonly ImmutableArray<string> HonouredAccess = ["ping", "https", "http", "ssh", "telnet", "snmp"];

    /// <summary>FortiOS's other <c>allowaccess</c> services: FortiGate features SharpSwan does not have.</summary>
    public static readonly ImmutableArray<string> FortiGateOnlyAccess =
        ["fgfm", "radius-acct", "probe-response", "fabric", "ftm", "speed-test", "scim", "capwap", "security-fabric", "auto-ipsec", "dnp"];

    /// <summary>As <c>ip addr</c> writes it, e.g. <c>169.254.21.2 peer 169.254.21.1/30</c>; empty when no address is set.</summary>
    public string AddressText => (Local, Remote) switch
    {
        (null, _) => "",
        ({ } local, null) => $"{local}/{PrefixLength}",
        ({ } local, { } remote) => $"{local} peer {remote}/{PrefixLength}",
    };

    public bool Equals(TunnelInterface? other) => ModelEquality.MembersEqual(this, other);

    public override int GetHashCode() => ModelEquality.MembersHash(this);

    private bool PrintMembers(StringBuilder builder) => ModelEquality.PrintMembers(this, builder);
}
