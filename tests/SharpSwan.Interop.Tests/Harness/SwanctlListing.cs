using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>Reads the parts of <c>swanctl --list-sas</c> output the tests need.</summary>
public static partial class SwanctlListing
{
    public static IReadOnlyList<ChildSaEntry> ChildSas(string listSasOutput)
    {
        var entries = new List<ChildSaEntry>();
        string? name = null;
        string? state = null;
        uint? inbound = null;
        uint? outbound = null;

        void Flush()
        {
            if (name is not null && state is not null)
            {
                entries.Add(new ChildSaEntry(name, state, inbound, outbound));
            }

            name = state = null;
            inbound = outbound = null;
        }

        foreach (string line in listSasOutput.Split('\n'))
        {
            Match child = ChildHeader().Match(line);
            if (child.Success)
            {
                Flush();
                name = child.Groups["name"].Value;
                state = child.Groups["state"].Value;
                continue;
            }

            if (IkeHeader().IsMatch(line))
            {
                Flush();
                continue;
            }

            Match spi = SpiLine().Match(line);
            if (spi.Success && name is not null)
            {
                uint value = uint.Parse(spi.Groups["spi"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (spi.Groups["dir"].Value == "in")
                {
                    inbound = value;
                }
                else
                {
                    outbound = value;
                }
            }
        }

        Flush();
        return entries;
    }

    public static IReadOnlyList<ChildSaEntry> InstalledChildSas(string listSasOutput) =>
        ChildSas(listSasOutput).Where(child => child.IsInstalled).ToList();

    // "  c: #1, reqid 1, INSTALLED, TUNNEL-in-UDP, ESP:AES_GCM_16-256/ECP_384"
    [GeneratedRegex(@"^\s+(?<name>[^\s:]+): #\d+, reqid \d+, (?<state>[A-Z_]+),")]
    private static partial Regex ChildHeader();

    // "t: #1, ESTABLISHED, IKEv2, 0123456789abcdef_i* fedcba9876543210_r"
    [GeneratedRegex(@"^\S+: #\d+, [A-Z_]+, IKEv\d")]
    private static partial Regex IkeHeader();

    // "    in  c1e0b6d3,      0 bytes,     0 packets"
    [GeneratedRegex(@"^\s+(?<dir>in|out)\s+(?<spi>[0-9a-fA-F]{8})\b")]
    private static partial Regex SpiLine();
}
