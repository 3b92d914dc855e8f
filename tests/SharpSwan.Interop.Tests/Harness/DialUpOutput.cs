using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Reads what the dial-up tests look at: strongSwan's virtual IP, the hub's tunnel instances, routes and events.</summary>
public static partial class DialUpOutput
{
    /// <summary>The virtual IPs strongSwan lists on its IKE SA's local line (<c>local 'id' @ a.b.c.d[4500] [10.10.10.1]</c>).</summary>
    public static IReadOnlyList<string> VirtualIps(string listSasOutput) =>
        listSasOutput.Split('\n')
            .Select(line => LocalLine().Match(line))
            .Where(match => match.Success)
            .SelectMany(match => match.Groups["vips"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToList();

    /// <summary>The remote identity strongSwan lists (<c>remote 'hub.lab' @ ...</c>), or null.</summary>
    public static string? RemoteIdentity(string listSasOutput) =>
        listSasOutput.Split('\n').Select(line => RemoteLine().Match(line)).FirstOrDefault(match => match.Success)?.Groups["id"].Value;

    /// <summary>Tunnel names in <c>get vpn ipsec tunnel summary</c> (<c>'dialup-psk_0' 198.51.100.10:4500  selectors(total,up): 1/1 ...</c>).</summary>
    public static IReadOnlyList<string> SummaryTunnels(string summary) =>
        summary.Split('\n').Select(line => SummaryLine().Match(line)).Where(m => m.Success).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>The remote endpoint and selector counts of one tunnel in the summary, or null.</summary>
    public static (string Remote, int Total, int Up)? SummaryEntry(string summary, string tunnel) =>
        summary.Split('\n')
            .Select(line => SummaryLine().Match(line))
            .Where(m => m.Success && m.Groups["name"].Value == tunnel)
            .Select(m => ((string Remote, int Total, int Up)?)(
                m.Groups["remote"].Value, int.Parse(m.Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture),
                int.Parse(m.Groups["up"].Value, System.Globalization.CultureInfo.InvariantCulture)))
            .FirstOrDefault();

    /// <summary>Tunnel names in <c>diagnose vpn tunnel list</c> (<c>name=dialup-psk_0 ver=2 serial=...</c>).</summary>
    public static IReadOnlyList<string> ListedTunnels(string tunnelList) =>
        TunnelListName().Matches(tunnelList).Select(m => m.Groups["name"].Value).ToList();

    /// <summary>True when <c>ip -4 route show</c> has a route to exactly <paramref name="destination"/> (host or prefix) on <paramref name="device"/>.</summary>
    public static bool HasRoute(string routes, string destination, string device) =>
        routes.Split('\n').Any(line =>
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int dev = Array.IndexOf(words, "dev");
            return words.Length > 0 && dev > 0 && dev + 1 < words.Length && words[dev + 1] == device
                && (words[0] == destination || words[0] == destination + "/32");
        });

    /// <summary>The records of <c>execute log display</c> (<c>1: date=... logid=... action="..." ...</c>).</summary>
    public static IReadOnlyList<string> EventRecords(string display) =>
        display.Split('\n').Where(line => EventLine().IsMatch(line)).Select(line => line.TrimEnd()).ToList();

    // "  local  'client1.lab' @ 198.51.100.10[4500] [10.10.10.1]"
    [GeneratedRegex(@"^\s+local\s+'[^']*' @ \S+\s+\[(?<vips>[0-9. ]+)\]")]
    private static partial Regex LocalLine();

    // "  remote 'hub.lab' @ 203.0.113.1[4500]"
    [GeneratedRegex(@"^\s+remote\s+'(?<id>[^']*)' @ ")]
    private static partial Regex RemoteLine();

    [GeneratedRegex(@"^\s*'(?<name>[^']+)'\s+(?<remote>\S+)\s+selectors\(total,up\):\s*(?<total>\d+)/(?<up>\d+)")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"(?m)^name=(?<name>\S+) ")]
    private static partial Regex TunnelListName();

    [GeneratedRegex(@"^\d+: date=")]
    private static partial Regex EventLine();
}
