using System.Globalization;
using System.Text.RegularExpressions;
using SharpSwan.Crypto;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Ike.Events;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// While a silent peer is being declared dead, the tunnel list's `dpd: ... count=` and the details' `count:` show how many
/// of our probes went unanswered (real engines on a virtual clock; the peer's side of the link drops everything).
/// </summary>
public sealed partial class DpdCountReportTests : IDisposable
{
    private readonly EngineNetwork _network = new();
    private readonly EspDataPlane _dataPlane;

    public DpdCountReportTests() => _dataPlane = new EspDataPlane(SystemRandomSource.Instance, _network.Clock);

    [Fact]
    public void TheDpdCount_RisesWithEachUnansweredProbe_UntilThePeerIsDeclaredDead()
    {
        // Only A probes (on-idle); B keeps its on-demand default and, with no traffic here, never probes A.
        var (a, _) = _network.AddSiteToSitePair(phase1ExtraA: "set dpd on-idle\n set dpd-retryinterval 5\n set dpd-retrycount 3");
        Assert.True(a.Engine.Initiate("to-branch", "to-branch-p2"));
        _network.Run(TimeSpan.FromSeconds(5));
        Assert.Single(a.Of<IkeSaEstablished>());

        _network.Drop = to => to.Name == "b";
        var seen = new List<int>();
        var detailsSeen = new List<int>();
        for (var second = 0; second < 60 && a.Of<DpdFailed>().Count == 0; second++)
        {
            Remember(seen, Count(TunnelReports.TunnelList(a.Engine, _dataPlane, _network.Clock, null), TunnelListCount()));
            Remember(detailsSeen, Count(TunnelReports.Details(a.Engine, _dataPlane, _network.Clock, null), DetailsCount()));
            _network.Run(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(3, Assert.Single(a.Of<DpdFailed>()).Probes);
        Assert.Equal([0, 1, 2, 3], seen);
        Assert.Equal([0, 1, 2, 3], detailsSeen);
    }

    public void Dispose()
    {
        _dataPlane.Dispose();
        _network.Dispose();
    }

    private static void Remember(List<int> seen, int count)
    {
        if (seen.Count == 0 || seen[^1] != count)
        {
            seen.Add(count);
        }
    }

    private static int Count(string report, Regex pattern)
    {
        var match = pattern.Match(report);
        Assert.True(match.Success, report);
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^dpd: mode=on-idle on=1 idle=5000ms retry=3 count=(\d+) seqno=0$", RegexOptions.Multiline)]
    private static partial Regex TunnelListCount();

    [GeneratedRegex(@"^dpd: on-idle/negotiated  idle: 5000ms  retry: 3  count: (\d+)$", RegexOptions.Multiline)]
    private static partial Regex DetailsCount();
}
