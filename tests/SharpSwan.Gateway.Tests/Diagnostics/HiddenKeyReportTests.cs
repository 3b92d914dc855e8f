using SharpSwan.Crypto;
using SharpSwan.Gateway.DataPlane;
using SharpSwan.Gateway.Diagnostics;
using SharpSwan.Ike.Engine;
using SharpSwan.Testing;

namespace SharpSwan.Gateway.Tests.Diagnostics;

/// <summary>
/// Without `keys`, the tunnel list's `dec:`/`enc:` lines keep FortiOS's `key=&lt;bytes&gt;` on both the cipher and the
/// `ah=` line, with the lengths `keys` prints (an AES-GCM key with its 4-byte salt), only the hex withheld.
/// </summary>
public sealed class HiddenKeyReportTests : IDisposable
{
    private readonly EngineNetwork _network = new();
    private readonly EspDataPlane _dataPlane;

    public HiddenKeyReportTests() => _dataPlane = new EspDataPlane(SystemRandomSource.Instance, _network.Clock);

    [Theory]
    [InlineData("aes256gcm", "esp=aes-gcm key=36 <hidden>", "ah=null key=0")]
    [InlineData("aes128-sha256", "esp=aes key=16 <hidden>", "ah=sha256 key=32 <hidden>")]
    [InlineData("aes256-sha1", "esp=aes key=32 <hidden>", "ah=sha1 key=20 <hidden>")]
    public void HiddenKeys_ShowTheLengthsOfBothKeys(string proposal, string cipher, string integrity)
    {
        var (a, _) = _network.AddSiteToSitePair(phase2Extra: $"set proposal {proposal}");
        Assert.True(a.Engine.Initiate("to-branch", "to-branch-p2"));
        _network.Run(TimeSpan.FromSeconds(5));
        var child = Assert.Single(a.Engine.Tunnels.Single().Current!.Children, c => c.State == ChildSaState.Installed);

        var list = TunnelReports.TunnelList(a.Engine, _dataPlane, _network.Clock, null);

        Assert.Contains($"  dec: spi={child.InboundSpi:x8} {cipher}\n       {integrity}\n", list, StringComparison.Ordinal);
        Assert.Contains($"  enc: spi={child.OutboundSpi:x8} {cipher}\n       {integrity}\n", list, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _dataPlane.Dispose();
        _network.Dispose();
    }
}
