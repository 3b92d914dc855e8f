using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Reads the FortiOS-shaped diagnostics the gateway's CLI prints.</summary>
public static partial class FortiOsOutput
{
    /// <summary>Outbound SPIs (<c>enc: spi=</c>) in <c>diagnose vpn tunnel list</c>.</summary>
    public static IReadOnlyList<uint> EncryptSpis(string tunnelList) => Spis(EncLine(), tunnelList);

    /// <summary>Inbound SPIs (<c>dec: spi=</c>) in <c>diagnose vpn tunnel list</c>.</summary>
    public static IReadOnlyList<uint> DecryptSpis(string tunnelList) => Spis(DecLine(), tunnelList);

    /// <summary>
    /// The <c>selectors(total,up)</c> pair of one tunnel in <c>get vpn ipsec tunnel summary</c>, or null when
    /// the tunnel is not listed.
    /// </summary>
    public static (int Total, int Up)? Selectors(string summary, string tunnelName)
    {
        foreach (string line in summary.Split('\n'))
        {
            Match match = SummaryLine().Match(line);
            if (match.Success && match.Groups["name"].Value == tunnelName)
            {
                return (int.Parse(match.Groups["total"].Value, CultureInfo.InvariantCulture),
                        int.Parse(match.Groups["up"].Value, CultureInfo.InvariantCulture));
            }
        }

        return null;
    }

    /// <summary>
    /// The <c>sa=</c> value of one phase 2 in <c>diagnose vpn tunnel list</c> (0 none, 1 one SA, 2 a rekey in progress),
    /// or null when that <c>proxyid=</c> is not listed.
    /// </summary>
    public static int? ProxyIdSaState(string tunnelList, string phase2Name)
    {
        foreach (string line in tunnelList.Split('\n'))
        {
            Match match = ProxyIdLine().Match(line);
            if (match.Success && match.Groups["name"].Value == phase2Name)
            {
                return int.Parse(match.Groups["sa"].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static List<uint> Spis(Regex pattern, string text) =>
        pattern.Matches(text)
            .Select(match => uint.Parse(match.Groups["spi"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture))
            .ToList();

    // "  enc: spi=a7d1cc77 esp=aes key=16 ..." (and not "enc:pkts/bytes=")
    [GeneratedRegex(@"\benc: spi=(?<spi>[0-9a-fA-F]{1,8})\b")]
    private static partial Regex EncLine();

    [GeneratedRegex(@"\bdec: spi=(?<spi>[0-9a-fA-F]{1,8})\b")]
    private static partial Regex DecLine();

    // "proxyid=to-branch-p2 proto=0 sa=1 ref=2 serial=1 auto-negotiate"
    [GeneratedRegex(@"^\s*proxyid=(?<name>\S+)\s.*\bsa=(?<sa>\d+)")]
    private static partial Regex ProxyIdLine();

    // "'to-branch' 198.51.100.2:4500  selectors(total,up): 1/1  rx(pkt,err): 5/0  tx(pkt,err): 5/0"
    [GeneratedRegex(@"^\s*'(?<name>[^']+)'.*selectors\(total,up\):\s*(?<total>\d+)/(?<up>\d+)")]
    private static partial Regex SummaryLine();
}
