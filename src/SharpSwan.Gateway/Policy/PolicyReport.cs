using System.Globalization;
using System.Text;
using System.Text.Json;
using SharpSwan.Config;

namespace SharpSwan.Gateway.Policy;

/// <summary>
/// <c>diagnose firewall policy list</c> (SharpSwan's name; FortiOS shows the same with <c>diagnose firewall iprope list</c>):
/// the policies in match order with the hit counts of their nftables counters, then the implicit deny (policy 0).
/// </summary>
public static class PolicyReport
{
    /// <summary>The nftables counters of SharpSwan's table, by name (empty when the table is not installed).</summary>
    public static IReadOnlyDictionary<string, (long Packets, long Bytes)> ReadCounters()
    {
        var counters = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        if (ExternalCommand.Run("nft", ["-j", "list", "counters", "table", NftRuleset.Family, NftRuleset.TableName], null, out var json) is not null)
        {
            return counters;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
            {
                if (item.TryGetProperty("counter", out var counter))
                {
                    counters[counter.GetProperty("name").GetString() ?? ""] = (counter.GetProperty("packets").GetInt64(), counter.GetProperty("bytes").GetInt64());
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            // An nft whose JSON we do not understand: report no counts rather than fail the command.
        }

        return counters;
    }

    /// <summary>The policy id a counter of SharpSwan's table counts for (<c>policy_3</c>: 3), or null for another name.</summary>
    public static long? PolicyId(string counterName) =>
        counterName is not null && counterName.StartsWith("policy_", StringComparison.Ordinal)
            && long.TryParse(counterName.AsSpan("policy_".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;

    public static string Render(GatewayConfiguration configuration, IReadOnlyDictionary<string, (long Packets, long Bytes)> counters)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(counters);
        if (!configuration.HasPolicyTable)
        {
            return "no firewall policy configured: traffic routed into a tunnel interface may use it\n";
        }

        var text = new StringBuilder();
        foreach (var policy in configuration.FirewallPolicies)
        {
            var (packets, bytes) = counters.GetValueOrDefault(NftRuleset.CounterName(policy.Id));
            text.Append(CultureInfo.InvariantCulture, $"policy index={policy.Id} name=\"{policy.Name}\" status={(policy.Enabled ? "enable" : "disable")} action={Action(policy)}");
            if (policy.Action == PolicyAction.Ipsec)
            {
                text.Append(CultureInfo.InvariantCulture, $" vpntunnel=\"{policy.VpnTunnel}\" inbound={Flag(policy.Inbound)} outbound={Flag(policy.Outbound)}");
            }

            text.Append(CultureInfo.InvariantCulture, $"\n  srcintf={Names(policy.SourceInterfaces)} dstintf={Names(policy.DestinationInterfaces)}");
            text.Append(CultureInfo.InvariantCulture, $" srcaddr={Names(policy.SourceAddresses)} dstaddr={Names(policy.DestinationAddresses)}\n");
            text.Append(CultureInfo.InvariantCulture, $"  hit_count={packets} bytes={bytes}\n");
        }

        var (denied, deniedBytes) = counters.GetValueOrDefault(NftRuleset.ImplicitDenyCounter);
        text.Append(CultureInfo.InvariantCulture, $"policy index=0 (implicit deny)\n  hit_count={denied} bytes={deniedBytes}\n");
        return text.ToString();
    }

    private static string Action(FirewallPolicy policy) => policy.Action switch
    {
        PolicyAction.Accept => "accept",
        PolicyAction.Ipsec => "ipsec",
        _ => "deny",
    };

    private static string Flag(bool value) => value ? "enable" : "disable";

    private static string Names(IEnumerable<string> names) => string.Join(',', names);
}
