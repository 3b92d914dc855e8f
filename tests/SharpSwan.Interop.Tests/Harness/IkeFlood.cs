using System.Globalization;
using System.Text.RegularExpressions;

namespace SharpSwan.Interop.Tests.Harness;

/// <summary>
/// The IKE_SA_INIT flood generator of <c>bench/ike-flood.py</c> (issue 11, item 3), run in a namespace of its own: spoofed
/// sources from <see cref="SourceRange"/> (RFC 2544's benchmarking range), which the router sends back to the flooder, so
/// the gateway's cookie answers go to one neighbour and die there. Bounded in rate, time and count.
/// </summary>
public sealed partial class IkeFlood : IDisposable
{
    public const string FlooderAddress = "198.18.0.10";
    public const string SourceRange = "198.18.16.0/20";

    private readonly BackgroundProcess _process;

    private IkeFlood(BackgroundProcess process) => _process = process;

    /// <summary>The generator's host on the topology's router, with the spoofed range routed back to it.</summary>
    public static NetworkNamespace AddFlooder(DialUpTopology topology)
    {
        NetworkNamespace flooder = topology.AddDirectHost(FlooderAddress);
        topology.Router.Run("ip", "route", "add", SourceRange, "via", FlooderAddress);
        return flooder;
    }

    public static IkeFlood Start(NetworkNamespace flooder, string destination, int rate, TimeSpan duration, string logPath) =>
        new(BackgroundProcess.Start(
            flooder.Wrap(
                "python3", Path.Combine(RepositoryLayout.Root, "bench", "ike-flood.py"), destination, SourceRange,
                rate.ToString(CultureInfo.InvariantCulture), duration.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)),
            logPath));

    /// <summary>Waits for the generator to end; its (sent, seconds, rate) line, or null when it printed none.</summary>
    public (long Sent, double Seconds, long Rate)? Finish(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Stop(TimeSpan.FromSeconds(2));
        }

        (long, double, long)? result = null;
        Wait.Until(
            () =>
            {
                Match match = _process.Lines().Select(l => SummaryLine().Match(l)).LastOrDefault(m => m.Success) ?? Match.Empty;
                if (match.Success)
                {
                    result = (long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), long.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture));
                }

                return match.Success;
            },
            TimeSpan.FromSeconds(5),
            TimeSpan.FromMilliseconds(100));
        return result;
    }

    public void Dispose() => _process.Dispose();

    [GeneratedRegex(@"sent=(\d+) seconds=([\d.]+) rate=(\d+)")]
    private static partial Regex SummaryLine();
}
