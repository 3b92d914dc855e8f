using System.Globalization;
using System.Text;
using SharpSwan.Config;

namespace SharpSwan.Gateway.Policy;

/// <summary>
/// <c>allowaccess</c> of the tunnel interfaces (<c>config system interface</c>, <c>type tunnel</c>): on each tunnel's own
/// address, the services it does not name are dropped, as a FortiGate refuses administrative access an interface does
/// not allow. The nftables table <c>ip sharpswan_access</c> holds one input rule per refused service and address; it
/// exists only while some tunnel address refuses something, and goes on exit. Only numbers are written into it.
/// </summary>
/// <param name="nft">Runs an nft script: null on success, else why not (tests run it in their namespace).</param>
public sealed class AccessTable(Func<string, string?>? nft = null) : IDisposable
{
    public const string TableName = "sharpswan_access";

    /// <summary>Where the host's own services listen (FortiOS's defaults): what ssh, telnet and snmp refer to.</summary>
    private const int SshPort = 22;

    private const int TelnetPort = 23;

    private const int SnmpPort = 161;

    private readonly Func<string, string?> _nft = nft ?? (script => ExternalCommand.Run("nft", ["-f", "-"], script));

    /// <summary>The ruleset in force, or null when there is no table.</summary>
    public string? Ruleset { get; private set; }

    /// <summary>Installs, replaces or removes the table for <paramref name="configuration"/>.</summary>
    /// <exception cref="InvalidOperationException">nftables refused the rules.</exception>
    public void Apply(GatewayConfiguration configuration)
    {
        var ruleset = Render(configuration);
        if (ruleset == Ruleset)
        {
            return;
        }

        if (ruleset is null)
        {
            Remove();
            return;
        }

        if (_nft(ruleset) is { } error)
        {
            throw new InvalidOperationException($"config system interface allowaccess: nftables refused the access rules: {error}");
        }

        Ruleset = ruleset;
    }

    /// <summary>The table's script (it replaces the table in one transaction), or null when no tunnel address refuses anything.</summary>
    public static string? Render(GatewayConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var rules = new List<string>();
        foreach (var tunnel in configuration.TunnelInterfaces)
        {
            if (tunnel.Local is not { } local)
            {
                continue;
            }

            var address = $"ip daddr {local} ";
            bool Refuses(string service) => !tunnel.AllowAccess.Contains(service);
            if (Refuses("ping"))
            {
                rules.Add($"{address}icmp type echo-request counter drop");
            }

            var tcp = new SortedSet<int>();
            if (Refuses("https") && configuration.Global.AdminSport is { } https)
            {
                tcp.Add(https);
            }

            if (Refuses("http") && configuration.Global.AdminPort is { } http)
            {
                tcp.Add(http);
            }

            if (Refuses("ssh"))
            {
                tcp.Add(SshPort);
            }

            if (Refuses("telnet"))
            {
                tcp.Add(TelnetPort);
            }

            if (tcp.Count > 0)
            {
                rules.Add($"{address}tcp dport {{ {string.Join(", ", tcp.Select(p => p.ToString(CultureInfo.InvariantCulture)))} }} counter drop");
            }

            if (Refuses("snmp"))
            {
                rules.Add($"{address}udp dport {SnmpPort} counter drop");
            }
        }

        if (rules.Count == 0)
        {
            return null;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"table ip {TableName}\ndelete table ip {TableName}\ntable ip {TableName} {{\n");
        text.Append("\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n");
        foreach (var rule in rules)
        {
            text.Append(CultureInfo.InvariantCulture, $"\t\t{rule}\n");
        }

        text.Append("\t}\n}\n");
        return text.ToString();
    }

    /// <summary>The script that removes the table (also what a gateway that stopped abruptly left).</summary>
    public static string RenderRemoval() => $"table ip {TableName}\ndelete table ip {TableName}\n";

    /// <summary>Removes a table an abruptly stopped gateway left behind (at start, before <see cref="Apply"/>).</summary>
    public void RemoveLeftover() => _nft(RenderRemoval());

    public void Dispose() => Remove();

    private void Remove()
    {
        if (Ruleset is not null)
        {
            _nft(RenderRemoval());
            Ruleset = null;
        }
    }
}
